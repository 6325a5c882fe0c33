"""The worker loop: pull a batch as the shared durable consumer, process it, ack after the commit.

Any number of workers, on any machines, bind to the same durable pull consumer, so JetStream hands each batch to
one of them (a consumer group). A batch not acked within `ack_wait` (the worker died, or hangs) is redelivered;
`process.assess_posts` makes that harmless. A batch whose processing fails is nak'ed with a delay, never dropped.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import nats.errors
from nats.aio.msg import Msg

from townsquare.observability import metrics
from townsquare.storage.db import Database
from townsquare.stream import jetstream, process
from townsquare.stream.config import StreamConfig

log = logging.getLogger("townsquare.worker")
FETCH_TIMEOUT = 1.0


@dataclass
class WorkerStats:
    processed: int = 0
    skipped: int = 0
    missing: int = 0
    actions: int = 0
    batches: int = 0
    failures: int = 0
    pending: int = 0
    in_flight: int = 0
    started: float = field(default_factory=time.monotonic)

    @property
    def rate(self) -> float:
        elapsed = time.monotonic() - self.started
        return self.processed / elapsed if elapsed > 0 else 0.0


OnBatch = Callable[[WorkerStats, list[str]], None]
Prepare = Callable[[list[str]], Awaitable[process.Prepared]]


async def _ack_all(msgs: list[Msg]) -> None:
    for m in msgs:
        await m.ack()


async def _refresh_lag(js: object, cfg: StreamConfig, stats: WorkerStats) -> None:
    try:
        lag = await jetstream.lag(js, cfg)  # type: ignore[arg-type]
    except Exception:  # noqa: BLE001 - lag is informative; a failed read must not stop the worker
        return
    stats.pending, stats.in_flight = lag.pending, lag.in_flight
    metrics.set_lag(lag.pending, lag.in_flight)


@dataclass
class _InFlight:
    """A batch whose write transaction is running on a thread; acked (or nak'ed) once it has committed."""

    msgs: list[Msg]
    started: float
    task: asyncio.Future[process.BatchResult]


async def run(
    cfg: StreamConfig,
    database: Database,
    *,
    stop: asyncio.Event | None = None,
    on_batch: OnBatch | None = None,
    exit_when_idle: bool = False,
    worker: str | None = None,
    after_commit: Callable[[list[str]], None] | None = None,
    prepare: Prepare | None = None,
) -> WorkerStats:
    """Process until `stop` is set (or, with `exit_when_idle`, until a fetch finds nothing).

    Two stages overlap: while batch N's write transaction runs on one thread, batch N+1 is fetched, read and
    classified on another (a worker machine's second core); batch N is acked, and its after-commit hook run, while
    N+1 commits. Commits stay one at a time and each batch is acked only after its own commit, so exactly-once effects do not depend on the overlap: a post in two batches is claimed by
    the first commit and skipped by the second.

    `prepare(ids)` reads and classifies a batch: by default on a thread of this process; the CLI passes a
    `ClassifierProcess`'s, which does it in a child process (the second core).

    `after_commit(ids)` runs after each acked batch with the ids assessed in it (the CLI passes the ads feed's
    publisher; this package never imports `townsquare.ads`: enforcement does not read ads).
    """
    worker = worker or process.worker_name()
    stop = stop or asyncio.Event()
    stats = WorkerStats()
    nc, js = await jetstream.connect(cfg, name=f"townsquare-worker {worker}")

    async def finish(batch: _InFlight) -> None:
        try:
            result = await batch.task
        except Exception as exc:  # noqa: BLE001 - redeliver later, keep the worker alive
            await _failed(stats, batch.msgs, exc)
            return
        await _ack_all(batch.msgs)
        await nc.flush()
        if after_commit is not None and result.assessed_ids:
            try:  # e.g. the ads feed: publish the fresh risk vectors (never blocks the ack)
                await asyncio.to_thread(after_commit, result.assessed_ids)
            except Exception as exc:  # noqa: BLE001
                metrics.ERRORS.labels("worker_after_commit", type(exc).__name__).inc()
                log.exception("after-commit hook failed")
        metrics.BATCH_SECONDS.observe(time.perf_counter() - batch.started)
        metrics.REDELIVERED.inc(result.skipped)
        stats.batches += 1
        stats.processed += result.assessed
        stats.skipped += result.skipped
        stats.missing += result.missing
        stats.actions += result.actions
        if result.missing:
            metrics.ERRORS.labels("worker", "unknown_post").inc(result.missing)
        await _refresh_lag(js, cfg, stats)
        if on_batch:
            on_batch(stats, result.assessed_ids)

    try:
        await jetstream.setup(js, cfg)
        sub = await js.pull_subscribe(cfg.subject, durable=cfg.durable, stream=cfg.stream)
        await _pipeline(
            sub, database, cfg, stats, stop, finish, exit_when_idle, on_batch, worker, prepare, js
        )
    finally:
        await nc.close()
    return stats


_END = object()  # the producer has stopped: the consumer commits what is left, then returns


async def _pipeline(
    sub: Any,
    database: Database,
    cfg: StreamConfig,
    stats: WorkerStats,
    stop: asyncio.Event,
    finish: Callable[[_InFlight], Awaitable[None]],
    exit_when_idle: bool,
    on_batch: OnBatch | None,
    worker: str,
    prepare: Prepare | None,
    js: Any,
) -> None:
    """Fetch-and-classify runs ahead of the commits (a producer task, one prepared batch queued), so the classifier
    never waits for a commit, an ack or a fetch; commits run one at a time on a thread, in order.

    Measured on one worker: the loop that fetched, classified, then committed in turn kept the classifier process
    busy ~63 % of the time (each batch waited for the previous one's acks, feed publish and lag read)."""
    queue: asyncio.Queue[Any] = asyncio.Queue(maxsize=1)

    async def produce() -> None:
        fetch = asyncio.ensure_future(sub.fetch(cfg.batch_size, timeout=FETCH_TIMEOUT))
        try:
            while not stop.is_set():
                try:
                    msgs = await fetch
                except (nats.errors.TimeoutError, TimeoutError):
                    fetch = asyncio.ensure_future(sub.fetch(cfg.batch_size, timeout=FETCH_TIMEOUT))
                    await queue.put(None)  # idle: the consumer reads the lag (and may stop)
                    continue
                # the next batch arrives while this one is classified (reading 500 messages is not free)
                fetch = asyncio.ensure_future(sub.fetch(cfg.batch_size, timeout=FETCH_TIMEOUT))
                started = time.perf_counter()
                ids = [pid for pid in (jetstream.decode(m.data) for m in msgs) if pid is not None]
                try:
                    ready = await (
                        prepare(ids) if prepare else asyncio.to_thread(process.prepare, database, ids)
                    )
                except Exception as exc:  # noqa: BLE001 - redeliver later, keep the worker alive
                    await _failed(stats, msgs, exc)
                    continue
                await queue.put((msgs, started, ready))
        finally:
            await _release(fetch)
            await queue.put(_END)

    producer = asyncio.ensure_future(produce())
    inflight: _InFlight | None = None
    get: asyncio.Future[Any] | None = None
    try:
        while True:
            get = get or asyncio.ensure_future(queue.get())
            waits: set[asyncio.Future[Any]] = {get} if inflight is None else {get, inflight.task}
            await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
            item = get.result() if get.done() else None
            if get.done():
                get = None
            if item is _END:
                break
            last = None
            if inflight is not None and (inflight.task.done() or item is not None):
                await asyncio.wait([inflight.task])  # commits stay one at a time: N+1 starts once N has ended
                last, inflight = inflight, None
            if item is not None:
                msgs, started, ready = item
                commit = asyncio.to_thread(process.commit, database, ready, worker=worker)
                inflight = _InFlight(msgs, started, asyncio.ensure_future(commit))
            if last is not None:  # ack N (as soon as it committed), publish its feed — while N+1 commits
                await finish(last)
            if item is None and get is None:  # an idle tick from the producer
                await _refresh_lag(js, cfg, stats)
                if on_batch:
                    on_batch(stats, [])
                if exit_when_idle and inflight is None and stats.pending == 0 and stats.in_flight == 0:
                    stop.set()
    finally:
        # stopping (or an error): let the last commit end, then ack or nak what it did
        if inflight is not None:
            await finish(inflight)
        for task in (get, producer):
            if task is not None and not task.done():
                task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await producer  # its error, if it failed, surfaces here


async def _release(fetch: asyncio.Future[list[Msg]]) -> None:
    """A batch fetched ahead and never processed (the worker is stopping): hand it back at once, not after
    `ack_wait`. The fetch is let finish (at most FETCH_TIMEOUT): cancelled, its pull request would still deliver
    messages to nobody, held until `ack_wait`."""
    try:
        msgs = await fetch
    except Exception:  # noqa: BLE001 - nothing came (timeout) or the connection is gone: nothing to hand back
        return
    for m in msgs:
        await m.nak()


async def _failed(stats: WorkerStats, msgs: list[Msg], exc: Exception) -> None:
    stats.failures += 1
    metrics.ERRORS.labels("worker", type(exc).__name__).inc()
    log.exception("batch failed; nak for redelivery", extra={"batch": len(msgs)}, exc_info=exc)
    for m in msgs:
        await m.nak(delay=1.0)
