"""Attacks on the moderation console's pieces (issue 16), as real API call sequences on SQLite and PostgreSQL:
a moderator reviewing the appeal of their own decision, outsiders reading private notes, a bulk decision used to
exceed a queue's powers, and filters or saved views carrying values the queue would refuse."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import func, select

from townsquare.storage.models import Action, ModerationNote, SavedView


def _reported(
    client: Any, ingest: dict[str, str], post_id: str, author: str, reason: str = "harassment"
) -> int:
    r = client.post(
        "/api/v1/posts", json={"id": post_id, "author": author, "text": f"you fool {post_id}"}, headers=ingest
    )
    assert r.status_code in (200, 201), r.text
    r = client.post(
        "/api/v1/reports",
        json={"subject_id": post_id, "reason": reason, "reporter_id": f"r-{post_id}"},
        headers=ingest,
    )
    assert r.status_code == 201, r.text
    return int(r.json()["case_id"])


def _count(db: Any, model: Any) -> int:
    with db.session() as s:
        return int(s.scalar(select(func.count()).select_from(model)) or 0)


def test_a_moderator_cannot_review_or_lock_the_appeal_of_their_own_decision(
    client: Any, auth: Callable[..., dict[str, str]]
) -> None:
    ingest, mod_a, mod_b = auth("ingest"), auth("moderator", "mod-a"), auth("moderator", "mod-b")
    case_id = _reported(client, ingest, "adv-ap", "adv-author")
    assert client.post(f"/api/v1/cases/{case_id}/claim", headers=mod_a).status_code == 200
    r = client.post(
        f"/api/v1/cases/{case_id}/decision",
        json={"action": "remove", "rule_id": "harassment.targeted", "explanation": "Insults."},
        headers=mod_a,
    )
    assert r.status_code == 201, r.text
    appeal = client.post(
        "/api/v1/appeals",
        json={"action_id": r.json()["action_id"], "text": "unfair", "appellant_id": "adv-author"},
        headers=ingest,
    )
    assert appeal.status_code == 201, appeal.text
    appeal_case = appeal.json()["case_id"]
    r = client.post(f"/api/v1/cases/{appeal_case}/claim", headers=mod_a)
    assert r.status_code == 403 and r.headers["content-type"].startswith("application/problem+json")
    assert client.post("/api/v1/queues/appeals/next", headers=mod_a).status_code == 404
    listed = client.get("/api/v1/moderation/search", params={"queue": "appeals"}, headers=mod_a).json()[
        "cases"
    ]
    assert appeal_case not in [c["id"] for c in listed]
    # the refused attempts locked nothing: a colleague claims it at once
    assert client.get(f"/api/v1/cases/{appeal_case}", headers=mod_b).json()["case"]["status"] == "open"
    assert client.post("/api/v1/queues/appeals/next", headers=mod_b).json()["id"] == appeal_case


def test_private_notes_are_out_of_reach_of_everyone_but_staff(
    client: Any, db: Any, auth: Callable[..., dict[str, str]]
) -> None:
    ingest, mod = auth("ingest"), auth("moderator")
    case_id = _reported(client, ingest, "adv-n", "adv-n-author")
    r = client.post(
        f"/api/v1/cases/{case_id}/notes", json={"text": "SECRET-ADV <script>x</script>"}, headers=mod
    )
    assert r.status_code == 201
    for role in ("ingest", "advertiser", "council", "auditor"):
        headers = auth(role, f"adv-{role}", advertiser_id="adv-ad" if role == "advertiser" else None)
        assert client.get(f"/api/v1/cases/{case_id}/notes", headers=headers).status_code == 403, role
        assert (
            client.post(f"/api/v1/cases/{case_id}/notes", json={"text": "x"}, headers=headers).status_code
            == 403
        )
        assert client.get("/api/v1/moderation/accounts/adv-n-author", headers=headers).status_code == 403
    assert client.get(f"/api/v1/cases/{case_id}/notes").status_code in (401, 403)
    assert "SECRET-ADV" not in client.get("/api/v1/posts/adv-n").text
    assert (
        "SECRET-ADV" not in client.get(f"/api/v1/cases/{case_id}", headers=mod).text
    )  # not in the case view
    before = _count(db, ModerationNote)
    for body in ({"text": ""}, {"text": "x" * 4001}, {}):
        assert client.post(f"/api/v1/cases/{case_id}/notes", json=body, headers=mod).status_code == 422
    assert (
        client.post("/api/v1/moderation/accounts/nobody/notes", json={"text": "x"}, headers=mod).status_code
        == 404
    )
    assert _count(db, ModerationNote) == before


def test_bulk_cannot_exceed_a_queue_or_touch_what_it_should_not(
    client: Any, db: Any, auth: Callable[..., dict[str, str]]
) -> None:
    ingest, mod, other = auth("ingest"), auth("moderator", "bulk-mod"), auth("moderator", "other-mod")
    ids = [_reported(client, ingest, f"adv-b{i}", f"adv-b{i}-author") for i in range(3)]
    assert client.post(f"/api/v1/cases/{ids[2]}/claim", headers=other).status_code == 200
    before = _count(db, Action)
    r = client.post(
        "/api/v1/cases/bulk-decision",
        json={
            "case_ids": ids,
            "action": "permanent_ban",
            "rule_id": "harassment.targeted",
            "explanation": "ban",
        },
        headers=mod,
    )
    assert r.status_code == 200 and r.json()["decided"] == 0
    assert {x["status"] for x in r.json()["results"]} <= {403, 409}
    assert _count(db, Action) == before
    for body in (
        {"case_ids": [], "action": "remove", "rule_id": "x", "explanation": "x"},
        {"case_ids": list(range(1, 102)), "action": "remove", "rule_id": "x", "explanation": "x"},
        {"case_ids": ids, "action": "remove", "rule_id": "harassment.targeted"},
        {"case_ids": ids, "action": "obliterate", "rule_id": "harassment.targeted", "explanation": "x"},
    ):
        assert client.post("/api/v1/cases/bulk-decision", json=body, headers=mod).status_code == 422, body
    assert _count(db, Action) == before
    assert client.get(f"/api/v1/cases/{ids[2]}", headers=other).json()["case"]["claimed_by"] == "other-mod"


def test_filters_and_saved_views_refuse_what_the_queue_would_refuse(
    client: Any, db: Any, auth: Callable[..., dict[str, str]]
) -> None:
    mod = auth("moderator", "views-mod")
    for params in (
        {"post_lang": "klingon"},
        {"min_reports": "-3"},
        {"origin": "x"},
        {"queue": "nope"},
        {"q": "x" * 201},
    ):
        r = client.get("/api/v1/moderation/search", params=params, headers=mod)
        assert r.status_code in (404, 422), (params, r.status_code)
    for body in (
        {"name": "", "query": ""},
        {"name": "v", "query": "reason=unknown"},
        {"name": "x" * 81, "query": ""},
    ):
        assert client.post("/api/v1/moderators/me/views", json=body, headers=mod).status_code == 422, body
    assert _count(db, SavedView) == 0
    r = client.post(
        "/api/v1/moderators/me/views", json={"name": "fr", "query": "post_lang=fr&junk=1"}, headers=mod
    )
    assert r.status_code == 201 and r.json()["query"] == "post_lang=fr"
    assert (
        client.delete(
            f"/api/v1/moderators/me/views/{r.json()['id']}", headers=auth("moderator", "thief")
        ).status_code
        == 404
    )
    assert _count(db, SavedView) == 1
