"""The process's Prometheus metrics (prometheus-client default registry).

Names follow Prometheus conventions: counters end in `_total`, latencies are histograms in seconds. Gauges for
queue depth and consumer lag are set by whoever last read them (the API on each back-pressure check, a worker
after each batch), so `/metrics` never calls NATS itself.
"""

from __future__ import annotations

from prometheus_client import CONTENT_TYPE_LATEST, Counter, Gauge, Histogram, generate_latest

LATENCY_BUCKETS = (0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)

HTTP_REQUESTS = Counter(
    "townsquare_http_requests_total",
    "HTTP requests by route template and status.",
    ["method", "route", "status"],
)
HTTP_LATENCY = Histogram(
    "townsquare_http_request_seconds", "HTTP request latency.", ["method", "route"], buckets=LATENCY_BUCKETS
)
INGESTED = Counter(
    "townsquare_posts_ingested_total", "Posts through ingest, by outcome.", ["status"]
)  # accepted | duplicate | conflict | rejected
INGEST_REFUSED = Counter(
    "townsquare_ingest_refused_total",
    "Ingest requests refused by back-pressure or stream outage.",
    ["reason"],
)
CLASSIFIED = Counter("townsquare_posts_classified_total", "Posts classified and assessed.", ["mode"])
CLASSIFY_SECONDS = Histogram(
    "townsquare_classify_batch_seconds", "Classifier time per batch.", ["mode"], buckets=LATENCY_BUCKETS
)
ENFORCED = Counter("townsquare_enforcement_actions_total", "Posts on which automation acted.", ["mode"])
BATCH_SECONDS = Histogram(
    "townsquare_worker_batch_seconds", "Worker batch time, pull to ack.", buckets=LATENCY_BUCKETS
)
COMMIT_SECONDS = Histogram(
    "townsquare_store_commit_seconds", "Write transaction time per batch.", ["mode"], buckets=LATENCY_BUCKETS
)
REDELIVERED = Counter(
    "townsquare_stream_redelivered_skipped_total", "Posts delivered again and skipped (already processed)."
)
QUEUE_DEPTH = Gauge("townsquare_stream_backlog", "Posts published and not yet acked by a worker.")
CONSUMER_PENDING = Gauge("townsquare_stream_consumer_pending", "Messages not yet delivered to any worker.")
CONSUMER_IN_FLIGHT = Gauge(
    "townsquare_stream_consumer_ack_pending", "Delivered, not yet acked (consumer lag)."
)
AD_DECISIONS = Counter(
    "townsquare_ad_decisions_total", "Ad placement decisions by source of the post's risk vector.", ["source"]
)
AD_DECISION_SECONDS = Histogram(
    "townsquare_ad_decision_seconds", "Time of one decision request (all campaigns).", buckets=LATENCY_BUCKETS
)
ERRORS = Counter("townsquare_errors_total", "Errors by component and kind.", ["component", "kind"])


def render() -> tuple[bytes, str]:
    """The exposition text and its content type."""
    return generate_latest(), CONTENT_TYPE_LATEST


def set_lag(pending: int, in_flight: int) -> None:
    CONSUMER_PENDING.set(pending)
    CONSUMER_IN_FLIGHT.set(in_flight)
    QUEUE_DEPTH.set(pending + in_flight)
