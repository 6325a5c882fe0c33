"""Attacks on the JSON logs (invariant 5: keys, reporters' identities and what people wrote stay private).

Every request writes an access line, and since this stop that line is built by hand (`logs.RequestContext`) rather
than by `Logger.info`. As an attacker: send keys in every header a client may use, a cookie, a reporter's identity and
free text in bodies, and a request id crafted to break out of its JSON string or to forge a field — then read every line
the server wrote. Nothing sent may come back in a log line, and every line must still be one well-formed JSON
object that carries only the fields the server chose.
"""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from townsquare.observability.logs import JsonFormatter

REPORTER = "reporter-7f3a9c-private"
REPORT_TEXT = "my neighbour Jeanne Dupont at 12 rue des Lilas wrote this"
POST_TEXT = "secret-post-body-4b1e harmless words about the market"
COOKIE = "session=cookie-value-9d2e"
FORGED_ID = 'x","admin":true,"status":200,"y":"'


@pytest.fixture
def lines() -> Iterator[Callable[[], list[dict[str, Any]]]]:
    """Every line the townsquare loggers write during the test, parsed (a line that is not JSON fails here)."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger("townsquare")
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    try:
        yield lambda: [json.loads(ln) for ln in stream.getvalue().splitlines()]
    finally:
        root.removeHandler(handler)
        root.setLevel(old_level)


def test_no_key_cookie_reporter_or_text_reaches_a_log_line(
    client: Any, auth: Callable[..., dict[str, str]], lines: Callable[[], list[dict[str, Any]]]
) -> None:
    ingest = auth("ingest", "platform")
    token = ingest["Authorization"].removeprefix("Bearer ")
    admin = auth("admin")
    admin_token = admin["Authorization"].removeprefix("Bearer ")
    r = client.post(
        "/api/v1/posts", json=[{"id": "lp-1", "author": "lp-author", "text": POST_TEXT}], headers=ingest
    )
    assert r.status_code == 200
    report = {"subject_id": "lp-1", "reason": "hate", "text": REPORT_TEXT, "reporter_id": REPORTER}
    assert client.post("/api/v1/reports", json=report, headers=ingest).status_code == 201
    # the same key as X-API-Key, with a cookie; an admin read; a refused body; a wrong key; the ad lane
    client.get("/api/v1/posts/lp-1", headers={"X-API-Key": admin_token, "Cookie": COOKIE})
    client.post("/api/v1/posts", json=[{"id": "lp-2", "text": REPORT_TEXT}], headers=ingest)  # 422
    client.get("/api/v1/reports", headers={"Authorization": f"Bearer {token}x"})  # 401
    client.post("/api/v1/ads/decisions", json={"post_id": "lp-1", "campaign_ids": ["none"]}, headers=ingest)
    got = lines()
    access = [ln for ln in got if ln["logger"] == "townsquare.access"]
    assert len(access) >= 6  # one per request: the check below reads what was really written
    text = "\n".join(json.dumps(ln, ensure_ascii=False) for ln in got)
    for secret in (
        token,
        admin_token,
        "cookie-value-9d2e",
        REPORTER,
        "Jeanne Dupont",
        "secret-post-body-4b1e",
    ):
        assert secret not in text, secret
    for ln in access:
        assert set(ln) <= {"ts", "level", "logger", "msg", "request_id", "status", "duration_ms", "route"}, ln
        assert "lp-1" not in ln["route"]  # route templates, never raw paths with ids


def test_a_forged_request_id_cannot_add_or_change_fields(
    client: Any, lines: Callable[[], list[dict[str, Any]]]
) -> None:
    r = client.get("/healthz", headers={"X-Request-ID": FORGED_ID})
    assert r.status_code == 200 and r.headers["x-request-id"] != FORGED_ID
    (line,) = [ln for ln in lines() if ln["logger"] == "townsquare.access"]
    assert "admin" not in line and line["request_id"] == r.headers["x-request-id"]
    assert FORGED_ID not in json.dumps(line)
