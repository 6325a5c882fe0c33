"""Only a binding council decision lifts a permanent ban: every other route, admin included, is refused.
Also: conflicts of interest, moderator referrals, and the fallback rule of a council without history."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from council_helpers import add_members, council_vote, permanent_ban
from fastapi.testclient import TestClient
from sqlalchemy import select

from townsquare.api.introspect import flat_routes
from townsquare.council import cases
from townsquare.storage.db import Database
from townsquare.storage.models import Account, Action, CouncilDecision, PanelSeat, Report


def _split_decision(
    client: TestClient, auth: Callable[..., dict[str, str]], council: dict[str, Any], ban_id: int, who: str
) -> int:
    r = client.post(
        "/api/v1/appeals",
        json={"action_id": ban_id, "text": "x", "appellant_id": who},
        headers=auth("ingest"),
    )
    case_id = r.json()["council_case_id"]
    panel = client.get(f"/api/v1/council/cases/{case_id}", headers=auth("admin")).json()["panel"]
    for p in panel:
        vote = "overturn" if p["position_at_draw"] <= 0 else "uphold"
        council_vote(client, case_id, council["headers"][p["member_id"]], vote, "r")
    return int(client.get("/api/v1/council/decisions").json()[0]["id"])


def test_no_route_lifts_a_permanent_ban(
    client: TestClient, app: Any, db: Database, auth: Callable[..., dict[str, str]], council: dict[str, Any]
) -> None:
    ban_id = permanent_ban(db, account="bob")
    decision_id = _split_decision(client, auth, council, ban_id, "bob")
    with db.session() as s:
        d = s.get(CouncilDecision, decision_id)
        assert d is not None and not d.binding
        case_id = d.council_case_id
    admin = auth("admin")
    bodies: list[dict[str, Any]] = [
        {},
        {
            "action_id": ban_id,
            "reason": "lift",
            "actor": "admin",
            "outcome": "overturn",
            "status": "reversed",
        },
        {
            "subject_type": "account",
            "subject_id": "bob",
            "action": "none",
            "rule_id": "account.ban_evasion",
            "reason": "lift",
        },
        {
            "answer": "accepted",
            "reason": "lift",
            "vote": "overturn",
            "rationale": "lift",
            "outcome": "overturned",
            "statement": "lift",
            "new_action": "none",
        },
    ]
    values = [str(ban_id), str(decision_id), str(case_id), "bob"]
    hits = 0
    for route in flat_routes(app):
        if not route.methods & {"POST", "PUT", "PATCH", "DELETE"}:
            continue
        params = re.findall(r"{(\w+)(?::\w+)?}", route.path)
        for value in values if params else ["-"]:
            path = re.sub(r"{\w+(?::\w+)?}", value, route.path)
            for method in sorted(route.methods & {"POST", "PUT", "PATCH", "DELETE"}):
                for body in bodies:
                    client.request(method, path, json=body, headers=admin)
                    hits += 1
    assert hits > 100
    with db.session() as s:
        ban = s.get(Action, ban_id)
        assert ban is not None and ban.status == "active"
        assert s.get(Account, "bob").status == "banned"  # type: ignore[union-attr]


def test_conflicts_of_interest_are_excluded(db: Database) -> None:
    ids = add_members(db, 8)
    ban_id = permanent_ban(db, account="zed", actor="cm1")  # cm1 banned zed
    with db.session() as s:
        s.add(
            Report(
                reporter_id="cm2", subject_type="account", subject_id="zed", account_id="zed", reason="spam"
            )
        )
        s.flush()
        ccase = cases.refer(s, origin="platform", question="q", referred_by="cm3", action_id=ban_id)
        seated = set(s.scalars(select(PanelSeat.member_id).where(PanelSeat.council_case_id == ccase.id)))
    assert len(seated) == 5 and not seated & {ids[0], ids[1], ids[2]}


def test_referral_waits_for_enough_members(db: Database) -> None:
    add_members(db, 4)
    with db.session() as s:
        ccase = cases.refer(s, origin="platform", question="q", referred_by="admin")
        assert cases.seats(s, ccase.id) == []
        cid = ccase.id
    add_members(db, 2, prefix="late")
    with db.session() as s:
        assert len(cases.draw_panel(s, case_id=cid, actor="admin")) == 5


def test_moderator_referral_and_fallback_rule_without_history(
    client: TestClient, db: Database, auth: Callable[..., dict[str, str]]
) -> None:
    ids = add_members(db, 5, groups=["progressive", "conservative", "civil-society", "industry"])
    headers = {mid: auth("council", name=f"cm{k}") for k, mid in enumerate(ids, start=1)}
    ban_id = permanent_ban(db, account="yan")
    r = client.post(
        "/api/v1/council/cases",
        json={"question": "Lift?", "action_id": ban_id},
        headers=auth("moderator", name="mod-q"),
    )
    assert r.status_code == 201 and r.json()["origin"] == "moderator"
    case_id = r.json()["id"]
    assert all(p["position_at_draw"] is None for p in r.json()["panel"])
    for k, mid in enumerate(ids):
        vote = "uphold" if k == 0 else "overturn"
        council_vote(client, case_id, headers[mid], vote, "r")
    d = client.get("/api/v1/council/decisions").json()[0]
    assert d["bridging"]["rule"]["mode"] == "fallback" and d["bridging"]["confidence_label"] == "low"
    assert d["outcome"] == "overturn" and d["binding"] is True  # 4 of 5, in 4 declared groups
    assert d["bridging"]["rule"]["checks"]["overturn"]["basis"] == "declared_groups"
    assert "declared viewpoint groups" in d["published"]["en"]["binding"]
    assert "crossed the viewpoint axis" not in d["published"]["en"]["binding"]
    with db.session() as s:
        assert s.get(Action, ban_id).status == "reversed"  # type: ignore[union-attr]
    assert (
        client.post("/api/v1/council/cases", json={"question": " "}, headers=auth("admin")).status_code == 422
    )
    assert (
        client.post("/api/v1/council/cases", json={"question": "q"}, headers=auth("council")).status_code
        == 403
    )


def test_a_case_without_a_panel_expires_into_the_status_quo(db: Database) -> None:
    from townsquare.core import clock

    add_members(db, 2)
    ban_id = permanent_ban(db, account="quinn")
    with db.session() as s:
        cid = cases.refer(s, origin="platform", question="q", referred_by="admin", action_id=ban_id).id
    clock.advance(15 * 86400)
    with db.session() as s:
        assert cases.close_due(s) == [cid]
        d = s.scalars(select(CouncilDecision).where(CouncilDecision.council_case_id == cid)).one()
        assert d.outcome == "no_consensus" and not d.binding
        assert s.get(Action, ban_id).status == "active"  # type: ignore[union-attr]


def test_the_last_two_votes_in_parallel_decide_exactly_once(db: Database) -> None:
    import threading

    add_members(db, 5)
    with db.session() as s:
        cid = cases.refer(s, origin="platform", question="q", referred_by="admin").id
        keys = [f"cm{k}" for k in range(1, 6)]
        for key in keys[:3]:
            cases.cast_vote(s, case_id=cid, key_name=key, vote="overturn", rationale="r")
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def vote(key: str) -> None:
        try:
            barrier.wait()
            with db.session() as s:
                cases.cast_vote(s, case_id=cid, key_name=key, vote="overturn", rationale="r")
        except BaseException as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=vote, args=(k,)) for k in keys[3:]]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with db.session() as s:
        assert (
            len(s.scalars(select(CouncilDecision).where(CouncilDecision.council_case_id == cid)).all()) == 1
        )
