"""The distributed half of the feed: two JetStream KV buckets watched by every process that holds a copy.

One background event loop per `KvFeed` owns the NATS connection; sync callers (request threads, the worker's
thread) hand it puts and deletes without waiting. A watcher applies every put/delete from any process to the
local copy as it arrives. Buckets keep one revision per key and expire keys after a day (a copy is a cache: a key
that expired is simply a miss and is read from the database).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
from collections.abc import Iterable

from nats.aio.client import Client
from nats.js import JetStreamContext
from nats.js.errors import BucketNotFoundError
from nats.js.kv import KV_DEL, KV_PURGE, KeyValue

from townsquare.ads.feed import Change, LocalCopy, decode_post, encode_post, kv_ident, kv_key
from townsquare.ads.risk import LoadedPost, load_posts
from townsquare.storage.db import Database
from townsquare.stream import jetstream
from townsquare.stream.config import StreamConfig

log = logging.getLogger("townsquare.ads.feed")
KEY_TTL_SECONDS = 86_400
# a bucket's keys are the subjects of its stream (nats.js.client.KV_PRE_TEMPLATE)
KV_SUBJECT = "$KV.{bucket}."


async def _bucket(js: JetStreamContext, name: str) -> KeyValue:
    try:
        return await js.key_value(name)
    except BucketNotFoundError:
        try:
            return await js.create_key_value(bucket=name, history=1, ttl=KEY_TTL_SECONDS)
        except Exception:  # noqa: BLE001 - created concurrently by another process
            return await js.key_value(name)


class KvFeed:
    def __init__(self, cfg: StreamConfig, copy: LocalCopy | None = None) -> None:
        self.cfg = cfg
        self.copy = copy
        self.ready = threading.Event()
        self.applied = 0
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(
            target=self._loop.run_forever, name="townsquare-ads-feed", daemon=True
        )
        self._thread.start()
        self._nc: Client | None = None
        self._risk: KeyValue | None = None
        self._profiles: KeyValue | None = None
        self._opened = asyncio.run_coroutine_threadsafe(self._open(), self._loop)

    async def _open(self) -> None:
        self._nc, js = await jetstream.connect(self.cfg, name="townsquare-ads-feed")
        self._risk = await _bucket(js, self.cfg.risk_bucket)
        self._profiles = await _bucket(js, self.cfg.profile_bucket)
        if self.copy is not None:
            for kv in (self._risk, self._profiles):
                watcher = await kv.watchall()
                self._loop.create_task(self._watch(watcher))
        self.ready.set()

    async def _watch(self, watcher: KeyValue.KeyWatcher) -> None:
        assert self.copy is not None
        async for entry in watcher:
            if entry is None:
                continue  # end of the initial values
            try:
                self._apply(entry.key, entry.value, entry.operation)
            except Exception:  # noqa: BLE001 - one bad entry must not stop the feed
                log.exception("bad feed entry", extra={"key": entry.key})

    def _apply(self, key: str, value: bytes | None, op: str | None) -> None:
        assert self.copy is not None
        kind, ident = kv_ident(key)
        deleted = op in (KV_DEL, KV_PURGE) or not value
        if kind == "post":
            if deleted:
                self.copy.drop(posts={ident})
            else:
                assert value is not None
                self.copy.put_post(decode_post(value))
        elif kind == "campaign":
            self.copy.drop(campaigns={ident})
        elif kind == "profile":
            self.copy.drop(profiles={int(ident)})
        self.applied += 1

    def wait_ready(self, timeout: float = 10.0) -> None:
        self._opened.result(timeout)

    def _submit(self, coro_fn: object) -> None:
        async def run() -> None:
            await asyncio.wrap_future(self._opened)
            try:
                await coro_fn()  # type: ignore[operator]
            except Exception:  # noqa: BLE001 - the copy falls back to the DB; count and carry on
                from townsquare.observability import metrics

                metrics.ERRORS.labels("ads_feed", "publish").inc()
                log.exception("ads feed publish failed")

        asyncio.run_coroutine_threadsafe(run(), self._loop)

    def publish_posts(self, loaded: Iterable[LoadedPost]) -> None:
        """Put fresh risk vectors (the worker, after its commit).

        Plain publishes to the bucket's subjects (its stream stores them, as `KeyValue.put` would) and one flush,
        not one acknowledged put per post: waiting on a JetStream ack per key cost the worker ~0.12 ms of CPU a
        post, a third of all it does. The flush confirms the server has every put; a put lost after that is a
        key the copies miss and read from the database, as after a key's expiry."""
        pre = KV_SUBJECT.format(bucket=self.cfg.risk_bucket)
        items = [(pre + kv_key("post", lp.risk.post_id), encode_post(lp)) for lp in loaded if lp.risk.post_id]

        async def put() -> None:
            assert self._nc is not None
            for subject, value in items:
                await self._nc.publish(subject, value)
            await self._nc.flush()

        self._submit(put)

    def invalidate(self, change: Change) -> None:
        """Delete the keys a commit made stale (visibility changes, campaigns, profiles), in every copy."""
        posts = [kv_key("post", p) for p in change.posts]
        others = [kv_key("campaign", c) for c in change.campaigns] + [
            kv_key("profile", p) for p in change.profiles
        ]

        async def delete() -> None:
            assert self._risk is not None and self._profiles is not None
            await asyncio.gather(
                *(self._risk.delete(k) for k in posts), *(self._profiles.delete(k) for k in others)
            )

        self._submit(delete)

    async def _shutdown(self) -> None:
        me = asyncio.current_task()
        tasks = [t for t in asyncio.all_tasks() if t is not me]
        for t in tasks:
            t.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        if self._nc is not None and not self._nc.is_closed:
            await self._nc.close()

    def close(self) -> None:
        """Stop watching, close the connection, stop the loop (no task left pending)."""
        if not self._loop.is_running():
            return
        with contextlib.suppress(Exception):
            asyncio.run_coroutine_threadsafe(self._shutdown(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)
        if not self._loop.is_running():
            self._loop.close()


class WorkerHook:
    """For `townsquare worker`: after each batch, put the assessed posts' risk vectors in the KV bucket."""

    def __init__(self, cfg: StreamConfig, database: Database) -> None:
        self.feed = KvFeed(cfg, None)
        self.database = database

    def __call__(self, ids: list[str]) -> None:
        with self.database.read_session() as s:
            loaded = load_posts(s, ids)
        self.feed.publish_posts(loaded.values())

    def close(self) -> None:
        self.feed.close()


def worker_hook(cfg: StreamConfig, database: Database) -> WorkerHook:
    return WorkerHook(cfg, database)
