"""Council fixtures: members with council keys on top of a seeded two-camp voting history."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from council_helpers import add_members, seed_history

from townsquare.storage.db import Database


@pytest.fixture
def council(db: Database, auth: Callable[..., dict[str, str]]) -> dict[str, Any]:
    """Seven members with history and council keys: {"ids": [...], "headers": {member_id: headers}}."""
    ids = add_members(db)
    seed_history(db, ids)
    headers = {mid: auth("council", name=f"cm{k}") for k, mid in enumerate(ids, start=1)}
    return {"ids": ids, "headers": headers}
