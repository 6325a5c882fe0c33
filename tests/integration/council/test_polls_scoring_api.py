"""Poll results through the scorer: a thin poll reads `insufficient_votes` with its reason; votes from accounts
with fewer than 10 ratings are left out of the bridged reading (and say so). SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from fastapi.testclient import TestClient

from townsquare.core import clock
from townsquare.storage.db import Database
from townsquare.storage.models import Account, Post


def test_thin_poll_is_insufficient_and_says_why(
    client: TestClient, db: Database, auth: Callable[..., dict[str, str]]
) -> None:
    admin, ingest = auth("admin"), auth("ingest")
    case = client.post("/api/v1/council/cases", json={"question": "Label satire?"}, headers=admin).json()
    poll = client.post(
        f"/api/v1/council/cases/{case['id']}/polls", json={"question": "Label?"}, headers=admin
    )
    assert poll.status_code == 201, poll.text
    poll_id = poll.json()["poll_id"]
    with db.session() as s:
        for k in range(6):
            s.add(Account(id=f"v{k}", handle=f"v{k}", created_at=clock.now() - timedelta(days=90)))
            s.flush()
            s.add(Post(id=f"pv{k}", author_id=f"v{k}", text="hi", content_hash=f"hv{k}"))
    for k in range(6):  # six votes, but nobody has a rating history: no position, no weight
        r = client.post(
            f"/api/v1/polls/{poll_id}/votes", json={"account_id": f"v{k}", "value": 1}, headers=ingest
        )
        assert r.status_code == 201, r.text
    res = client.get(f"/api/v1/polls/{poll_id}")
    assert res.status_code == 200, res.text
    body = res.json()
    assert body["raw"]["support"] == 1.0
    b = body["bridged"]
    assert b["status"] == "insufficient_votes" and b["votes"] == 6 and b["votes_in_fit"] == 0
    assert b["excluded_low_volume"] == 6 and b["bridged_support"] is None and b["polarisation"] is None
    assert "at least 5 needed" in b["reasons"][0]
