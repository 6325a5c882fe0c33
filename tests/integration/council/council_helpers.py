"""Council test helpers: members, a seeded two-camp voting history, a permanent ban."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient

from council_shared import permanent_ban, seed_history
from townsquare.storage.db import Database
from townsquare.storage.models import CouncilMember

__all__ = ["add_members", "council_vote", "permanent_ban", "seated_council", "seed_history"]

REGIONS = ["EU-West", "EU-East", "Africa", "Americas", "Asia", "EU-West", "Oceania"]


def add_members(db: Database, n: int = 7, prefix: str = "cm", groups: list[str] | None = None) -> list[int]:
    """Founding members seated directly (keys named prefix1…n); `groups`: their declared viewpoint groups."""
    ids = []
    with db.session() as s:
        for k in range(1, n + 1):
            m = CouncilMember(
                name=f"Member {k}",
                key_name=f"{prefix}{k}",
                region=REGIONS[(k - 1) % len(REGIONS)],
                languages=["fr"] if k % 2 else ["en"],
                expertise=["law"] if k % 3 == 0 else ["journalism"],
                viewpoint_group=groups[(k - 1) % len(groups)] if groups else None,
                active=True,
            )
            s.add(m)
            s.flush()
            ids.append(m.id)
    return ids


def seated_council(db: Database, auth: Callable[..., dict[str, str]]) -> dict[str, Any]:
    """Seven members with history and council keys: {"ids": [...], "headers": {member_id: headers}}."""
    ids = add_members(db)
    seed_history(db, ids)
    headers = {mid: auth("council", name=f"cm{k}") for k, mid in enumerate(ids, start=1)}
    return {"ids": ids, "headers": headers}


def council_vote(client: TestClient, case_id: int, headers: dict[str, str], vote: str, rationale: str) -> Any:
    """A panel member's vote through the API (the response, for its status and body)."""
    return client.post(
        f"/api/v1/council/cases/{case_id}/votes", json={"vote": vote, "rationale": rationale}, headers=headers
    )
