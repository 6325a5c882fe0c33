"""Distributed mode end to end on real NATS and a real database (SQLite and PostgreSQL)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from stream_helpers import counts, make_posts, max_assessments_per_post

from townsquare import audit
from townsquare.api.app import create_app
from townsquare.settings import Settings
from townsquare.storage.db import Database
from townsquare.stream import process
from townsquare.stream.blocking import run_blocking
from townsquare.stream.config import StreamConfig
from townsquare.stream.worker import run


@pytest.fixture
def cfg(nats_url: str, stream_prefix: str) -> StreamConfig:
    return StreamConfig(nats_url, stream_prefix, max_backlog=1_000, ack_wait=5.0, batch_size=40)


def _client(db: Database, db_url: str, cfg: StreamConfig) -> TestClient:
    settings = Settings(
        database_url=db_url,
        dev_mode=True,
        secret_key="test-secret-key-not-default",  # type: ignore[arg-type]
        nats_url=cfg.url,
        stream_prefix=cfg.prefix,
        stream_max_backlog=cfg.max_backlog,
        stream_ack_wait_seconds=cfg.ack_wait,
        worker_batch_size=cfg.batch_size,
    )
    return TestClient(create_app(settings, db), raise_server_exceptions=False)


@pytest.fixture
def dist(db: Database, db_url: str, cfg: StreamConfig) -> Iterator[TestClient]:
    with _client(db, db_url, cfg) as c:
        yield c


def _drain(cfg: StreamConfig, db: Database) -> Any:
    return run_blocking(run(cfg, db, exit_when_idle=True, worker="test-worker"))


def test_ingest_publishes_then_worker_assesses_each_post_once(
    dist: TestClient, db: Database, cfg: StreamConfig, auth: Callable[..., dict[str, str]]
) -> None:
    h = auth("ingest")
    posts = make_posts(120, "flow")
    r = dist.post("/api/v1/posts", json=posts, headers=h)
    assert r.status_code == 202, r.text
    body = r.json()
    assert body["accepted"] == 120 and {x["code"] for x in body["results"]} == {202}
    before = counts(db)
    assert before["posts"] == 120 and before["assessments"] == 0  # nothing classified in the request
    stats = _drain(cfg, db)
    after = counts(db)
    assert stats.processed == 120
    assert after["assessed_posts"] == 120 and after["assessments"] == 120
    assert after["processed_posts"] == 120
    assert after["actions"] > 0, "the demo texts include posts the default policy acts on"
    with db.read_session() as s:
        assert audit.verify(s)[1] is None
    # a single post answers 202 too, and its GET shows it once the worker ran
    one = make_posts(1, "single")[0]
    r1 = dist.post("/api/v1/posts", json=one, headers=h)
    assert r1.status_code == 202 and r1.json()["status"] == "accepted"
    _drain(cfg, db)
    assert counts(db)["assessed_posts"] == 121


def test_redelivery_after_commit_changes_nothing(
    dist: TestClient, db: Database, cfg: StreamConfig, auth: Callable[..., dict[str, str]]
) -> None:
    """The worst case of at-least-once: the batch committed, the worker died before acking, it comes again."""
    posts = make_posts(72, "redeliver")
    assert dist.post("/api/v1/posts", json=posts, headers=auth("ingest")).status_code == 202
    ids = [p["id"] for p in posts]
    first = process.process_ids(db, ids, worker="w1")
    once = counts(db)
    assert first.assessed == 72 and first.actions > 0
    again = process.process_ids(db, ids, worker="w2")  # the same batch redelivered to another worker
    assert again.assessed == 0 and again.skipped == 72
    assert counts(db) == once
    with db.session() as s:  # and the claim step on its own refuses already-claimed posts
        from townsquare.storage.models import Post

        rows = list(s.scalars(__import__("sqlalchemy").select(Post).where(Post.id.in_(ids[:5]))))
        result = process.assess_posts(s, rows, process.classify_posts(rows), worker="w3")
        assert result.assessed == 0 and result.skipped == 5
    assert counts(db) == once
    assert max_assessments_per_post(db) == 1
    _drain(cfg, db)  # the stream's own copies of the messages: all skipped
    assert counts(db) == once
    with db.read_session() as s:
        assert audit.verify(s)[1] is None


def test_batch_prepared_before_the_previous_commit_is_written_once(
    dist: TestClient, db: Database, cfg: StreamConfig, auth: Callable[..., dict[str, str]]
) -> None:
    """The worker reads and classifies batch N+1 while batch N commits: a post in both (a redelivery racing its
    first delivery) looks unprocessed to both reads, and only the first commit may act on it."""
    posts = make_posts(60, "overlap")
    assert dist.post("/api/v1/posts", json=posts, headers=auth("ingest")).status_code == 202
    ids = [p["id"] for p in posts]
    first = process.prepare(db, ids[:40])
    second = process.prepare(db, ids[20:])  # read before `first` commits: 20 posts in common
    assert len(first.posts) == 40 and len(second.posts) == 40 and second.already == 0
    a = process.commit(db, first, worker="w1")
    b = process.commit(db, second, worker="w1")
    assert a.assessed == 40 and b.assessed == 20 and b.skipped == 20
    assert set(a.assessed_ids).isdisjoint(b.assessed_ids)
    after = counts(db)
    assert after["assessments"] == 60 and after["processed_posts"] == 60
    assert max_assessments_per_post(db) == 1
    with db.read_session() as s:
        assert audit.verify(s)[1] is None


def test_the_handover_is_plain_data_and_acted_posts_still_change_state(
    dist: TestClient, db: Database, cfg: StreamConfig, auth: Callable[..., dict[str, str]]
) -> None:
    """What the classifier process hands to the commit holds no ORM row (rows are read in the write transaction,
    only for the posts the policy acts on), and those posts' own rows still take the action's visibility."""
    import pickle

    from sqlalchemy import select

    from townsquare.core.enums import VISIBILITY_OF_ACTION, ActionType
    from townsquare.storage.models import Action, Post

    posts = make_posts(30, "plain")
    assert dist.post("/api/v1/posts", json=posts, headers=auth("ingest")).status_code == 202
    ready = process.prepare(db, [p["id"] for p in posts])
    assert ready.posts and all(type(p) is process.PostFacts for p in ready.posts)
    assert b"sqlalchemy" not in pickle.dumps(ready)
    result = process.commit(db, ready, worker="w-plain")
    assert result.assessed == 30 and result.actions > 0
    with db.read_session() as s:
        acted = {
            a.post_id: ActionType(a.action)
            for a in s.scalars(select(Action).where(Action.post_id.like("plain-%")))
            if ActionType(a.action) in VISIBILITY_OF_ACTION
        }
        states = {p.id: p.visibility for p in s.scalars(select(Post).where(Post.id.in_(list(acted))))}
        assert acted and states == {pid: VISIBILITY_OF_ACTION[kind].value for pid, kind in acted.items()}
        assert audit.verify(s)[1] is None


def test_worker_classifying_in_a_child_process_assesses_each_post_once(
    dist: TestClient, db: Database, cfg: StreamConfig, auth: Callable[..., dict[str, str]]
) -> None:
    """The CLI's default: the next batch is read and classified in a child process (the worker's second core)."""
    from townsquare.stream.classifier_process import ClassifierProcess

    posts = make_posts(90, "child")
    assert dist.post("/api/v1/posts", json=posts, headers=auth("ingest")).status_code == 202
    with ClassifierProcess(db.url) as child:
        child.warm()
        stats = run_blocking(run(cfg, db, exit_when_idle=True, worker="w-child", prepare=child.prepare))
        again = run_blocking(
            child.prepare([p["id"] for p in posts])
        )  # all processed now: nothing to classify
    assert stats.processed == 90 and stats.failures == 0
    assert again.posts == [] and again.already == 90
    after = counts(db)
    assert after["assessed_posts"] == 90 and after["assessments"] == 90 and after["processed_posts"] == 90
    assert max_assessments_per_post(db) == 1
    with db.read_session() as s:
        assert audit.verify(s)[1] is None


def test_backlog_bound_answers_503_with_retry_after_and_stores_nothing(
    db: Database, db_url: str, nats_url: str, stream_prefix: str, auth: Callable[..., dict[str, str]]
) -> None:
    cfg = StreamConfig(nats_url, stream_prefix, max_backlog=30, ack_wait=5.0, batch_size=50)
    h = auth("ingest")
    with _client(db, db_url, cfg) as c:
        assert c.post("/api/v1/posts", json=make_posts(30, "bp"), headers=h).status_code == 202
        import time

        time.sleep(0.3)  # the API reads the backlog at most every 0.25 s; let it read the real figure
        late = make_posts(3, "late")
        r = c.post("/api/v1/posts", json=late, headers=h)
        assert r.status_code == 503, r.text
        assert r.headers["retry-after"].isdigit() and int(r.headers["retry-after"]) >= 1
        assert r.headers["content-type"].startswith("application/problem+json")
        assert "retry" in r.json()["detail"]
        assert counts(db)["posts"] == 30  # refused before anything was stored
        stats = _drain(cfg, db)
        assert stats.processed == 30
        time.sleep(0.3)
        assert c.post("/api/v1/posts", json=late, headers=h).status_code == 202
    _drain(cfg, db)
    assert counts(db)["assessed_posts"] == 33


def test_resend_after_failed_publish_requeues_unprocessed_posts(
    dist: TestClient, db: Database, cfg: StreamConfig, auth: Callable[..., dict[str, str]]
) -> None:
    """A post stored but never queued (publish failed) is queued again by the client's retry."""
    from townsquare.posts.ingest import ingest

    posts = make_posts(5, "stranded")
    with db.session() as s:  # stored, not published: what a failed publish leaves behind
        ingest(s, posts, assess=False)
    r = dist.post("/api/v1/posts", json=posts, headers=auth("ingest"))
    assert r.status_code == 200 and r.json()["duplicate"] == 5
    _drain(cfg, db)
    assert counts(db)["assessed_posts"] == 5


def test_stopping_hands_back_the_batch_fetched_ahead(
    db: Database, db_url: str, cfg: StreamConfig, auth: Callable[..., dict[str, str]]
) -> None:
    """The worker fetches the next batch while one is classified: stopped after its first batch, it commits what it
    has classified and nak's what it fetched ahead, so it is redelivered at once, not after ack_wait (30 s here): a
    second worker finishes the stream long before, and every post is assessed exactly once."""
    import asyncio
    import time

    slow = StreamConfig(cfg.url, cfg.prefix, cfg.max_backlog, ack_wait=30.0, batch_size=cfg.batch_size)
    posts = make_posts(400, "ahead")
    with _client(db, db_url, slow) as c:
        assert c.post("/api/v1/posts", json=posts, headers=auth("ingest")).status_code == 202
    stop = asyncio.Event()
    first = run_blocking(run(slow, db, stop=stop, worker="w-stop", on_batch=lambda *_: stop.set()))
    assert 0 < first.processed <= 4 * slow.batch_size  # its batch, the one queued, the one classifying
    t0 = time.monotonic()
    second = _drain(slow, db)
    assert time.monotonic() - t0 < slow.ack_wait  # nothing waited for ack_wait to be redelivered
    assert first.processed + second.processed == 400
    after = counts(db)
    assert after["assessed_posts"] == 400 and after["processed_posts"] == 400
    assert max_assessments_per_post(db) == 1
