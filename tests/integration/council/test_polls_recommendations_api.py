"""Advisory polls (eligibility, one account one vote, raw and bridged results) and recommendations."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from council_helpers import council_vote, permanent_ban
from fastapi.testclient import TestClient

from townsquare.core import clock
from townsquare.storage.db import Database
from townsquare.storage.models import Account, Post


def _accounts(
    db: Database, n: int, *, age_days: int = 100, status: str = "active", prefix: str = "acc"
) -> list[str]:
    ids = []
    with db.session() as s:
        for k in range(n):
            aid = f"{prefix}{k}"
            s.add(
                Account(id=aid, handle=aid, status=status, created_at=clock.now() - timedelta(days=age_days))
            )
            s.flush()
            s.add(Post(id=f"post-{aid}", author_id=aid, text="hello", content_hash=f"h-{aid}"))
            ids.append(aid)
    return ids


def _case(client: TestClient, auth: Callable[..., dict[str, str]]) -> int:
    r = client.post(
        "/api/v1/council/cases", json={"question": "Should satire be labelled?"}, headers=auth("admin")
    )
    assert r.status_code == 201, r.text
    assert r.json()["origin"] == "platform"
    return int(r.json()["id"])


def test_poll_eligibility_one_vote_and_both_readings(
    client: TestClient, db: Database, auth: Callable[..., dict[str, str]]
) -> None:
    case_id = _case(client, auth)
    admin, ingest = auth("admin"), auth("ingest")
    r = client.post(
        f"/api/v1/council/cases/{case_id}/polls", json={"question": "Label satire?"}, headers=admin
    )
    assert r.status_code == 201, r.text
    poll_id = r.json()["poll_id"]
    assert r.json()["advisory"] is True and r.json()["raw"]["votes"] == 0

    left, right = _accounts(db, 12, prefix="l"), _accounts(db, 12, prefix="r")
    young = _accounts(db, 1, age_days=2, prefix="young")
    banned = _accounts(db, 1, status="suspended", prefix="susp")
    history = [
        {"item": f"h{i}", "account_id": a, "value": float((i % 2 == 0) == (a in left))}
        for i in range(10)
        for a in left + right
    ]
    h = client.post("/api/v1/community/votes", json={"votes": history}, headers=ingest)
    assert h.json() == {"created": len(history), "unchanged": 0}
    assert (
        client.post("/api/v1/community/votes", json={"votes": history[:3]}, headers=ingest).json()[
            "unchanged"
        ]
        == 3
    )
    clash = [{**history[0], "value": 1 - history[0]["value"]}]
    assert client.post("/api/v1/community/votes", json={"votes": clash}, headers=ingest).status_code == 409

    def poll_vote(account: str, value: float, headers: dict[str, str] | None = ingest) -> int:
        body = {"account_id": account, "value": value}
        return client.post(f"/api/v1/polls/{poll_id}/votes", json=body, headers=headers).status_code

    assert [poll_vote(a, 1) for a in left] == [201] * len(left)  # only one camp supports
    assert [poll_vote(a, 0) for a in right] == [201] * len(right)
    assert poll_vote(left[0], 0) == 409  # one account, one vote
    assert poll_vote(young[0], 1) == 403
    assert poll_vote(banned[0], 1) == 403
    assert poll_vote("ghost", 1) == 404
    assert poll_vote(left[1], 0.3) == 422
    assert poll_vote(left[1], 1, headers=None) == 401

    res = client.get(f"/api/v1/polls/{poll_id}").json()  # public
    assert res["raw"]["votes"] == 24 and res["raw"]["support"] == 0.5
    b = res["bridged"]
    assert b["status"] != "bridged_support" and b["polarisation"] > 0.25
    assert b["sides"]["left"]["voters"] + b["sides"]["right"]["voters"] >= 20
    # the poll is visible to the council next to the case, and never changes the case
    case = client.get(f"/api/v1/council/cases/{case_id}", headers=admin).json()
    assert case["polls"][0]["poll_id"] == poll_id and case["status"] == "open"
    clock.advance(8 * 86400)
    assert poll_vote(left[2], 1) == 409  # closed


def test_recommendations_answers_and_overdue(
    client: TestClient, db: Database, auth: Callable[..., dict[str, str]], council: dict[str, Any]
) -> None:
    ban_id = permanent_ban(db, account="erin")
    r = client.post(
        "/api/v1/appeals",
        json={"action_id": ban_id, "text": "please", "appellant_id": "erin"},
        headers=auth("ingest"),
    )
    case_id = r.json()["council_case_id"]
    admin = auth("admin")
    panel = client.get(f"/api/v1/council/cases/{case_id}", headers=admin).json()["panel"]
    for p in panel:
        council_vote(client, case_id, council["headers"][p["member_id"]], "uphold", "evidence is clear")
    d = client.get("/api/v1/council/decisions").json()[0]
    assert d["outcome"] == "uphold" and d["binding"]
    seated = {p["member_id"] for p in panel}
    outsider = next(m for m in council["ids"] if m not in seated)
    body = {
        "text_en": "Publish ban-evasion evidence standards.",
        "text_fr": "Publier les critères de preuve.",
    }
    recommend = f"/api/v1/council/decisions/{d['id']}/recommendations"
    member = council["headers"][panel[0]["member_id"]]
    assert client.post(recommend, json=body, headers=council["headers"][outsider]).status_code == 403
    bad = {"text_en": "x", "text_fr": " "}
    assert client.post(recommend, json=bad, headers=member).status_code == 422
    rec = client.post(recommend, json=body, headers=member)
    assert rec.status_code == 201
    rid = rec.json()["id"]
    assert client.get("/api/v1/council/recommendations").json()[0]["overdue"] is False
    clock.advance(61 * 86400)
    listed = client.get("/api/v1/council/recommendations?overdue=true").json()
    assert [x["id"] for x in listed] == [rid] and listed[0]["overdue"] is True
    assert client.get(f"/api/v1/council/decisions/{d['id']}").json()["recommendations"][0]["overdue"] is True
    url = f"/api/v1/council/recommendations/{rid}/answer"
    assert client.post(url, json={"answer": "rejected", "reason": ""}, headers=admin).status_code == 422
    assert client.post(url, json={"answer": "rejected", "reason": "x"}, headers=member).status_code == 403
    ok = client.post(
        url, json={"answer": "rejected", "reason": "Evidence standards are set by law."}, headers=admin
    )
    assert ok.status_code == 200 and ok.json()["overdue"] is False and ok.json()["answered_late"] is True
    assert client.post(url, json={"answer": "accepted"}, headers=admin).status_code == 409
