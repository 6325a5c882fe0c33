"""Ingest in either mode, one code path: validate and store as always, then classify here or hand to the stream.

Embedded (no NATS URL): `posts.ingest.ingest` classifies and enforces in the request, as before. Distributed:
refuse early when the backlog is past its bound (nothing stored), store and *commit* the posts, publish their ids
and wait for JetStream's acks — only then does the caller answer 202. If the publish fails the posts are stored but
not queued; the client is told to retry, and a re-send (now `duplicate`) republishes every post of it that no
worker has processed yet, so nothing accepted is lost.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from townsquare.observability import metrics
from townsquare.posts.ingest import IngestSummary, ingest
from townsquare.settings import Settings
from townsquare.storage.models import ProcessedPost
from townsquare.stream.config import StreamConfig
from townsquare.stream.publisher import StreamUnavailable, get_publisher

__all__ = ["RETRY_AFTER_SECONDS", "Backpressure", "StreamUnavailable", "ingest_items"]

RETRY_AFTER_SECONDS = 2


class Backpressure(StreamUnavailable):
    """The backlog passed `stream_max_backlog`: nothing was stored; send the same request again later."""

    def __init__(self, backlog: int, bound: int) -> None:
        super().__init__(f"{backlog:,} posts are waiting for classification (bound {bound:,}); retry later")
        self.backlog = backlog


def ingest_items(session: Session, items: Iterable[Any], settings: Settings) -> IngestSummary:
    """Ingest in the configured mode; raises StreamUnavailable (→ 503 + Retry-After) when it cannot queue."""
    if not settings.nats_url:
        summary = ingest(session, items)
        _count(summary)
        return summary
    cfg = StreamConfig.from_settings(settings)
    publisher = get_publisher(cfg)
    try:
        backlog = publisher.backlog()
    except StreamUnavailable:
        metrics.INGEST_REFUSED.labels("stream_unreachable").inc()
        raise
    metrics.QUEUE_DEPTH.set(backlog)
    if backlog >= cfg.max_backlog:
        metrics.INGEST_REFUSED.labels("backlog").inc()
        raise Backpressure(backlog, cfg.max_backlog)
    summary = ingest(session, items, assess=False)
    session.commit()  # durable first: a worker must find the post its message names
    ids = [p.id for p in summary.new_posts] + _unprocessed_duplicates(session, summary)
    try:
        publisher.publish(ids)
    except StreamUnavailable:
        metrics.INGEST_REFUSED.labels("publish_failed").inc()
        raise
    for result in summary.results:
        if result.status == "accepted":
            result.code = 202  # stored and queued; classification follows
    _count(summary)
    return summary


def _unprocessed_duplicates(session: Session, summary: IngestSummary) -> list[str]:
    """Re-sent posts no worker has processed yet (their first publish may have failed): queue them again."""
    dup = [r.id for r in summary.results if r.status == "duplicate" and r.id is not None]
    if not dup:
        return []
    done = set(session.scalars(select(ProcessedPost.post_id).where(ProcessedPost.post_id.in_(dup))))
    return [pid for pid in dict.fromkeys(dup) if pid not in done]


def _count(summary: IngestSummary) -> None:
    for status in ("accepted", "duplicate", "conflict", "rejected"):
        n = summary.count(status)
        if n:
            metrics.INGESTED.labels(status).inc(n)
