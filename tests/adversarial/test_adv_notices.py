"""Attacks on truthful notices (issue 12), as real API call sequences on SQLite and PostgreSQL: passing a manual
action on a reported post off as voluntary, deciding without a public explanation, smuggling markup or a private
note to the public page, insisting to reopen a decided report, oversized explanations."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import func, select

from townsquare.storage.models import Action, CaseDecision, Notification, Report


def _reported(client: Any, ingest: dict[str, str], post_id: str, reporter: str = "rep-1") -> int:
    r = client.post(
        "/api/v1/posts",
        json={"id": post_id, "author": f"au-{post_id}", "text": f"you fool {post_id}"},
        headers=ingest,
    )
    assert r.status_code in (200, 201), r.text
    r = client.post(
        "/api/v1/reports",
        json={"subject_id": post_id, "reason": "harassment", "reporter_id": reporter, "text": "mean"},
        headers=ingest,
    )
    assert r.status_code == 201, r.text
    return int(r.json()["case_id"])


def _counts(db: Any) -> tuple[int, ...]:
    with db.session() as s:
        return tuple(
            int(s.scalar(select(func.count()).select_from(m)) or 0)
            for m in (Action, CaseDecision, Notification)
        )


def _problem(r: Any, status: int) -> None:
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/problem+json")


def test_a_manual_action_on_a_reported_post_cannot_be_passed_off_as_voluntary(
    client: Any, db: Any, auth: Callable[..., dict[str, str]]
) -> None:
    ingest, admin = auth("ingest"), auth("admin", "root")
    case_id = _reported(client, ingest, "adv-n1")
    r = client.post(
        "/api/v1/actions",
        json={
            "subject_type": "post",
            "subject_id": "adv-n1",
            "action": "remove",
            "rule_id": "harassment.targeted",
            "explanation": "This insults a person.",
            "source_type": "SOURCE_VOLUNTARY",
        },
        headers=admin,
    )
    assert r.status_code == 201, r.text
    assert r.json()["source_type"] == "SOURCE_ARTICLE_16" and r.json()["case_id"] == case_id
    assert r.json()["statement"]["source_type"] == "SOURCE_ARTICLE_16"
    mine = client.get("/api/v1/reports", params={"reporter_id": "rep-1"}, headers=ingest).json()["reports"]
    assert [x["status"] for x in mine] == ["upheld"]
    told = client.get("/api/v1/notifications", params={"recipient_id": "rep-1"}, headers=ingest).json()
    assert told["notifications"][0]["payload"]["outcome"] == "upheld"
    assert client.get(f"/api/v1/cases/{case_id}", headers=admin).json()["case"]["status"] == "decided"


def test_a_decision_without_a_public_explanation_changes_nothing(
    client: Any, db: Any, auth: Callable[..., dict[str, str]]
) -> None:
    ingest, mod = auth("ingest"), auth("moderator", "mod-a")
    case_id = _reported(client, ingest, "adv-n2")
    assert client.post(f"/api/v1/cases/{case_id}/claim", headers=mod).status_code == 200
    before = _counts(db)
    for body in (
        {"action": "remove", "rule_id": "harassment.targeted", "note": "only a private note"},
        {"action": "remove", "rule_id": "harassment.targeted", "explanation": "   ", "private_note": "x"},
        {"action": "remove", "rule_id": "harassment.targeted", "explanation": "y" * 5001},
    ):
        _problem(client.post(f"/api/v1/cases/{case_id}/decision", json=body, headers=mod), 422)
    _problem(
        client.post(
            "/api/v1/actions",
            json={
                "subject_type": "post",
                "subject_id": "adv-n2",
                "action": "label",
                "rule_id": "hate.borderline",
            },
            headers=mod,
        ),
        422,
    )
    assert _counts(db) == before
    assert client.get(f"/api/v1/cases/{case_id}", headers=mod).json()["case"]["status"] == "claimed"


def test_markup_and_the_old_note_field_never_reach_the_public_page(
    client: Any, db: Any, auth: Callable[..., dict[str, str]]
) -> None:
    ingest, mod = auth("ingest"), auth("moderator", "mod-a")
    case_id = _reported(client, ingest, "adv-n3", reporter="rep-3")
    assert client.post(f"/api/v1/cases/{case_id}/claim", headers=mod).status_code == 200
    secret = "OLD-NOTE-FIELD-9c1d colleague@example.org"
    r = client.post(
        f"/api/v1/cases/{case_id}/decision",
        json={
            "action": "label",
            "rule_id": "harassment.targeted",
            "explanation": "<script>alert(1)</script><b>rude</b>",
            "note": secret,
        },
        headers=mod,
    )
    assert r.status_code == 201, r.text
    page = client.get("/posts/adv-n3").text
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    outputs = [
        page,
        client.get("/posts/adv-n3?lang=fr").text,
        client.get("/api/v1/posts/adv-n3").text,
        client.get("/api/v1/statements", params={"since": "2000-01-01"}, headers=auth("auditor")).text,
        client.get("/api/v1/notifications", params={"recipient_id": "rep-3"}, headers=ingest).text,
        client.get("/api/v1/notifications", params={"recipient_id": "au-adv-n3"}, headers=ingest).text,
    ]
    assert not [o for o in outputs if "OLD-NOTE-FIELD" in o]
    with db.session() as s:
        assert s.scalars(select(CaseDecision)).one().note == secret  # kept, privately


def test_insisting_reopens_nothing_and_each_answer_carries_the_current_outcome(
    client: Any, db: Any, auth: Callable[..., dict[str, str]]
) -> None:
    ingest, mod = auth("ingest"), auth("moderator", "mod-a")
    case_id = _reported(client, ingest, "adv-n4", reporter="rep-4")
    assert client.post(f"/api/v1/cases/{case_id}/claim", headers=mod).status_code == 200
    r = client.post(
        f"/api/v1/cases/{case_id}/decision",
        json={"action": "none", "rule_id": "harassment.targeted"},
        headers=mod,
    )
    assert r.status_code == 201, r.text
    for k in range(3):
        r = client.post(
            "/api/v1/reports",
            json={
                "subject_id": "adv-n4",
                "reason": "harassment",
                "reporter_id": "rep-4",
                "text": f"again {k}",
            },
            headers=ingest,
        )
        assert r.status_code == 200 and r.json()["status"] == "rejected" and r.json()["case_id"] == case_id
    told = client.get("/api/v1/notifications", params={"recipient_id": "rep-4"}, headers=ingest).json()
    assert told["total"] == 4 and {n["payload"]["outcome"] for n in told["notifications"]} == {"rejected"}
    assert len({n["id"] for n in told["notifications"]}) == 4
    with db.session() as s:
        assert s.scalars(select(Report)).one().outcome == "rejected"
