"""Audit fixtures: the council's test helpers (members, seeded history, a ban) for the council-lift flow."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

_COUNCIL = str(Path(__file__).resolve().parent.parent / "council")
if _COUNCIL not in sys.path:
    sys.path.append(_COUNCIL)

from council_helpers import seated_council  # noqa: E402

from townsquare.storage.db import Database  # noqa: E402


@pytest.fixture
def council(db: Database, auth: Callable[..., dict[str, str]]) -> dict[str, Any]:
    """Seven members with history and council keys: {"ids": [...], "headers": {member_id: headers}}."""
    return seated_council(db, auth)
