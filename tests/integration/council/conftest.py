"""Council fixtures: members with council keys on top of a seeded two-camp voting history."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from council_helpers import seated_council

from townsquare.storage.db import Database


@pytest.fixture
def council(db: Database, auth: Callable[..., dict[str, str]]) -> dict[str, Any]:
    """Seven members with history and council keys: {"ids": [...], "headers": {member_id: headers}}."""
    return seated_council(db, auth)
