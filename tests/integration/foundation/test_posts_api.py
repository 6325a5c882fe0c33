"""POST /api/v1/posts: single and batch, idempotency, conflicts, per-item errors; GET is public."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from typing import Any

from sqlalchemy import func, select

from townsquare.storage.models import Post


def count_posts(db: Any) -> int:
    with db.session() as s:
        return int(s.scalar(select(func.count()).select_from(Post)) or 0)


def test_single_post_idempotent_and_conflict(
    client: Any, auth: Callable[..., dict[str, str]], db: Any
) -> None:
    h = auth("ingest")
    body = {"id": "p1", "author": "alice", "text": "Bonjour à tous", "lang": "fr"}
    assert client.post("/api/v1/posts", json=body, headers=h).status_code == 201
    again = client.post("/api/v1/posts", json=body, headers=h)
    assert again.status_code == 200 and again.json()["status"] == "duplicate"
    clash = client.post("/api/v1/posts", json={**body, "text": "autre chose"}, headers=h)
    assert clash.status_code == 409 and clash.headers["content-type"].startswith("application/problem+json")
    assert count_posts(db) == 1
    got = client.get("/api/v1/posts/p1").json()
    assert got["text"] == "Bonjour à tous" and got["visibility"] == "visible"


def test_batch_reports_each_item_and_keeps_going(
    client: Any, auth: Callable[..., dict[str, str]], db: Any
) -> None:
    h = auth("ingest")
    items = [
        {"id": "b1", "author": "a", "text": "one"},
        {"id": "b2", "author": "a", "text": ""},
        {"id": "b3", "author": "a", "text": "x" * 10_001},
        {"id": "b4", "author": "b", "text": "four"},
        {"id": "b1", "author": "a", "text": "one"},
    ]
    r = client.post("/api/v1/posts", json={"posts": items}, headers=h)
    assert r.status_code == 200
    data = r.json()
    assert [x["status"] for x in data["results"]] == [
        "accepted",
        "rejected",
        "rejected",
        "accepted",
        "duplicate",
    ]
    assert data["results"][1]["code"] == 422 and "text" in data["results"][1]["error"]
    assert count_posts(db) == 2


def test_batch_limit(client: Any, auth: Callable[..., dict[str, str]], db: Any) -> None:
    items = [{"id": f"x{i}", "author": "a", "text": "t"} for i in range(1001)]
    r = client.post("/api/v1/posts", json=items, headers=auth("ingest"))
    assert r.status_code == 422 and count_posts(db) == 0


def test_empty_text_single_is_422_and_stores_nothing(
    client: Any, auth: Callable[..., dict[str, str]], db: Any
) -> None:
    r = client.post("/api/v1/posts", json={"id": "e", "author": "a", "text": "  "}, headers=auth("ingest"))
    assert r.status_code == 422 and count_posts(db) == 0


def test_text_stored_after_nfc(client: Any, auth: Callable[..., dict[str, str]]) -> None:
    raw = "Ame\u0301lie  "
    client.post("/api/v1/posts", json={"id": "n1", "author": "a", "text": raw}, headers=auth("ingest"))
    assert client.get("/api/v1/posts/n1").json()["text"] == unicodedata.normalize("NFC", raw)


def test_unknown_post_is_404(client: Any) -> None:
    r = client.get("/api/v1/posts/missing")
    assert r.status_code == 404 and r.json()["title"] == "Not found"
