"""The API's side of the stream: publish accepted post ids, and say when the backlog is too long.

FastAPI runs the (sync) ingest route in a thread pool; nats-py is asyncio. One background event loop per process
owns the NATS connection and the sync callers hand it coroutines. The backlog is read from the consumer at most
every `BACKLOG_TTL` seconds (plus what this process published since), so the check costs nothing per request.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
from collections.abc import Coroutine
from typing import Any, TypeVar

from nats.aio.client import Client
from nats.js import JetStreamContext

from townsquare.stream import jetstream
from townsquare.stream.config import StreamConfig

T = TypeVar("T")
BACKLOG_TTL = 0.25


class StreamUnavailable(RuntimeError):
    """NATS could not take the posts now (down, or the stream is at its hard limit): retry later."""


class Publisher:
    def __init__(self, cfg: StreamConfig) -> None:
        self.cfg = cfg
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="townsquare-nats", daemon=True)
        self._thread.start()
        self._nc: Client | None = None
        self._js: JetStreamContext | None = None
        self._lock = threading.Lock()
        self._backlog = 0
        self._backlog_at = 0.0
        self._since = 0

    def _run(self, coro: Coroutine[Any, Any, T], timeout: float = 10.0) -> T:
        return asyncio.run_coroutine_threadsafe(coro, self._loop).result(timeout)

    async def _connected(self) -> JetStreamContext:
        if self._js is None or self._nc is None or self._nc.is_closed:
            self._nc, self._js = await jetstream.connect(self.cfg, name="townsquare-api")
            await jetstream.setup(self._js, self.cfg)
        return self._js

    async def _publish(self, ids: list[str]) -> None:
        js = await self._connected()
        await jetstream.publish_ids(js, self.cfg, ids)

    async def _lag(self) -> jetstream.Lag:
        return await jetstream.lag(await self._connected(), self.cfg)

    def publish(self, ids: list[str]) -> None:
        """Return only once JetStream has acked every id (durable); raise StreamUnavailable otherwise."""
        if not ids:
            return
        try:
            self._run(self._publish(ids))
        except Exception as exc:  # noqa: BLE001 - any NATS failure means: not queued, tell the client to retry
            raise StreamUnavailable(f"the stream did not take the posts: {type(exc).__name__}") from exc
        with self._lock:
            self._since += len(ids)

    def lag(self) -> jetstream.Lag:
        return self._run(self._lag())

    def backlog(self) -> int:
        """Posts published and not yet processed (cached for BACKLOG_TTL; counts this process's own since)."""
        now = time.monotonic()
        with self._lock:
            fresh = now - self._backlog_at < BACKLOG_TTL
            if fresh:
                return self._backlog + self._since
        try:
            value = self.lag().backlog
        except Exception as exc:  # noqa: BLE001
            raise StreamUnavailable(f"the stream is unreachable: {type(exc).__name__}") from exc
        with self._lock:
            self._backlog, self._backlog_at, self._since = value, now, 0
        return value

    def close(self) -> None:
        if self._nc is not None and not self._nc.is_closed:
            with contextlib.suppress(Exception):  # closing at exit: nothing else to do
                self._run(self._nc.close(), timeout=5)
        self._loop.call_soon_threadsafe(self._loop.stop)


_publishers: dict[StreamConfig, Publisher] = {}
_plock = threading.Lock()


def get_publisher(cfg: StreamConfig) -> Publisher:
    """One publisher (one connection) per stream configuration per process."""
    with _plock:
        found = _publishers.get(cfg)
        if found is None:
            found = _publishers[cfg] = Publisher(cfg)
        return found
