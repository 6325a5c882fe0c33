"""The attacked world of the council attack suite: a sitting council, a permanent ban, the appellant's case.

Set-up writes the *pre-existing* state directly (a council seated before the attack, its voting history, a ban
taken by a moderator); every step of an attack afterwards is a real HTTP call through the app. Each scenario ends
by checking the two things an attacker wants: the ban lifted, or a binding one-sided decision.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select

from council_shared import permanent_ban, seed_history
from townsquare.storage.db import Database
from townsquare.storage.models import (
    Account,
    Action,
    ApiKey,
    CouncilDecision,
    CouncilMember,
)

GROUPS = ["progressive", "conservative", "civil-society", "industry"]
VICTIM = "appellant"


@dataclass
class World:
    client: TestClient
    db: Database
    auth: Callable[..., dict[str, str]]
    member_ids: list[int]
    headers: dict[int, dict[str, str]]
    ban_id: int
    case_id: int = 0
    admin: dict[str, str] = field(default_factory=dict)
    admin2: dict[str, str] = field(default_factory=dict)

    def panel(self) -> list[dict[str, Any]]:
        r = self.client.get(f"/api/v1/council/cases/{self.case_id}", headers=self.admin)
        assert r.status_code == 200, r.text
        return list(r.json()["panel"])

    def vote(self, member_id: int, vote: str, rationale: str = "my reasons", **extra: Any) -> Any:
        return self.client.post(
            f"/api/v1/council/cases/{self.case_id}/votes",
            json={"vote": vote, "rationale": rationale, **extra},
            headers=self.headers[member_id],
        )

    def ban_active(self) -> bool:
        with self.db.session() as s:
            ban = s.get(Action, self.ban_id)
            account = s.get(Account, VICTIM)
            assert ban is not None and account is not None
            return ban.status == "active" and account.status == "banned"

    def binding_decisions(self) -> list[CouncilDecision]:
        with self.db.session() as s:
            rows = list(s.scalars(select(CouncilDecision).where(CouncilDecision.binding.is_(True))))
            s.expunge_all()
            return rows

    def members_state(self) -> list[tuple[int, bool, int | None]]:
        with self.db.session() as s:
            return [
                (m.id, m.active, m.key_id)
                for m in s.scalars(select(CouncilMember).order_by(CouncilMember.id))
            ]


def seat_council(
    db: Database, n: int = 7, groups: list[str] | None = None, prefix: str = "seat"
) -> list[int]:
    ids = []
    with db.session() as s:
        for k in range(1, n + 1):
            m = CouncilMember(
                name=f"Sitting member {k}",
                key_name=f"{prefix}{k}",
                region=["EU", "Africa", "Americas", "Asia"][k % 4],
                languages=["fr"] if k % 2 else ["en"],
                viewpoint_group=(groups or GROUPS)[(k - 1) % len(groups or GROUPS)],
                active=True,
            )
            s.add(m)
            s.flush()
            ids.append(m.id)
    return ids


def bind_keys(db: Database, ids: list[int]) -> None:
    """Bind each seated member to the key of their name (as an enrolment would have)."""
    with db.session() as s:
        for mid in ids:
            m = s.get(CouncilMember, mid)
            assert m is not None
            m.key_id = s.scalar(select(ApiKey.id).where(ApiKey.name == m.key_name))


def ban(db: Database, account: str = VICTIM, actor: str = "mod-x") -> int:
    return permanent_ban(db, account, actor, reason="ban evasion (moderator's private note)")


def appeal(client: TestClient, auth: Callable[..., dict[str, str]], ban_id: int) -> int:
    r = client.post(
        "/api/v1/appeals",
        json={"action_id": ban_id, "text": "I did not evade anything", "appellant_id": VICTIM},
        headers=auth("ingest", name="platform-relay"),
    )
    assert r.status_code in (200, 201), r.text
    return int(r.json()["council_case_id"])


def make_world(
    client: TestClient,
    db: Database,
    auth: Callable[..., dict[str, str]],
    *,
    history: bool,
    groups: list[str] | None = None,
    n: int = 7,
) -> World:
    ids = seat_council(db, n, groups)
    if history:
        seed_history(db, ids)
    headers = {mid: auth("council", name=f"seat{k}") for k, mid in enumerate(ids, start=1)}
    bind_keys(db, ids)
    ban_id = ban(db)
    w = World(client, db, auth, ids, headers, ban_id)
    w.admin, w.admin2 = auth("admin", name="admin-mallory"), auth("admin", name="admin-trent")
    w.case_id = appeal(client, auth, ban_id)
    assert len(w.panel()) == 5
    return w


def web_login(client: TestClient, headers: dict[str, str]) -> None:
    """Sign the test client in on the web with the key behind these API headers (real login form, CSRF)."""
    import re

    page = client.get("/login", headers={"accept": "text/html"})
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert csrf
    r = client.post(
        "/login",
        data={"api_key": headers["Authorization"].split(" ", 1)[1], "csrf_token": csrf.group(1), "next": ""},
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text


def csrf_token(html: str) -> str:
    import re

    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found
    return found.group(1)
