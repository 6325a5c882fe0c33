"""The whole flow through the API: report → queue → claim → decide → notify → appeal → re-decide."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select

from townsquare import audit
from townsquare.storage.db import Database
from townsquare.storage.models import Action, AuditRecord


def test_report_to_appeal_flow(
    client: TestClient, db: Database, auth: Callable[..., dict[str, str]], post: Callable[..., str]
) -> None:
    post("p1", reach=1200)
    platform = auth("ingest", "platform")
    mod_a = auth("moderator", "mod-a")
    mod_b = auth("moderator", "mod-b")

    r = client.post(
        "/api/v1/reports",
        json={"subject_id": "p1", "reason": "hate", "text": "dehumanising"},
        headers={**platform, "X-Reporter-Id": "u-42"},
    )
    assert r.status_code == 201, r.text
    report = r.json()
    case_id = report["case_id"]
    assert report["reporter_id"] == "u-42" and report["status"] == "pending"

    q = client.get("/api/v1/queues/hate_harassment/cases", headers=mod_a).json()
    assert [c["id"] for c in q["cases"]] == [case_id]

    assert client.post(f"/api/v1/cases/{case_id}/claim", headers=mod_a).status_code == 200
    assert client.post(f"/api/v1/cases/{case_id}/claim", headers=mod_b).status_code == 409

    v = client.get(f"/api/v1/cases/{case_id}", headers=mod_a).json()
    assert v["post"]["id"] == "p1" and v["assessment"]["evidence"]
    assert v["display"] == {"severe": True, "mode": "blur"}
    assert v["author"]["account_id"] == "alice"

    d = client.post(
        f"/api/v1/cases/{case_id}/decision",
        json={
            "action": "remove",
            "rule_id": "hate.dehumanisation",
            "note": "clear dehumanisation",
            "explanation": "Dehumanising.",
        },
        headers=mod_a,
    )
    assert d.status_code == 201, d.text
    action_id = d.json()["action_id"]
    with db.session() as s:
        action = s.get(Action, action_id)
        assert action is not None and action.source_type == "SOURCE_ARTICLE_16"
        assert action.statement

    n = client.get("/api/v1/notifications", headers={**platform, "X-Reporter-Id": "u-42"}).json()
    assert n["total"] == 1
    payload: dict[str, Any] = n["notifications"][0]["payload"]
    assert payload["outcome"] == "upheld" and payload["rule_id"] == "hate.dehumanisation"

    a = client.post(
        "/api/v1/appeals",
        json={"action_id": action_id, "appellant_id": "alice", "text": "it was satire"},
        headers=platform,
    )
    assert a.status_code == 201, a.text
    appeal = a.json()
    assert (
        client.post(
            "/api/v1/appeals",
            json={"action_id": action_id, "appellant_id": "alice", "text": "again"},
            headers=platform,
        ).status_code
        == 409
    )

    appeal_case = appeal["case_id"]
    # The deciding moderator may neither claim (issue 16: refused up front, so the appeal is never locked) nor
    # decide the appeal.
    assert client.post(f"/api/v1/cases/{appeal_case}/claim", headers=mod_a).status_code == 403
    r = client.post(
        f"/api/v1/appeals/{appeal['id']}/decision",
        json={"outcome": "overturn", "statement": "no"},
        headers=mod_a,
    )
    assert r.status_code == 403
    assert client.post(f"/api/v1/cases/{appeal_case}/claim", headers=mod_b).status_code == 200
    r = client.post(
        f"/api/v1/appeals/{appeal['id']}/decision",
        json={"outcome": "modify", "statement": "satire, but label it", "new_action": "label"},
        headers=mod_b,
    )
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "modified" and r.json()["new_action_id"]

    notes = client.get("/api/v1/notifications", params={"recipient_id": "alice"}, headers=platform).json()
    assert {x["kind"] for x in notes["notifications"]} == {
        "action_taken",
        "appeal_received",
        "appeal_outcome",
    }
    with db.session() as s:
        assert audit.verify(s)[1] is None
        events = set(s.scalars(select(AuditRecord.event)))
    assert {
        "report.received",
        "case.claimed",
        "case.decided",
        "action.applied",
        "appeal.filed",
        "action.reversed",
        "appeal.decided",
    } <= events
