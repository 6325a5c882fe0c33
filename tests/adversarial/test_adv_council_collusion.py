"""Attackers who are more than one person (issue 11): two colluding admins inside the public notice period, an
admin with a moderator, one council member voting with several keys. None lifts the ban."""

from __future__ import annotations

from collections.abc import Callable

from adv_council_world import make_world
from fastapi.testclient import TestClient

from townsquare.core import clock
from townsquare.storage.db import Database

DAY = 86400


def test_two_colluding_admins_cannot_act_inside_the_notice_period(
    client: TestClient, db: Database, auth: Callable[..., dict[str, str]]
) -> None:
    w = make_world(client, db, auth, history=True)
    seated = [p["member_id"] for p in w.panel()]
    proposals = []
    for k in range(3):
        r = client.post(
            "/api/v1/council/members",
            json={"name": f"Puppet {k}", "viewpoint_group": "industry"},
            headers=w.admin,
        )
        proposals.append(r.json()["change"]["id"])
    for mid in w.member_ids:
        r = client.patch(f"/api/v1/council/members/{mid}", json={"active": False}, headers=w.admin)
        proposals.append(r.json()["change"]["id"])
    halves = {}
    for cid in proposals:
        r = client.post(f"/api/v1/council/member-changes/{cid}/approve", headers=w.admin2)
        assert r.status_code == 200 and r.json()["change"]["status"] == "approved"
        halves[cid] = r.json().get("enrolment_code_half")
    clock.advance(6 * DAY)  # inside the 7-day notice: nothing takes effect, everything is public
    assert client.post("/api/v1/council/member-changes/apply-due", headers=w.admin).json()["effective"] == []
    assert all(active for _, active, _ in w.members_state())
    listed = client.get("/api/v1/council/member-changes?pending=true").json()
    assert {c["id"] for c in listed} == set(proposals)
    page = client.get("/transparency")
    assert page.status_code == 200 and "Puppet 0" in page.text
    # after the notice the changes take effect — but nobody on the open panel is removed or replaced
    clock.advance(2 * DAY)
    assert sorted(
        client.post("/api/v1/council/member-changes/apply-due", headers=w.admin).json()["effective"]
    ) == sorted(proposals)
    assert [p["member_id"] for p in w.panel()] == seated
    r = client.post(f"/api/v1/council/cases/{w.case_id}/panel", json={}, headers=w.admin)
    assert r.status_code == 409
    # the sitting panel still decides this case (deactivated members keep their seats on open cases)
    for p in w.panel():
        assert (
            w.vote(p["member_id"], "overturn" if (p["position_at_draw"] or 0) < 0 else "uphold").status_code
            == 201
        )
    assert w.ban_active() and not w.binding_decisions()


def test_an_admin_and_a_moderator_cannot_lift_the_ban(
    client: TestClient, db: Database, auth: Callable[..., dict[str, str]]
) -> None:
    w = make_world(client, db, auth, history=True)
    moderator = auth("moderator", name="mod-accomplice")
    r = client.post(
        "/api/v1/council/members", json={"name": "Puppet", "viewpoint_group": "industry"}, headers=w.admin
    )
    cid = r.json()["change"]["id"]
    assert client.post(f"/api/v1/council/member-changes/{cid}/approve", headers=moderator).status_code == 403
    r = client.post(
        "/api/v1/council/cases", json={"question": "Lift?", "action_id": w.ban_id}, headers=moderator
    )
    assert r.status_code == 409  # one case per action
    assert (
        client.post(
            f"/api/v1/actions/{w.ban_id}/reverse", json={"reason": "x"}, headers=moderator
        ).status_code
        == 403
    )
    assert (
        client.post(f"/api/v1/actions/{w.ban_id}/reverse", json={"reason": "x"}, headers=w.admin).status_code
        == 403
    )
    assert (
        client.post(f"/api/v1/council/cases/{w.case_id}/panel", json={}, headers=w.admin).status_code == 409
    )
    assert client.post(f"/api/v1/council/cases/{w.case_id}/decide", headers=w.admin).status_code == 409
    assert w.ban_active() and not w.binding_decisions()


def test_one_member_cannot_vote_with_several_keys(
    client: TestClient, db: Database, auth: Callable[..., dict[str, str]]
) -> None:
    w = make_world(client, db, auth, history=True)
    seated = [p["member_id"] for p in w.panel()]
    me = seated[0]
    r = client.post("/api/v1/council/me/key", headers=w.headers[me])  # the member rotates their key
    assert r.status_code == 201
    new = {"Authorization": f"Bearer {r.json()['token']}"}
    old = w.headers[me]
    w.headers[me] = new
    assert w.vote(me, "overturn").status_code == 201
    w.headers[me] = old
    assert w.vote(me, "overturn").status_code == 401  # the old key died with the rotation
    w.headers[me] = new
    assert w.vote(me, "overturn").status_code == 409  # one vote per member
    extra = auth("council", name="seat1-spare")  # any other council key speaks for nobody
    assert (
        client.post(
            f"/api/v1/council/cases/{w.case_id}/votes",
            json={"vote": "overturn", "rationale": "x"},
            headers=extra,
        ).status_code
        == 403
    )
    assert client.post("/api/v1/council/me/key", headers=extra).status_code == 403
    assert w.ban_active() and not w.binding_decisions()
