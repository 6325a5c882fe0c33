"""`/metrics` answers in Prometheus text format and counts what happened; every response carries a request id."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from prometheus_client.parser import text_string_to_metric_families


def _samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    out = {}
    for fam in text_string_to_metric_families(text):
        for s in fam.samples:
            out[(s.name, tuple(sorted(s.labels.items())))] = s.value
    return out


def _value(text: str, name: str, **labels: str) -> float:
    return _samples(text).get((name, tuple(sorted(labels.items()))), 0.0)


def test_metrics_count_ingest_classification_and_requests(
    client: Any, auth: Callable[..., dict[str, str]]
) -> None:
    before = client.get("/metrics")
    assert before.status_code == 200
    assert before.headers["content-type"].startswith("text/plain")
    accepted0 = _value(before.text, "townsquare_posts_ingested_total", status="accepted")
    classified0 = _value(before.text, "townsquare_posts_classified_total", mode="embedded")
    posts = [{"id": f"m-{i}", "author": "m-author", "text": f"Hello market number {i}"} for i in range(4)]
    r = client.post("/api/v1/posts", json=posts, headers=auth("ingest"))
    assert r.status_code == 200 and r.json()["accepted"] == 4
    client.post("/api/v1/posts", json=[{"id": "bad"}], headers=auth("ingest"))
    after = client.get("/metrics").text
    assert _value(after, "townsquare_posts_ingested_total", status="accepted") == accepted0 + 4
    assert _value(after, "townsquare_posts_ingested_total", status="rejected") >= 1
    assert _value(after, "townsquare_posts_classified_total", mode="embedded") == classified0 + 4
    # route templates, never raw paths, label the HTTP series (bounded cardinality, no ids leak)
    assert (
        _value(after, "townsquare_http_requests_total", method="POST", route="/api/v1/posts", status="200")
        >= 2
    )
    client.get("/api/v1/posts/m-1")
    again = client.get("/metrics").text
    assert "/api/v1/posts/m-1" not in again
    assert 'route="/api/v1/posts/{post_id:path}"' in again
    for name in (
        "townsquare_http_request_seconds",
        "townsquare_stream_backlog",
        "townsquare_stream_consumer_ack_pending",
        "townsquare_ad_decisions_total",
        "townsquare_errors_total",
        "townsquare_worker_batch_seconds",
    ):
        assert name in again


def test_request_id_is_echoed_generated_or_replaced(client: Any) -> None:
    given = client.get("/healthz", headers={"X-Request-ID": "abc-123.x"})
    assert given.headers["x-request-id"] == "abc-123.x"
    fresh = client.get("/healthz")
    assert re.fullmatch(r"[0-9a-f]{32}", fresh.headers["x-request-id"])
    hostile = client.get("/healthz", headers={"X-Request-ID": "a b<script>"})
    assert re.fullmatch(r"[0-9a-f]{32}", hostile.headers["x-request-id"])
    problem = client.get("/api/v1/posts/does-not-exist", headers={"X-Request-ID": "req-404"})
    assert problem.status_code == 404 and problem.headers["x-request-id"] == "req-404"
