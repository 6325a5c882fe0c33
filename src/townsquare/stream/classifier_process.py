"""A worker's second process: reads and classifies the next batch while the worker commits the current one.

Why a process and not a thread: both halves of a worker's work are Python (the classifier's feature extraction,
the ORM's enforcement), so on threads they take turns on one interpreter lock and a worker uses one core however
many it has (measured: one worker at ~90 % of one core, PostgreSQL at ~15 %). In a child process the classifier
runs on the second core. Nothing is claimed or written there: the parent's commit is still the one place effects
happen, so exactly-once does not depend on the child (a batch it read twice is written once; if it dies, the
batch fails, is nak'ed and comes again).

The child is started with `spawn` (the parent holds NATS and database connections and threads that must not be
copied by a fork), opens its own read-only use of the database and loads the model before the first batch.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor

from townsquare.storage.db import Database
from townsquare.stream import process

_CHILD_DB: Database | None = None
ORPHAN_CHECK_SECONDS = 1.0


def _orphaned(parent: int) -> None:
    """Exit when the worker is gone: a worker killed with SIGKILL cannot close us, and the pool's queue keeps our
    end of its pipe open (no EOF would ever come)."""
    while os.getppid() == parent:
        time.sleep(ORPHAN_CHECK_SECONDS)
    os._exit(0)


def _start(database_url: str) -> None:
    global _CHILD_DB
    signal.signal(
        signal.SIGINT, signal.SIG_IGN
    )  # Ctrl-C is the worker's to handle (it stops, then closes us)
    threading.Thread(target=_orphaned, args=(os.getppid(),), name="orphan-check", daemon=True).start()
    _CHILD_DB = Database(database_url)
    from townsquare.classify.model import get_model

    get_model()


def _prepare(ids: list[str]) -> process.Prepared:
    assert _CHILD_DB is not None, "the child process was not started by ClassifierProcess"
    return process.prepare(_CHILD_DB, ids)


def _ready() -> bool:
    return _CHILD_DB is not None


class ClassifierProcess:
    """`await prepare(ids)` in a child process; `close()` when done (also a context manager)."""

    def __init__(self, database_url: str) -> None:
        self._pool = ProcessPoolExecutor(
            max_workers=1,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_start,
            initargs=(database_url,),
        )

    def warm(self) -> None:
        """Start the child and load its model now, so the first batch's ack_wait is not spent loading."""
        self._pool.submit(_ready).result()

    async def prepare(self, ids: Sequence[str]) -> process.Prepared:
        return await asyncio.get_running_loop().run_in_executor(self._pool, _prepare, list(ids))

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)

    def __enter__(self) -> ClassifierProcess:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()
