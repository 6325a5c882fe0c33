"""The statement checker over the demo, a planted false statement it must catch, and sentinel strings planted in
every private field that must appear in no public output (public API and pages, DSA export, notices to authors
and reporters, the transparency report)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from notices_helpers import add_post, strings
from sqlalchemy import select

from townsquare.moderation.webhooks import deliver_pending
from townsquare.notices.expiry import expired_count
from townsquare.storage.db import Database
from townsquare.storage.models import Action, Notification
from townsquare.transparency.check import check_all
from webhook_receiver import Receiver, receiving

SENTINELS = {
    "private_note": "SENTINEL-NOTE-7f3a priv@example.org",
    "appeal_note": "SENTINEL-APPEAL-91bc",
    "manual_note": "SENTINEL-MANUAL-0d2e",
    "reporter_id": "SENTINEL-REPORTER-55aa",
    "reporter_text": "SENTINEL-TEXT-c4d1",
    "moderator": "SENTINEL-MOD-e8f0",
    "webhook_secret": "SENTINEL-WHSEC-a91f",
}


def test_checker_finds_nothing_on_the_demo(db: Database) -> None:
    from townsquare.demo.loader import load

    with db.session() as s:
        load(s, with_keys=False)
    with db.session() as s:
        result = check_all(s)
    print(f"demo: {result.statements} statements, {result.posts} posts checked")
    assert result.statements > 0
    assert result.findings == []


def test_checker_catches_a_false_statement(db: Database) -> None:
    with db.session() as s:
        add_post(s, "p1", scores={"hate_speech": 0.99})  # interim limit_reach, removal proposed
        action = s.scalars(select(Action)).one()
        assert (
            action.action == "limit_reach"
            and "Interim measure" in action.statement["incompatible_content_explanation"]
        )
        assert check_all(s).findings == []
        st = dict(action.statement)
        st["incompatible_content_explanation"] = "Dehumanising hate speech. We remove it."
        action.statement = st
    with db.session() as s:
        findings = check_all(s).findings
    assert any("We remove it" in f for f in findings) and any("interim" in f for f in findings)


def test_private_strings_reach_no_public_output(
    db: Database, client: Any, auth: Callable[..., dict[str, str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    with receiving(monkeypatch, SENTINELS["webhook_secret"]) as receiver:
        _plant_and_search(db, client, auth, receiver)


def _plant_and_search(
    db: Database, client: Any, auth: Callable[..., dict[str, str]], receiver: Receiver
) -> None:
    with db.session() as s:
        add_post(s, "p1", author="alice", scores={"hate_speech": 0.99})
        add_post(s, "p2", author="bob", lang="fr")
    platform = auth("ingest")
    mod = auth("moderator", SENTINELS["moderator"])
    admin = auth("admin", "root")
    for pid in ("p1", "p2"):
        r = client.post(
            "/api/v1/reports",
            json={
                "subject_id": pid,
                "reason": "hate",
                "text": SENTINELS["reporter_text"],
                "reporter_id": SENTINELS["reporter_id"],
            },
            headers=platform,
        )
        assert r.status_code == 201, r.text
    case_id = r.json()["case_id"]
    p1_case = client.get(
        "/api/v1/reports", params={"reporter_id": SENTINELS["reporter_id"]}, headers=platform
    )
    p1_case_id = next(x for x in p1_case.json()["reports"] if x["subject_id"] == "p1")["case_id"]
    assert client.post(f"/api/v1/cases/{p1_case_id}/claim", headers=mod).status_code == 200
    r = client.post(
        f"/api/v1/cases/{p1_case_id}/decision",
        json={
            "action": "remove",
            "rule_id": "hate.dehumanisation",
            "explanation": "Your post calls people vermin.",
            "private_note": SENTINELS["private_note"],
        },
        headers=mod,
    )
    assert r.status_code == 201, r.text
    action_id = r.json()["action_id"]
    appeal = client.post(
        "/api/v1/appeals",
        json={"action_id": action_id, "appellant_id": "alice", "text": "no"},
        headers=platform,
    ).json()
    mod_b = auth("moderator", "mod-b")
    assert client.post(f"/api/v1/cases/{appeal['case_id']}/claim", headers=mod_b).status_code == 200
    r = client.post(
        f"/api/v1/appeals/{appeal['id']}/decision",
        json={
            "outcome": "modify",
            "new_action": "label",
            "explanation": "A label is enough.",
            "private_note": SENTINELS["appeal_note"],
        },
        headers=mod_b,
    )
    assert r.status_code == 200, r.text
    r = client.post(
        "/api/v1/actions",
        json={
            "subject_type": "post",
            "subject_id": "p2",
            "action": "limit_reach",
            "rule_id": "hate.derogation",
            "explanation": "Ce message dénigre un groupe.",
            "private_note": SENTINELS["manual_note"],
        },
        headers=admin,
    )
    assert r.status_code == 201, r.text
    assert (
        r.json()["source_type"] == "SOURCE_ARTICLE_16"
    )  # a manual action on a reported post answers a notice
    assert client.get(f"/api/v1/cases/{case_id}", headers=admin).json()["case"]["status"] == "decided"

    outputs: dict[str, str] = {}
    for pid in ("p1", "p2"):
        outputs[f"api post {pid}"] = client.get(f"/api/v1/posts/{pid}").text
        outputs[f"page post {pid}"] = client.get(f"/posts/{pid}").text
        outputs[f"page post {pid} fr"] = client.get(f"/posts/{pid}?lang=fr").text
    outputs["dsa export"] = client.get(
        "/api/v1/statements", params={"since": "2000-01-01"}, headers=auth("auditor")
    ).text
    outputs["transparency page"] = client.get("/transparency").text
    outputs["transparency page fr"] = client.get("/transparency?lang=fr").text
    outputs["council decisions api"] = client.get("/api/v1/council/decisions").text
    outputs["policy api"] = client.get("/api/v1/policy").text
    deliver_pending(db)
    for k, r in enumerate(receiver.received):
        to = json.loads(r["body"])[
            "recipient_id"
        ]  # the platform relays it to this user: their own id may appear
        outputs[f"webhook {k} to {to}"] = r["body"].decode("utf-8") + " " + str(r["headers"])
    assert receiver.received, "the notices went out by webhook"
    tokens = {
        f"api key {n}": h["Authorization"].removeprefix("Bearer ")
        for n, h in (("mod", mod), ("admin", admin))
    }
    with db.session() as s:
        for note in s.scalars(select(Notification)):
            outputs[f"notice {note.id} {note.kind} to {note.recipient_id}"] = " ".join(strings(note.payload))
    leaks = [
        (field, where)
        for field, value in {**SENTINELS, **tokens}.items()
        for where, text in outputs.items()
        if value in text and not (field == "reporter_id" and where.endswith(f"to {value}"))
    ]
    print(f"sentinels: {len(SENTINELS) + len(tokens)} planted, {len(outputs)} public outputs searched")
    assert leaks == []
    with db.session() as s:
        reporter_notes = list(
            s.scalars(select(Notification).where(Notification.recipient_id == SENTINELS["reporter_id"]))
        )
        assert {n.payload["outcome"] for n in reporter_notes} >= {"upheld", "modified"}
        assert any(n.payload["lang"] == "fr" for n in reporter_notes)  # the French post's reporter notice
        assert expired_count(s) == 0
