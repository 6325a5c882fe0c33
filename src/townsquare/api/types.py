"""Annotated parameter and field types that carry the input rules of `core.validation` to the API edge.

Use them in route signatures and request bodies: `case_id: IntId`, `offset: Offset = 0`, `since: Since = None`,
`id: Identifier`, `text: Text`. A value outside the rules is a 422 problem before any route code runs, which is
what keeps fuzzed input (2^63, year 1, NUL, lone surrogates, bidi overrides) away from the database.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import annotated_types as at
from pydantic import AfterValidator, Field

from townsquare.core.validation import (
    check_datetime,
    check_identifier,
    check_lang,
    check_text,
)

MAX_OFFSET = 1_000_000_000
"""Offsets past a billion rows mean nothing here and only make the database count."""

MAX_DB_INT = 2**31 - 1
"""Ids and counters are `integer` columns: 32 bits on PostgreSQL (SQLite would take 64). One bound for both
databases keeps their answers identical: beyond it is a 422, never a 500 on one and a 404 on the other."""

IntId = Annotated[int, at.Interval(ge=1, le=MAX_DB_INT)]
"""A database id: 1 to 2^31 - 1."""
Offset = Annotated[int, at.Interval(ge=0, le=MAX_OFFSET)]
Count = Annotated[int, at.Interval(ge=0, le=MAX_DB_INT)]
"""A non-negative count stored in an `integer` column (reach)."""
Text = Annotated[str, AfterValidator(check_text)]
Identifier = Annotated[str, AfterValidator(check_identifier), Field(min_length=1, max_length=200)]
Lang = Annotated[str, AfterValidator(check_lang), Field(max_length=35)]
BoundedDatetime = Annotated[datetime, AfterValidator(check_datetime)]
"""Between years 1000 and 9000, returned in UTC."""
