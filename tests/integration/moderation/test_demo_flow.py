"""Done-when: a report on a demo post (ingested for real: classifier + standards engine) flows to a queue, is
claimed, decided, notified to its reporter, appealed and re-decided by another moderator, through the API."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlalchemy import select

from townsquare import audit
from townsquare.demo.loader import demo_posts
from townsquare.storage.db import Database
from townsquare.storage.models import Action, AuditRecord


def test_demo_post_report_to_re_decision(
    client: TestClient, db: Database, auth: Callable[..., dict[str, str]]
) -> None:
    platform, mod_a, mod_b = (
        auth("ingest", "platform"),
        auth("moderator", "mod-a"),
        auth("moderator", "mod-b"),
    )
    harsh = next(p for p in demo_posts() if p["id"] == "demo-009")  # profanity: not actioned by automation
    assert client.post("/api/v1/posts", json=harsh, headers=platform).status_code == 201

    report = client.post(
        "/api/v1/reports",
        json={"subject_id": "demo-009", "reason": "harassment", "text": "abusive", "reporter_id": "u-7"},
        headers=platform,
    ).json()
    case_id = report["case_id"]
    queue = client.get(f"/api/v1/cases/{case_id}", headers=mod_a).json()["case"]["queue"]
    assert case_id in [
        c["id"] for c in client.get(f"/api/v1/queues/{queue}/cases", headers=mod_a).json()["cases"]
    ]
    assert client.post(f"/api/v1/cases/{case_id}/claim", headers=mod_a).status_code == 200
    d = client.post(
        f"/api/v1/cases/{case_id}/decision",
        json={
            "action": "label",
            "rule_id": "harassment.targeted",
            "note": "abusive tone",
            "explanation": "Abusive tone.",
        },
        headers=mod_a,
    )
    assert d.status_code == 201, d.text
    action_id = d.json()["action_id"]
    notes = client.get("/api/v1/notifications", headers={**platform, "X-Reporter-Id": "u-7"}).json()
    assert notes["notifications"][0]["payload"]["outcome"] == "upheld"

    appeal = client.post(
        "/api/v1/appeals",
        json={"action_id": action_id, "appellant_id": harsh["author"], "text": "I swore at a printer"},
        headers=platform,
    ).json()
    assert client.post(f"/api/v1/cases/{appeal['case_id']}/claim", headers=mod_b).status_code == 200
    r = client.post(
        f"/api/v1/appeals/{appeal['id']}/decision",
        json={"outcome": "overturn", "statement": "Profanity aimed at a printer harasses nobody."},
        headers=mod_b,
    )
    assert r.status_code == 200 and r.json()["status"] == "overturned"
    with db.session() as s:
        action = s.get(Action, action_id)
        assert action is not None and action.status == "reversed" and action.statement
        assert action.source_type == "SOURCE_ARTICLE_16"
        assert audit.verify(s)[1] is None
        events = set(s.scalars(select(AuditRecord.event)))
    assert {
        "report.received",
        "case.decided",
        "action.applied",
        "appeal.decided",
        "action.reversed",
    } <= events
