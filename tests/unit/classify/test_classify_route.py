"""POST /api/v1/classify: roles, batch limit, per-item errors."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def test_classify_route(client: Any, auth: Callable[..., dict[str, str]]) -> None:
    body = [
        {"id": "a", "text": "Immigrants are vermin"},
        {"id": "b", "text": "Bonne journée à tous", "lang": "fr"},
        {"text": "no id"},
        {"id": "c", "text": 3},
    ]
    r = client.post("/api/v1/classify", json=body, headers=auth("moderator"))
    assert r.status_code == 200, r.text
    out = r.json()
    assert [o.get("id") for o in out[:2]] == ["a", "b"]
    assert "hate_speech" in out[0]["labels"] and out[1]["lang"] == "fr"
    assert out[2]["item"] == 2 and "error" in out[2]
    assert out[3]["item"] == 3 and "error" in out[3]


def test_classify_route_needs_a_key(client: Any) -> None:
    r = client.post("/api/v1/classify", json=[{"id": 1, "text": "hello"}])
    assert r.status_code in (401, 403)


def test_classify_route_batch_limit(client: Any, auth: Callable[..., dict[str, str]]) -> None:
    body = [{"id": i, "text": "x"} for i in range(1001)]
    r = client.post("/api/v1/classify", json=body, headers=auth("ingest"))
    assert r.status_code == 413
