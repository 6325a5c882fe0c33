"""`townsquare worker`: one stream worker (run as many as you like, on any machines: docs/streaming.md)."""

from __future__ import annotations

import asyncio
import signal

import typer
from rich.live import Live
from rich.table import Table

from townsquare.cli.common import console, fail
from townsquare.settings import get_settings
from townsquare.storage.db import get_database
from townsquare.stream.blocking import run_blocking
from townsquare.stream.config import StreamConfig
from townsquare.stream.worker import WorkerStats, run


def _table(stats: WorkerStats, cfg: StreamConfig) -> Table:
    t = Table(title=f"townsquare worker · stream {cfg.stream} · consumer {cfg.durable}", show_header=False)
    t.add_row("processed", f"{stats.processed:,}  ({stats.rate:,.0f} posts/s)")
    t.add_row("actions taken", f"{stats.actions:,}")
    t.add_row("redelivered, skipped", f"{stats.skipped:,}")
    t.add_row("batches / failed", f"{stats.batches:,} / {stats.failures:,}")
    t.add_row("waiting in stream", f"{stats.pending:,}")
    t.add_row("in flight (all workers)", f"{stats.in_flight:,}")
    return t


def worker(
    batch_size: int | None = typer.Option(None, "--batch-size", help="Posts per batch (default: settings)."),
    once: bool = typer.Option(False, "--once", help="Exit when the stream is empty (backfills, tests)."),
    quiet: bool = typer.Option(False, "--quiet", help="No live display (logs only)."),
) -> None:
    """Pull posts from JetStream, classify, enforce and store them; ack after the commit."""
    settings = get_settings()
    if not settings.nats_url:
        fail("TOWNSQUARE_NATS_URL is not set: the worker needs NATS JetStream (see docs/streaming.md)")
    cfg = StreamConfig.from_settings(settings)
    if batch_size:
        cfg = StreamConfig(cfg.url, cfg.prefix, cfg.max_backlog, cfg.ack_wait, batch_size)
    database = get_database(settings.database_url)
    classifier = None
    if settings.worker_classify_process:
        from townsquare.stream.classifier_process import ClassifierProcess

        classifier = ClassifierProcess(settings.database_url)
        try:
            classifier.warm()  # the child loads the model before the first batch (ack_wait is not spent loading)
        except Exception as exc:  # noqa: BLE001 - say what failed, not a traceback of the process pool
            classifier.close()
            fail(f"the worker's classifier process did not start ({type(exc).__name__}: {exc})")
    else:
        from townsquare.classify.model import get_model

        get_model()  # load before the first batch, so the first ack_wait is not spent loading
    prepare = classifier.prepare if classifier else None
    from townsquare.ads.feedkv import worker_hook
    from townsquare.core.heap import freeze_startup_heap

    publish = worker_hook(cfg, database)  # the ad hot path's feed: risk vectors as they are assessed
    freeze_startup_heap()

    async def main() -> WorkerStats:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            try:
                loop.add_signal_handler(sig, stop.set)
            except (RuntimeError, ValueError):  # not the main thread (an embedding host owns signals)
                break
        if quiet:
            return await run(
                cfg, database, stop=stop, exit_when_idle=once, after_commit=publish, prepare=prepare
            )
        with Live(_table(WorkerStats(), cfg), console=console, refresh_per_second=4) as live:
            return await run(
                cfg,
                database,
                stop=stop,
                exit_when_idle=once,
                after_commit=publish,
                on_batch=lambda stats, _ids: live.update(_table(stats, cfg)),
                prepare=prepare,
            )

    try:
        stats = run_blocking(main())
    finally:
        if classifier is not None:
            classifier.close()
    console.print(f"worker stopped: {stats.processed:,} processed, {stats.skipped:,} redeliveries skipped")
