"""End to end through HTTP: a permanent-ban appeal goes to a drawn panel, members vote, the bridging rule decides,
the decision is published in FR and EN, and only a binding overturn lifts the ban."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from council_helpers import council_vote, permanent_ban
from fastapi.testclient import TestClient
from sqlalchemy import select

from townsquare import audit
from townsquare.storage.db import Database
from townsquare.storage.models import Account, Action, AuditRecord, CouncilCase, CouncilMember


def _appeal(client: TestClient, auth: Callable[..., dict[str, str]], ban_id: int, who: str = "bob") -> int:
    r = client.post(
        "/api/v1/appeals",
        json={"action_id": ban_id, "text": "I did not evade anything", "appellant_id": who},
        headers=auth("ingest"),
    )
    assert r.status_code == 201, r.text
    return int(r.json()["council_case_id"])


def _panel(client: TestClient, case_id: int, admin: dict[str, str]) -> list[dict[str, Any]]:
    r = client.get(f"/api/v1/council/cases/{case_id}", headers=admin)
    assert r.status_code == 200, r.text
    return list(r.json()["panel"])


def test_binding_overturn_lifts_the_ban(
    client: TestClient, db: Database, auth: Callable[..., dict[str, str]], council: dict[str, Any]
) -> None:
    # member 7's key is the moderator who banned bob: a conflict of interest
    with db.session() as s:
        m7 = s.get(CouncilMember, council["ids"][6])
        assert m7 is not None
        m7.key_name = "mod-x"
    ban_id = permanent_ban(db, actor="mod-x")
    case_id = _appeal(client, auth, ban_id)
    admin = auth("admin")
    panel = _panel(client, case_id, admin)
    seated = [p["member_id"] for p in panel]
    assert len(seated) == 5 and council["ids"][6] not in seated
    positions = sorted(p["position_at_draw"] for p in panel)
    assert positions[0] < -0.5 and positions[-1] > 0.5  # both sides of the axis are seated

    outsider = next(m for m in council["ids"][:6] if m not in seated)
    first = seated[0]
    h = council["headers"]
    assert council_vote(client, case_id, h[first], "overturn", "  ").status_code == 422
    assert council_vote(client, case_id, h[outsider], "overturn", "x").status_code == 403
    assert council_vote(client, case_id, admin, "overturn", "x").status_code == 403
    assert (
        client.post(f"/api/v1/council/cases/{case_id}/decide", headers=admin).status_code == 409
    )  # still voting
    for mid in seated:
        r = council_vote(
            client, case_id, h[mid], "overturn", f"Member {mid}: the evidence does not show evasion."
        )
        assert r.status_code == 201, r.text
    assert r.json()["case_status"] == "decided"
    assert council_vote(client, case_id, h[first], "uphold", "x").status_code == 409

    decisions = client.get("/api/v1/council/decisions").json()  # public, no key
    assert len(decisions) == 1
    d = decisions[0]
    assert d["outcome"] == "overturn" and d["binding"] is True and d["applied_action_id"] == ban_id
    assert d["bridging"]["rule"]["mode"] == "bridged"
    assert d["bridging"]["confidence_label"] in ("high", "medium")
    for lang in ("en", "fr"):
        pub = d["published"][lang]
        assert len(pub["panel"]) == 5 and len(pub["votes"]) == 5
        assert len(pub["majority"]["rationales"]) == 5 and pub["dissent"]["rationales"] == []
    assert "annule" in d["published"]["fr"]["outcome"]
    one = client.get(f"/api/v1/council/decisions/{d['id']}?lang=fr").json()
    assert set(one["published"]) == {"fr"}

    with db.session() as s:
        assert s.get(Account, "bob").status != "banned"  # type: ignore[union-attr]
        assert s.get(Action, ban_id).status == "reversed"  # type: ignore[union-attr]
        events = list(s.scalars(select(AuditRecord.event).order_by(AuditRecord.seq)))
        assert events.count("council.vote") == 5
        assert (
            "council.decision" in events and "ban.lifted" in events and "council.decision_applied" in events
        )
        assert audit.verify(s)[1] is None
    # applying twice is refused
    assert client.post(f"/api/v1/council/decisions/{d['id']}/apply", headers=admin).status_code == 409
    # the author hears the council's answer like a moderator's
    told = client.get("/api/v1/notifications", params={"recipient_id": "bob"}, headers=auth("ingest")).json()
    items = told["notifications"]
    assert any(n["kind"] == "appeal_outcome" for n in items), items


def test_split_along_camps_is_no_consensus_and_the_ban_stays(
    client: TestClient, db: Database, auth: Callable[..., dict[str, str]], council: dict[str, Any]
) -> None:
    ban_id = permanent_ban(db, account="carol")
    case_id = _appeal(client, auth, ban_id, who="carol")
    admin = auth("admin")
    panel = _panel(client, case_id, admin)
    for p in panel:  # the lower half overturns, the upper half upholds, the middle overturns: 3-2 majority
        vote = "overturn" if p["position_at_draw"] <= 0 else "uphold"
        r = council_vote(client, case_id, council["headers"][p["member_id"]], vote, f"camp view {vote}")
        assert r.status_code == 201, r.text
    d = client.get("/api/v1/council/decisions").json()[0]
    assert d["outcome"] == "no_consensus" and d["binding"] is False and d["applied_at"] is None
    assert d["published"]["en"]["dissent"]["rationales"]
    assert client.post(f"/api/v1/council/decisions/{d['id']}/apply", headers=admin).status_code == 403
    with db.session() as s:
        assert s.get(Account, "carol").status == "banned"  # type: ignore[union-attr]
        assert s.get(Action, ban_id).status == "active"  # type: ignore[union-attr]


def test_deadline_decides_with_the_votes_cast(
    client: TestClient, db: Database, auth: Callable[..., dict[str, str]], council: dict[str, Any]
) -> None:
    from townsquare.core import clock

    ban_id = permanent_ban(db, account="dave")
    case_id = _appeal(client, auth, ban_id, who="dave")
    admin = auth("admin")
    panel = _panel(client, case_id, admin)
    member = council["headers"]
    assert (
        council_vote(client, case_id, member[panel[0]["member_id"]], "overturn", "alone").status_code == 201
    )
    clock.advance(15 * 86400)
    assert council_vote(client, case_id, member[panel[1]["member_id"]], "overturn", "late").status_code == 409
    assert client.post("/api/v1/council/close-due", headers=admin).json() == {"decided": [case_id]}
    d = client.get("/api/v1/council/decisions").json()[0]
    assert d["outcome"] == "no_consensus" and not d["binding"]
    with db.session() as s:
        assert s.get(CouncilCase, case_id).status == "decided"  # type: ignore[union-attr]
        assert s.get(Account, "dave").status == "banned"  # type: ignore[union-attr]


def test_members_are_governed_two_admins_and_a_public_notice(
    client: TestClient, auth: Callable[..., dict[str, str]]
) -> None:
    """Adding a member is a proposal: a second admin approves, the notice period passes, the member enrols with
    the two halves of the code and holds the only key; the member rotates it, the admin can only revoke it."""
    from townsquare.core import clock

    body = {
        "name": "Ana",
        "region": "EU-West",
        "languages": ["fr", "en"],
        "expertise": ["law"],
        "viewpoint_group": "civil-society",
    }
    admin1, admin2 = auth("admin", name="admin-one"), auth("admin", name="admin-two")
    assert client.post("/api/v1/council/members", json=body).status_code == 401
    assert client.post("/api/v1/council/members", json=body, headers=auth("moderator")).status_code == 403
    assert (
        client.post("/api/v1/council/members", json={**body, "key_name": "ana"}, headers=admin1).status_code
        == 422
    )
    assert (
        client.post(
            "/api/v1/council/members", json={**body, "viewpoint_group": "x"}, headers=admin1
        ).status_code
        == 422
    )
    r = client.post("/api/v1/council/members", json=body, headers=admin1)
    assert r.status_code == 202, r.text
    change, half_a = r.json()["change"], r.json()["enrolment_code_half"]
    assert change["status"] == "pending" and client.get("/api/v1/council/members").json() == []
    pending = client.get("/api/v1/council/member-changes?pending=true").json()
    assert [c["id"] for c in pending] == [change["id"]] and "enrolment_code_half" not in pending[0]
    assert (
        client.post(f"/api/v1/council/member-changes/{change['id']}/approve", headers=admin1).status_code
        == 403
    )
    r = client.post(f"/api/v1/council/member-changes/{change['id']}/approve", headers=admin2)
    assert r.status_code == 200 and r.json()["change"]["status"] == "approved"
    half_b = r.json()["enrolment_code_half"]
    assert client.get("/api/v1/council/members").json() == []  # notice period not over
    clock.advance(7 * 86400 + 1)
    assert client.post("/api/v1/council/member-changes/apply-due", headers=admin1).json()["effective"] == [
        change["id"]
    ]
    listed = client.get("/api/v1/council/members").json()
    assert listed[0]["name"] == "Ana" and listed[0]["viewpoint_group"] == "civil-society"
    assert listed[0]["enrolled"] is False and "key_name" not in listed[0]
    mid = listed[0]["id"]
    assert client.post(f"/api/v1/council/members/{mid}/enrol", json={"code": half_a}).status_code == 403
    assert (
        client.post(f"/api/v1/council/members/{mid}/enrol", json={"code": f"{half_a}.x"}).status_code == 403
    )
    r = client.post(f"/api/v1/council/members/{mid}/enrol", json={"code": f"{half_a}.{half_b}"})
    assert r.status_code == 201, r.text
    token = r.json()["token"]
    assert (
        client.post(f"/api/v1/council/members/{mid}/enrol", json={"code": f"{half_a}.{half_b}"}).status_code
        == 403
    )
    member_h = {"Authorization": f"Bearer {token}"}
    r = client.post("/api/v1/council/me/key", headers=member_h)
    assert r.status_code == 201
    new_h = {"Authorization": f"Bearer {r.json()['token']}"}
    assert client.post("/api/v1/council/me/key", headers=member_h).status_code == 401  # old key revoked
    assert client.post(f"/api/v1/council/members/{mid}/key/revoke", headers=admin1).status_code == 200
    assert client.post("/api/v1/council/me/key", headers=new_h).status_code == 401
