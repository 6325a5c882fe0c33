"""Council test helpers: members, a seeded two-camp voting history, a permanent ban."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from fastapi.testclient import TestClient

from townsquare.core import clock
from townsquare.storage.db import Database
from townsquare.storage.models import Account, CouncilCase, CouncilMember, CouncilVote

# positions of the seeded members: two camps and a centre
CAMPS = {1: -1.0, 2: -1.0, 3: -0.6, 4: 0.0, 5: 0.6, 6: 1.0, 7: 1.0}
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


def seed_history(db: Database, member_ids: list[int], n_cases: int = 14) -> None:
    """Decided past cases: camp-line votes on polarised cases, agreement on the rest (deterministic)."""
    with db.session() as s:
        for c in range(n_cases):
            cc = CouncilCase(
                origin="platform",
                question=f"past question {c}",
                status="decided",
                deadline=clock.now() - timedelta(days=1),
                referred_by="seed",
            )
            s.add(cc)
            s.flush()
            for k, mid in enumerate(member_ids, start=1):
                pos = CAMPS.get(k, 0.0)
                if c % 3 == 2 or pos == 0.0:  # consensus case
                    vote = "overturn" if c % 2 else "uphold"
                else:
                    left_overturns = c % 2 == 0
                    vote = "overturn" if (pos < 0) == left_overturns else "uphold"
                s.add(CouncilVote(council_case_id=cc.id, member_id=mid, vote=vote, rationale="seeded"))


def permanent_ban(db: Database, account: str = "bob", actor: str = "mod-x") -> int:
    from townsquare.policy import enforce

    with db.session() as s:
        if s.get(Account, account) is None:
            s.add(Account(id=account, handle=account, created_at=clock.now() - timedelta(days=400)))
            s.flush()
        ban = enforce.apply_action(
            s,
            subject_type="account",
            subject_id=account,
            action="permanent_ban",
            rule_id="account.ban_evasion",
            actor=actor,
            actor_kind="moderator",
            reason="ban evasion",
        )
        return int(ban.id)


def council_vote(client: TestClient, case_id: int, headers: dict[str, str], vote: str, rationale: str) -> Any:
    """A panel member's vote through the API (the response, for its status and body)."""
    return client.post(
        f"/api/v1/council/cases/{case_id}/votes", json={"vote": vote, "rationale": rationale}, headers=headers
    )
