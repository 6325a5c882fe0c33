"""Kill -9 workers mid-batch, repeatedly: every accepted post is assessed exactly once, the audit chain verifies.

Two real `townsquare worker` processes share the consumer; as soon as they have committed something both are
SIGKILLed, again and again, and replaced. The killed worker's in-flight batch (possibly committed, not acked) is
redelivered after ack_wait to whichever worker pulls next.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from stream_helpers import counts, make_posts, max_assessments_per_post

from townsquare import audit
from townsquare.access.keys import create_key
from townsquare.api.app import create_app
from townsquare.settings import Settings
from townsquare.storage.db import Database

KILLS = 3
POSTS = 360
WAIT_LIMIT = 240.0  # a guard against a hang, not a timing assertion


def _spawn(env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    exe = Path(sys.executable).with_name("townsquare")
    out = log.open("ab")
    return subprocess.Popen([str(exe), "worker", "--quiet"], env=env, stdout=out, stderr=subprocess.STDOUT)


def _children(pid: int) -> list[int]:
    out: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        out.extend(int(c) for c in task.read_text().split())
    return out


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state != "Z"


def _processed(db: Database) -> int:
    from sqlalchemy import func, select

    from townsquare.storage.models import ProcessedPost

    with db.read_session() as s:
        return int(s.scalar(select(func.count()).select_from(ProcessedPost)) or 0)


def _wait_for(pred: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + WAIT_LIMIT
    while not pred():
        assert time.monotonic() < deadline, f"gave up waiting for {what}"
        time.sleep(0.02)


@pytest.fixture
def pg(pg_schema: Any) -> Iterator[tuple[Database, str]]:
    """PostgreSQL only: the production store of distributed mode (SQLite runs the flow tests)."""
    pg_schema.truncate()
    database = Database(pg_schema.url)
    yield database, pg_schema.url
    database.dispose()


@pytest.mark.postgres
def test_kill_minus_nine_repeatedly_loses_nothing_and_duplicates_nothing(
    pg: tuple[Database, str], nats_url: str, stream_prefix: str, tmp_path: Path
) -> None:
    db, db_url = pg
    with db.session() as s:
        _, token = create_key(s, role="ingest", name="k9-ingest")
    h = {"Authorization": f"Bearer {token}"}
    settings = Settings(
        database_url=db_url,
        dev_mode=True,
        secret_key="test-secret-key-not-default",  # type: ignore[arg-type]
        nats_url=nats_url,
        stream_prefix=stream_prefix,
    )
    posts = make_posts(POSTS, "k9")
    with TestClient(create_app(settings, db)) as c:
        for i in range(0, POSTS, 120):
            r = c.post("/api/v1/posts", json=posts[i : i + 120], headers=h)
            assert r.status_code == 202, r.text
    env = {
        **os.environ,
        "TOWNSQUARE_DATABASE_URL": db_url,
        "TOWNSQUARE_DEV_MODE": "true",
        "TOWNSQUARE_NATS_URL": nats_url,
        "TOWNSQUARE_STREAM_PREFIX": stream_prefix,
        "TOWNSQUARE_STREAM_ACK_WAIT_SECONDS": "2",
        "TOWNSQUARE_WORKER_BATCH_SIZE": "20",
    }
    log = tmp_path / "workers.log"
    workers = [_spawn(env, log), _spawn(env, log)]
    killed = 0
    orphans: list[int] = []
    try:
        while killed < KILLS:
            seen = _processed(db)
            if seen >= POSTS:
                break
            _wait_for(lambda s=seen: _processed(db) > s, "a worker to make progress")
            children = [c for w in workers for c in _children(w.pid)]  # their classifier processes
            for w in workers:  # both, at once: whatever each had in flight is cut wherever it was
                w.send_signal(signal.SIGKILL)
            for w in workers:
                w.wait()
            orphans.extend(children)
            killed += 1
            workers = [_spawn(env, log), _spawn(env, log)]
        _wait_for(lambda: _processed(db) >= POSTS, "every post to be processed")
    finally:
        for w in workers:
            w.send_signal(signal.SIGTERM)
        for w in workers:
            try:
                w.wait(timeout=30)
            except subprocess.TimeoutExpired:
                w.kill()
    assert killed >= 2, "the workers finished before they could be killed: raise POSTS"
    assert orphans, "the workers run their classifier in a child process (the CLI's default)"
    _wait_for(lambda: not any(_alive(pid) for pid in orphans), "the killed workers' child processes to exit")
    final = counts(db)
    assert final["posts"] == POSTS
    assert final["assessed_posts"] == POSTS and final["assessments"] == POSTS, final
    assert max_assessments_per_post(db) == 1
    assert final["processed_posts"] == POSTS
    with db.read_session() as s:
        n, problem = audit.verify(s)
        assert problem is None, problem
        assert n > 0
    # no post has two automated actions of the same kind from the same assessment run
    from sqlalchemy import func, select

    from townsquare.storage.models import Action

    with db.read_session() as s:
        dup = s.execute(
            select(Action.post_id, Action.action, func.count())
            .where(Action.post_id.is_not(None), Action.actor == "automation")
            .group_by(Action.post_id, Action.action)
            .having(func.count() > 1)
        ).all()
        assert dup == []
