"""The ad decision lane (`api/fastlane.py`): the same answers as the route, and every other case left to it.

The lane answers only a warm, authorised, valid request from memory; these tests pin that it does answer such
requests without the route (a downstream app that records what reaches it), that what it answers is what the
route answers, and that every other request reaches the route with its body intact (errors keep one shape).
"""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from prometheus_client import REGISTRY
from sqlalchemy import func, select

from townsquare.ads import client as ads_client
from townsquare.api.fastlane import PATH, AdsDecisionLane, decision_route
from townsquare.storage.models import PlacementDecision

BODY = {"post_id": "hateful", "campaign_ids": ["c-cons", "c-relax"]}


class Downstream:
    """The rest of the app as the lane sees it: records each request's body and answers 299."""

    def __init__(self) -> None:
        self.bodies: list[bytes] = []

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        chunks, more = [], True
        while more:
            message = await receive()
            chunks.append(message.get("body", b""))
            more = bool(message.get("more_body"))
        self.bodies.append(b"".join(chunks))
        await send({"type": "http.response.start", "status": 299, "headers": []})
        await send({"type": "http.response.body", "body": b"route"})


def call(
    app: Any, lane: AdsDecisionLane, headers: dict[str, str], chunks: list[bytes], path: str = PATH
) -> Any:
    """One request straight into the lane (the app's state gives it the database, the key cache and limits)."""
    raw = [(k.lower().encode(), v.encode()) for k, v in headers.items()]
    scope = {
        "type": "http",
        "method": "POST",
        "path": path,
        "headers": raw,
        "app": app,
        "client": ("127.0.0.1", 5000),
        "query_string": b"",
    }
    messages = [
        {"type": "http.request", "body": c, "more_body": i < len(chunks) - 1} for i, c in enumerate(chunks)
    ]
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return messages.pop(0) if messages else {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    # its own thread: a test before this one (a browser test) may have left an event loop running in this one
    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, lane(scope, receive, send)).result()
    return scope, sent


def _count(route: str, status: str) -> float:
    value = REGISTRY.get_sample_value(
        "townsquare_http_requests_total", {"method": "POST", "route": route, "status": status}
    )
    return value or 0.0


def test_a_warm_request_is_answered_by_the_lane_with_the_routes_answer(
    app: Any, client: Any, demo: Any, db: Any
) -> None:
    cold = client.post(PATH, json=BODY, headers=demo["admin"])  # the route makes the copy and caches the key
    assert cold.status_code == 200, cold.text
    assert ads_client.existing(db) is not None
    down = Downstream()
    lane = AdsDecisionLane(down, route=decision_route())
    json_headers = {**demo["admin"], "content-type": "application/json"}
    scope, sent = call(
        app, lane, json_headers, [b'{"post_id": "hateful", ', b'"campaign_ids": ["c-cons", "c-relax"]}']
    )
    assert down.bodies == []  # the route never ran
    assert sent[0]["status"] == 200
    assert b"".join(m.get("body", b"") for m in sent[1:]) == cold.content
    assert scope["route"].path == PATH  # metrics and the access log name the route's template


@pytest.mark.parametrize(
    "case",
    ["no key", "unknown key", "auditor", "bad body", "record", "inline text", "not json", "other path"],
)
def test_every_other_request_reaches_the_route_with_its_body_intact(
    app: Any, client: Any, demo: Any, auth: Any, case: str
) -> None:
    auditor = auth("auditor")
    for headers in (demo["admin"], auditor):
        client.post(PATH, json=BODY, headers=headers)  # warm copy; both keys in the cache
    headers = {"content-type": "application/json", **demo["admin"]}
    body = b'{"post_id": "hateful", "campaign_ids": ["c-cons"]}'
    path = PATH
    if case == "no key":
        headers.pop("Authorization")
    elif case == "unknown key":
        headers["Authorization"] = "Bearer not-a-key"
    elif case == "auditor":
        headers.update(auditor)
    elif case == "bad body":
        body = b'{"post_id": "hateful", "campaign_ids": ["c-cons"], "surprise": 1}'
    elif case == "record":
        body = b'{"post_id": "hateful", "campaign_ids": ["c-cons"], "record": true}'
    elif case == "inline text":
        body = b'{"text": "hello", "author_id": "alice", "campaign_ids": ["c-cons"]}'
    elif case == "not json":
        headers["content-type"] = "text/plain"
    else:
        path = "/api/v1/ads/impressions"
    down = Downstream()
    lane = AdsDecisionLane(down, route=decision_route())
    _, sent = call(app, lane, headers, [body[:10], body[10:]], path=path)
    assert down.bodies == [body]
    assert sent[0]["status"] == 299


def test_through_the_whole_app_errors_keep_their_shape_and_every_answer_is_counted(
    client: Any, demo: Any, auth: Any, db: Any
) -> None:
    client.post(PATH, json=BODY, headers=demo["admin"])  # warm
    before = _count(PATH, "200")
    answers = [client.post(PATH, json=BODY, headers=demo["admin"]) for _ in range(3)]
    assert all(a.status_code == 200 and a.json() == answers[0].json() for a in answers)
    assert _count(PATH, "200") == before + 3  # the lane's answers carry the route's template
    bad = client.post(PATH, json={**BODY, "surprise": 1}, headers=demo["admin"])
    assert bad.status_code == 422 and bad.headers["content-type"] == "application/problem+json"
    forbidden = client.post(PATH, json=BODY, headers=auth("auditor"))
    assert forbidden.status_code == 403 and forbidden.headers["content-type"] == "application/problem+json"
    assert client.post(PATH, json=BODY).status_code == 401
    with db.session() as s:
        stored = s.scalar(select(func.count()).select_from(PlacementDecision))
    recorded = client.post(PATH, json={**BODY, "record": True}, headers=demo["admin"])
    assert recorded.status_code == 200
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(PlacementDecision)) == stored + 2  # one per campaign
