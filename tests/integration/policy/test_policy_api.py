"""Actions API: roles, manual actions, reversal, the public post view; no route lifts a permanent ban."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from policy_helpers import add_post, enforce_post, snapshot
from sqlalchemy import select

from townsquare.api.introspect import flat_routes
from townsquare.storage.db import Database
from townsquare.storage.models import Account, Action, Post

Auth = Callable[..., dict[str, str]]


def body(**kw: Any) -> dict[str, Any]:
    base = {
        "subject_type": "post",
        "subject_id": "p1",
        "action": "limit_reach",
        "rule_id": "hate.derogation@1",
        "explanation": "Your post demeans a protected group.",
        "reason": "derogatory about a protected group",
    }
    base.update(kw)
    return base


def test_roles_on_every_actions_route(client: Any, db: Database, auth: Auth) -> None:
    with db.session() as s:
        add_post(s, "p1")
    for role, expected in (
        ("public", 401),
        ("advertiser", 403),
        ("council", 403),
        ("ingest", 403),
        ("auditor", 403),
    ):
        headers = (
            {} if role == "public" else auth(role, advertiser_id="adv1" if role == "advertiser" else None)
        )
        assert client.get("/api/v1/posts/p1/actions", headers=headers).status_code == expected
        assert client.post("/api/v1/actions", json=body(), headers=headers).status_code == expected
    with db.session() as s:
        assert s.scalars(select(Action)).all() == []


def test_manual_action_list_notice_reverse_and_public_view(client: Any, db: Database, auth: Auth) -> None:
    with db.session() as s:
        add_post(s, "p1", lang="fr")
    mod = auth("moderator", "mod-anna")
    r = client.post("/api/v1/actions", json=body(), headers=mod)
    assert r.status_code == 201, r.text
    created = r.json()
    assert created["actor"] == "mod-anna" and created["rule"] == "hate.derogation@1"
    assert created["statement"]["automated_decision"] == "AUTOMATED_DECISION_NOT_AUTOMATED"
    public = client.get("/api/v1/posts/p1").json()
    assert public["visibility"] == "limited_reach"
    assert public["label"]["fr"] and public["label"]["en"]
    assert public["statement"]["puid"] == created["puid"] and public["reach"]["ads_adjacent"] is False
    listed = client.get("/api/v1/posts/p1/actions", headers=mod).json()
    assert [a["id"] for a in listed] == [created["id"]]
    assert [a["id"] for a in client.get("/api/v1/accounts/alice/actions", headers=auth("admin")).json()] == [
        created["id"]
    ]
    notice = client.get(f"/api/v1/actions/{created['id']}/notice", headers=mod).json()
    assert notice["lang"] == "fr" and "diffusion" in notice["text"]
    assert (
        "reach" in client.get(f"/api/v1/actions/{created['id']}/notice?lang=en", headers=mod).json()["text"]
    )
    r = client.post(
        f"/api/v1/actions/{created['id']}/reverse",
        json={"reason": "context: quoting to condemn"},
        headers=mod,
    )
    assert r.status_code == 200 and r.json()["status"] == "reversed"
    assert client.get("/api/v1/posts/p1").json()["visibility"] == "visible"
    assert (
        client.post(f"/api/v1/actions/{created['id']}/reverse", json={"reason": "x"}, headers=mod).status_code
        == 409
    )


def test_bad_requests_get_problems_and_change_nothing(client: Any, db: Database, auth: Auth) -> None:
    with db.session() as s:
        add_post(s, "p1")
    mod = auth("moderator")
    before = snapshot(db)
    cases = [
        (body(subject_id="ghost"), 404),
        (body(rule_id="hate.unknown"), 422),
        (body(rule_id="not a rule"), 422),
        (body(action="obliterate"), 422),
        (body(action="suspend"), 422),
        (body(explanation=""), 422),
        (body(subject_type="planet"), 422),
        (body(source_type="SOURCE_GOSSIP"), 422),
    ]
    for payload, status in cases:
        r = client.post("/api/v1/actions", json=payload, headers=mod)
        assert r.status_code == status, (payload, r.text)
        assert r.headers["content-type"].startswith("application/problem+json")
        assert "Traceback" not in r.text
    assert client.get("/api/v1/posts/ghost/actions", headers=mod).status_code == 404
    assert client.post("/api/v1/actions/999/reverse", json={"reason": "x"}, headers=mod).status_code == 404
    assert snapshot(db) == before


def test_no_api_call_lifts_a_permanent_ban(client: Any, app: Any, db: Database, auth: Auth) -> None:
    with db.session() as s:
        add_post(s, "p1")
    admin = auth("admin", "root")
    r = client.post(
        "/api/v1/actions",
        json=body(
            subject_type="account", subject_id="alice", action="permanent_ban", rule_id="account.ban_evasion"
        ),
        headers=admin,
    )
    assert r.status_code == 201, r.text
    ban_id = r.json()["id"]
    moderator = auth("moderator")
    before = snapshot(db)
    r = client.post(f"/api/v1/actions/{ban_id}/reverse", json={"reason": "admin override"}, headers=admin)
    assert r.status_code == 403 and "council" in r.json()["detail"]
    # Walk every POST/PUT/PATCH/DELETE route that names an action and try it as admin and moderator.
    touched = 0
    for route in flat_routes(app):
        if "{action_id}" not in route.path:
            continue
        for method in route.methods - {"GET", "HEAD"}:
            for headers in (admin, moderator):
                url = route.path.replace("{action_id}", str(ban_id))
                client.request(
                    method, url, json={"reason": "lift it", "outcome": "overturn"}, headers=headers
                )
                touched += 1
    assert touched >= 2
    with db.session() as s:
        assert s.get(Account, "alice").status == "banned"  # type: ignore[union-attr]
        assert s.get(Action, ban_id).status == "active"  # type: ignore[union-attr]
    assert snapshot(db) == before


def test_public_view_of_an_automated_decision(client: Any, db: Database) -> None:
    with db.session() as s:
        enforce_post(s, "p9", scores={"misinformation": 0.6})
    view = client.get("/api/v1/posts/p9").json()
    assert view["visibility"] == "labelled" and view["label"]["en"].startswith("Reliable sources")
    assert view["statement"]["automated_decision"] == "AUTOMATED_DECISION_FULLY"
    assert "reach" not in view


def test_public_policy_and_audited_ceiling_change(client: Any, db: Database, auth: Auth) -> None:
    public = client.get("/api/v1/policy").json()
    assert public["automation_ceiling"] == "limit_reach"
    refs = [r["id"] for r in public["rules"]]
    assert "hate.dehumanisation@2" in refs and public["strikes"]["id"] == "account.strikes@1"
    assert all(r["title"]["fr"] and r["text"]["en"] for r in public["rules"])
    admin = auth("admin", "root")
    mod = auth("moderator")
    before = snapshot(db)
    assert (
        client.put("/api/v1/policy/automation-ceiling", json={"value": "label"}, headers=mod).status_code
        == 403
    )
    r = client.put("/api/v1/policy/automation-ceiling", json={"value": "permanent_ban"}, headers=admin)
    assert r.status_code == 422
    assert snapshot(db) == before
    r = client.put("/api/v1/policy/automation-ceiling", json={"value": "label"}, headers=admin)
    assert r.status_code == 200 and r.json() == {"automation_ceiling": "label"}
    assert client.get("/api/v1/policy").json()["automation_ceiling"] == "label"
    with db.session() as s:
        from townsquare.storage.models import AuditRecord

        last = s.scalars(select(AuditRecord).order_by(AuditRecord.seq.desc())).first()
        assert last is not None and last.event == "settings.changed" and last.actor == "root"
        assert last.payload == {"key": "automation_ceiling", "old": "limit_reach", "new": "label"}
        enforce_post(s, "p7", scores={"hate_speech": 0.6})
        assert s.get(Post, "p7").visibility == "labelled"  # type: ignore[union-attr]


def test_auditor_exports_statements_and_verifies_the_chain(client: Any, db: Database, auth: Auth) -> None:
    import json

    from jsonschema import Draft202012Validator

    from townsquare.transparency.statements import schema_path

    with db.session() as s:
        enforce_post(s, "p1", scores={"hate_speech": 0.6})
        enforce_post(s, "p2", scores={"misinformation": 0.6})
    auditor = auth("auditor")
    assert client.get("/api/v1/statements?since=2000-01-01", headers=auth("moderator")).status_code == 403
    r = client.get("/api/v1/statements?since=2000-01-01", headers=auditor)
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/x-ndjson")
    validator = Draft202012Validator(json.loads(schema_path().read_text(encoding="utf-8")))
    rows = [json.loads(line) for line in r.text.splitlines()]
    assert len(rows) == 2 and all(not list(validator.iter_errors(row)) for row in rows)
    assert client.get("/api/v1/statements?since=2999-01-01", headers=auditor).text == ""
    assert client.get("/api/v1/statements?since=soon", headers=auditor).status_code == 422
    v = client.get("/api/v1/audit/verify", headers=auditor).json()
    assert v["ok"] is True and v["records"] >= 4 and v["actions"] == 2 and v["first_bad_record"] is None
