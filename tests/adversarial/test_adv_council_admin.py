"""A single admin attacks the council (issue 11): packing, deactivating, re-keying, a second case on the ban,
re-referring, resizing the panel, changing the charter, freezing the dissenters. Every attempt is a sequence of
real HTTP calls with admin credentials; none lifts the ban or binds a one-sided decision."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from adv_council_world import make_world
from fastapi.testclient import TestClient

from townsquare.core import clock
from townsquare.storage.db import Database

DAY = 86400


def test_one_admin_cannot_pack_the_council(
    client: TestClient, db: Database, auth: Callable[..., dict[str, str]]
) -> None:
    w = make_world(client, db, auth, history=True)
    before = w.members_state()
    changes = []
    for k in range(3):
        r = client.post(
            "/api/v1/council/members",
            json={"name": f"Puppet {k}", "viewpoint_group": "industry"},
            headers=w.admin,
        )
        assert r.status_code == 202, r.text
        changes.append(r.json()["change"]["id"])
    for cid in changes:  # approving one's own proposal is refused
        assert (
            client.post(f"/api/v1/council/member-changes/{cid}/approve", headers=w.admin).status_code == 403
        )
    clock.advance(30 * DAY)
    assert client.post("/api/v1/council/member-changes/apply-due", headers=w.admin).json()["effective"] == []
    assert w.members_state() == before
    public = client.get("/api/v1/council/member-changes?pending=true").json()
    assert {c["id"] for c in public} == set(changes) and all(
        c["proposed_by"] == "admin-mallory" for c in public
    )
    # council keys the admin holds speak for nobody
    puppet = auth("council", name="puppet-key")
    assert (
        client.post(
            f"/api/v1/council/cases/{w.case_id}/votes",
            json={"vote": "overturn", "rationale": "x"},
            headers=puppet,
        ).status_code
        == 403
    )
    assert w.ban_active() and not w.binding_decisions()


def test_one_admin_cannot_deactivate_the_sitting_members(
    client: TestClient, db: Database, auth: Callable[..., dict[str, str]]
) -> None:
    w = make_world(client, db, auth, history=True)
    for mid in w.member_ids:
        r = client.patch(f"/api/v1/council/members/{mid}", json={"active": False}, headers=w.admin)
        assert r.status_code == 202 and r.json()["change"]["kind"] == "deactivate"
        assert client.delete(f"/api/v1/council/members/{mid}", headers=w.admin).status_code == 202
    clock.advance(8 * DAY)
    assert client.post("/api/v1/council/member-changes/apply-due", headers=w.admin).json()["effective"] == []
    assert all(active for _, active, _ in w.members_state())
    # and there is no way around the proposal: the old direct write is gone
    r = client.patch(
        f"/api/v1/council/members/{w.member_ids[0]}", json={"active": False, "name": "x"}, headers=w.admin
    )
    assert r.status_code == 422
    assert w.ban_active() and not w.binding_decisions()


def test_one_admin_cannot_rekey_a_member(
    client: TestClient, db: Database, auth: Callable[..., dict[str, str]]
) -> None:
    w = make_world(client, db, auth, history=True)
    seated = [p["member_id"] for p in w.panel()]
    target = seated[0]
    r = client.patch(f"/api/v1/council/members/{target}", json={"key_name": "mallory-key"}, headers=w.admin)
    assert r.status_code == 422 and "issued to the member" in r.json()["detail"]
    r = client.post(
        "/api/v1/council/member-changes",
        json={"kind": "update", "member_id": target, "changes": {"key_id": 1}},
        headers=w.admin,
    )
    assert r.status_code == 422
    # a key named like the member's cannot be minted (names are unique and never reused) ...
    assert client.post("/api/v1/council/members/1/enrol", json={"code": "guess.guess"}).status_code == 403
    # ... and revoking the member's key (the admin's only power) silences the seat, it does not hand it over
    assert client.post(f"/api/v1/council/members/{target}/key/revoke", headers=w.admin).status_code == 200
    assert w.vote(target, "uphold").status_code == 401
    r = client.post(
        "/api/v1/council/member-changes", json={"kind": "reissue_key", "member_id": target}, headers=w.admin
    )
    assert r.status_code == 202 and r.json()["change"]["status"] == "pending"
    for mid in seated[1:]:
        assert w.vote(mid, "overturn").status_code == 201
    assert w.ban_active()


def test_one_admin_cannot_open_a_second_case_on_the_ban(
    client: TestClient, db: Database, auth: Callable[..., dict[str, str]]
) -> None:
    w = make_world(client, db, auth, history=True)
    r = client.post(
        "/api/v1/council/cases", json={"question": "Lift it?", "action_id": w.ban_id}, headers=w.admin
    )
    assert r.status_code == 409 and r.json()["council_case_id"] == w.case_id
    r = client.post(
        "/api/v1/council/cases",
        json={"question": "Lift it?", "action_id": w.ban_id, "new_evidence": "new!"},
        headers=w.admin,
    )
    assert r.status_code == 409
    assert w.ban_active() and not w.binding_decisions()


def test_one_admin_cannot_re_refer_until_a_panel_overturns(
    client: TestClient, db: Database, auth: Callable[..., dict[str, str]]
) -> None:
    w = make_world(client, db, auth, history=True)
    for p in w.panel():  # the honest panel splits: no consensus, the ban stays
        assert (
            w.vote(p["member_id"], "overturn" if (p["position_at_draw"] or 0) < 0 else "uphold").status_code
            == 201
        )
    assert w.ban_active() and not w.binding_decisions()
    ask = {"question": "Lift it now?", "action_id": w.ban_id}
    r = client.post("/api/v1/council/cases", json=ask, headers=w.admin)
    assert r.status_code == 422 and "new evidence" in r.json()["detail"]
    r = client.post("/api/v1/council/cases", json={**ask, "new_evidence": "A new witness."}, headers=w.admin)
    assert r.status_code == 409 and "re-referred 90 days" in r.json()["detail"]
    assert client.get("/api/v1/council/rereferrals").json() == []
    clock.advance(91 * DAY)
    r = client.post("/api/v1/council/cases", json={**ask, "new_evidence": "A new witness."}, headers=w.admin)
    assert r.status_code == 201, r.text
    public = client.get("/api/v1/council/rereferrals").json()  # public, with the evidence cited
    assert public[0]["rereferral_of"] == w.case_id and public[0]["new_evidence"] == "A new witness."
    assert (
        client.post(
            "/api/v1/council/cases", json={**ask, "new_evidence": "more"}, headers=w.admin
        ).status_code
        == 409
    )
    assert w.ban_active()


def test_one_admin_cannot_resize_the_panel(
    client: TestClient, db: Database, auth: Callable[..., dict[str, str]]
) -> None:
    w = make_world(client, db, auth, history=True)
    assert client.get("/api/v1/council/charter").json()["panel_size"] == 5
    r = client.post(f"/api/v1/council/cases/{w.case_id}/panel", json={"size": 3}, headers=w.admin)
    assert r.status_code == 422
    r = client.post(f"/api/v1/council/cases/{w.case_id}/panel", json={}, headers=w.admin)
    assert r.status_code == 409  # the panel is drawn once and never redrawn
    assert len(w.panel()) == 5
    seated = [p["member_id"] for p in w.panel()]
    for mid in seated[:3]:  # three loyal votes are not a panel
        assert w.vote(mid, "overturn").status_code == 201
    r = client.post(f"/api/v1/council/cases/{w.case_id}/decide", headers=w.admin)
    assert r.status_code == 409
    assert w.ban_active() and not w.binding_decisions()


def test_one_admin_cannot_change_the_charter(
    client: TestClient, db: Database, auth: Callable[..., dict[str, str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    w = make_world(client, db, auth, history=True)
    before = client.get("/api/v1/council/charter").json()
    for method in ("post", "put", "patch", "delete"):
        r = getattr(client, method)("/api/v1/council/charter", headers=w.admin)
        assert r.status_code == 405, method
    # even an operator changing the deployment mid-case does not change the case's charter
    from townsquare.settings import get_settings

    monkeypatch.setenv("TOWNSQUARE_COUNCIL_PANEL_SIZE", "3")
    monkeypatch.setenv("TOWNSQUARE_COUNCIL_NOTICE_DAYS", "0")
    get_settings.cache_clear()
    try:
        after = client.get("/api/v1/council/charter").json()
        assert (
            after["panel_size"] == 3 and after["sha256"] != before["sha256"]
        )  # published, with a new digest
        case = client.get(f"/api/v1/council/cases/{w.case_id}", headers=w.admin).json()
        assert case["charter"]["sha256"] == before["sha256"] and case["charter"]["panel_size"] == 5
        seated = [p["member_id"] for p in case["panel"]]
        for mid in seated[:3]:
            assert w.vote(mid, "overturn").status_code == 201
        assert client.post(f"/api/v1/council/cases/{w.case_id}/decide", headers=w.admin).status_code == 409
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()
    assert w.ban_active() and not w.binding_decisions()


def test_one_admin_cannot_freeze_the_dissenters_into_a_majority(
    client: TestClient, db: Database, auth: Callable[..., dict[str, str]]
) -> None:
    """Freezing counts a seat as absent; it never raises anyone's share."""
    w = make_world(client, db, auth, history=False)
    seated = [p["member_id"] for p in w.panel()]
    for mid in seated[:3]:
        assert w.vote(mid, "overturn").status_code == 201
    for k, mid in enumerate(seated[3:]):
        r = client.post(
            f"/api/v1/council/cases/{w.case_id}/seats/{mid}/freeze",
            json={"reason": "compromised"},
            headers=w.admin,
        )
        assert r.status_code == 200, r.text
        # a frozen seat votes no more; freezing the last one completes the panel and decides the case
        assert w.vote(mid, "uphold").status_code == (403 if k == 0 else 409)
    d = client.get("/api/v1/council/decisions").json()[0]
    assert d["council_case_id"] == w.case_id and d["binding"] is False
    assert d["bridging"]["rule"]["counts"]["frozen"] == 2
    assert w.ban_active() and not w.binding_decisions()


def test_one_admin_cannot_silence_the_dissenters_and_wait_for_the_deadline(
    client: TestClient, db: Database, auth: Callable[..., dict[str, str]]
) -> None:
    """Revoking a key (the admin's only power over it) keeps a member from voting; their seat still counts as
    not supporting when the deadline decides the case."""
    w = make_world(client, db, auth, history=False)
    seated = [p["member_id"] for p in w.panel()]
    for mid in seated[3:]:
        assert client.post(f"/api/v1/council/members/{mid}/key/revoke", headers=w.admin).status_code == 200
        assert w.vote(mid, "uphold").status_code == 401
    for mid in seated[:3]:
        assert w.vote(mid, "overturn").status_code == 201
    clock.advance(15 * DAY)
    assert client.post("/api/v1/council/close-due", headers=w.admin).json()["decided"] == [w.case_id]
    d = client.get("/api/v1/council/decisions").json()[0]
    assert d["binding"] is False and d["bridging"]["rule"]["counts"]["none"] == 2
    assert w.ban_active() and not w.binding_decisions()
