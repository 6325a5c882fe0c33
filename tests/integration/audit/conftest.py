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

from council_helpers import add_members, seed_history  # noqa: E402

from townsquare.storage.db import Database  # noqa: E402


@pytest.fixture
def council(db: Database, auth: Callable[..., dict[str, str]]) -> dict[str, Any]:
    """Seven members with history and council keys: {"ids": [...], "headers": {member_id: headers}}."""
    ids = add_members(db)
    seed_history(db, ids)
    headers = {mid: auth("council", name=f"cm{k}") for k, mid in enumerate(ids, start=1)}
    return {"ids": ids, "headers": headers}
