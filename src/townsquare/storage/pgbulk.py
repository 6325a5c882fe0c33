"""PostgreSQL bulk INSERT and UPDATE as one short statement: the batch travels as one JSON document.

`INSERT INTO t (a, b, …) SELECT a, b, … FROM json_to_recordset(:rows) AS r(a type, b type, …)`, and
`UPDATE t SET c = r.c FROM json_to_recordset(:rows) AS r(…) WHERE t.key = r.key`.

Why: a batch of rows as a multi-row `VALUES (…), (…)` (SQLAlchemy's insertmanyvalues, used whenever RETURNING is
asked for) is a statement of thousands of characters and placeholders; psycopg caches the parsing of a statement
only up to 4 KB and 50 parameters, so it re-parsed each batch's INSERT in Python (~3.5 ms per 100 assessments,
the largest cost of a worker's write after enforcement). One array parameter per column (`unnest`) was tried
first: psycopg's text dumper escapes every quote of every JSON value with a regex, slower still. Here the statement
is short and the same for every batch (parsed once, prepared by the server), the rows are one `json.dumps`, and
RETURNING works.

Columns the rows leave out get their Python-side default (`created_at`, …) as the ORM would have given them; an
autoincrement key is left to the database.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Column, Enum, Float, Integer, String, Table, TextClause, text
from sqlalchemy.dialects import postgresql

from townsquare.core import clock
from townsquare.storage.types import UTCDateTime

_PG = postgresql.dialect()  # type: ignore[no-untyped-call]


def _default(column: Column[Any]) -> Any:
    """The Python-side default the ORM would have given a row that leaves the column out."""
    default: Any = column.default
    return default.arg(None) if default.is_callable else default.arg


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return clock.as_utc(value).isoformat()
    raise TypeError(f"cannot store {type(value).__name__} through a JSON record set")


_PLAIN_TYPES = (String, Integer, Float, Boolean, JSON, UTCDateTime)


def _columns(table: Table, given: Sequence[str]) -> tuple[list[Column[Any]], list[Column[Any]]]:
    """(the given columns, the columns left out that have a Python-side default)."""
    extra = [
        c
        for c in table.columns
        if c.name not in given
        and c.default is not None
        and not c.default.is_sequence
        and not c.default.is_clause_element
    ]
    return [table.c[name] for name in given], extra


def fits(table: Table, rows: Sequence[dict[str, Any]]) -> bool:
    """Whether the record set writes exactly what the ORM would: the same columns in every row, only types whose
    bind step is plain (no TypeDecorator other than UTCDateTime), and no None in a JSON column (SQLAlchemy stores
    it as JSON `null`, a record set as SQL NULL)."""
    keys = list(rows[0])
    if any(r.keys() != rows[0].keys() for r in rows) or not all(k in table.c for k in keys):
        return False
    given, extra = _columns(table, keys)
    if not all(isinstance(c.type, _PLAIN_TYPES) and not isinstance(c.type, Enum) for c in given + extra):
        return False
    json_cols = [c.name for c in given if isinstance(c.type, JSON)]
    return not any(r[name] is None for r in rows for name in json_cols)


def statement(
    table: Table,
    rows: Sequence[dict[str, Any]],
    *,
    returning: Sequence[str],
    on_conflict_nothing: bool = False,
) -> tuple[TextClause, dict[str, str]]:
    """The statement and its one parameter. Only for rows that `fits` accepts."""
    given, extra = _columns(table, list(rows[0]))
    if extra:
        rows = [{**r, **{c.name: _default(c) for c in extra}} for r in rows]
    cols = given + extra
    names = ", ".join(c.name for c in cols)
    sql = f"INSERT INTO {table.name} ({names}) SELECT {names} FROM {_recordset(cols)}"
    if on_conflict_nothing:
        sql += " ON CONFLICT DO NOTHING"
    if returning:
        sql += " RETURNING " + ", ".join(returning)
    return text(sql), _params(rows)


def update_statement(
    table: Table, rows: Sequence[dict[str, Any]], keys: Sequence[str]
) -> tuple[TextClause, dict[str, str]]:
    """UPDATE each row found by ``keys`` to the row's other values (one statement; rows that `fits` accepts)."""
    cols = [table.c[name] for name in rows[0]]
    sets = ", ".join(f"{c.name} = r.{c.name}" for c in cols if c.name not in keys)
    where = " AND ".join(f"{table.name}.{k} = r.{k}" for k in keys)
    return text(f"UPDATE {table.name} SET {sets} FROM {_recordset(cols)} WHERE {where}"), _params(rows)


def _recordset(cols: Sequence[Column[Any]]) -> str:
    """`json_to_recordset(:rows) AS r(<column> <type>, …)`: the batch's rows as a table in the statement."""
    shape = ", ".join(f"{c.name} {c.type.compile(dialect=_PG)}" for c in cols)
    return f"json_to_recordset(:rows) AS r({shape})"


def _params(rows: Sequence[dict[str, Any]]) -> dict[str, str]:
    return {"rows": json.dumps(list(rows), ensure_ascii=False, default=_plain)}
