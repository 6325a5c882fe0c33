"""The council's answer reaches the reporters: a reported account banned by a person (a notice-based action, its
case closed), the ban appealed, referred, overturned by a binding council decision — the reporter is told, in
their language, and their report's outcome becomes `overturned`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from notices_helpers import seat_council
from sqlalchemy import select

from townsquare.storage.db import Database
from townsquare.storage.models import Account, Action, Notification, Report


def test_council_overturn_is_told_to_the_reporter(
    db: Database, client: Any, auth: Callable[..., dict[str, str]]
) -> None:
    with db.session() as s:
        s.add(Account(id="bob", handle="bob", lang="fr"))
        ids = seat_council(s)
    platform, admin = auth("ingest"), auth("admin", "root")
    r = client.post(
        "/api/v1/reports",
        json={
            "subject_type": "account",
            "subject_id": "bob",
            "reason": "other",
            "text": "evasion",
            "reporter_id": "u9",
        },
        headers=platform,
    )
    assert r.status_code == 201, r.text
    report_case = r.json()["case_id"]
    r = client.post(
        "/api/v1/actions",
        json={
            "subject_type": "account",
            "subject_id": "bob",
            "action": "permanent_ban",
            "rule_id": "account.ban_evasion",
            "explanation": "Ce compte contourne une exclusion.",
            "private_note": "same device as a banned account",
        },
        headers=admin,
    )
    assert r.status_code == 201, r.text
    ban = r.json()
    assert ban["source_type"] == "SOURCE_ARTICLE_16" and ban["case_id"] == report_case
    with db.session() as s:
        report = s.scalars(select(Report)).one()
        assert report.outcome == "upheld"
    appeal = client.post(
        "/api/v1/appeals",
        json={"action_id": ban["id"], "appellant_id": "bob", "text": "I am not that person."},
        headers=platform,
    ).json()
    ccase = appeal["council_case_id"]
    panel = client.get(f"/api/v1/council/cases/{ccase}", headers=admin).json()["panel"]
    member_headers = {mid: auth("council", name=f"ncm{k}") for k, mid in enumerate(ids, start=1)}
    for seat in panel:
        v = client.post(
            f"/api/v1/council/cases/{ccase}/votes",
            json={"vote": "overturn", "rationale": "The evidence does not show evasion."},
            headers=member_headers[seat["member_id"]],
        )
        assert v.status_code == 201, v.text
    decision = client.get("/api/v1/council/decisions").json()[0]
    assert decision["binding"] is True and decision["outcome"] == "overturn"
    with db.session() as s:
        assert s.get(Action, ban["id"]).status == "reversed"  # type: ignore[union-attr]
        report = s.scalars(select(Report)).one()
        assert report.outcome == "overturned"
        notes = list(
            s.scalars(select(Notification).where(Notification.recipient_id == "u9").order_by(Notification.id))
        )
        assert [n.payload["outcome"] for n in notes] == ["upheld", "overturned"]
        last = notes[-1].payload
        assert last["event"] == "council" and last["lang"] == "fr" and "conseil de modération" in last["text"]
        author = list(s.scalars(select(Notification).where(Notification.recipient_id == "bob")))
        assert any(n.kind == "appeal_outcome" and n.payload["status"] == "overturned" for n in author)
        assert any(n.kind == "action_taken" and "Ce compte contourne" in n.payload["text"] for n in author)
        for n in [*notes, *author]:
            assert "same device" not in str(n.payload)
