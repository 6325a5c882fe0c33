"""Stream and consumer set-up and the few JetStream calls townsquare makes (async, nats-py).

The stream uses work-queue retention: a message is deleted once a worker acks it, so the stream's message count
*is* the backlog. Its hard limit refuses new messages (discard=new) rather than dropping old ones: nothing
accepted is ever dropped by the broker; the API turns a full stream into 503 + Retry-After before that.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from dataclasses import dataclass

import nats
from nats.aio.client import Client
from nats.js import JetStreamContext
from nats.js.api import (
    AckPolicy,
    ConsumerConfig,
    DeliverPolicy,
    DiscardPolicy,
    RetentionPolicy,
    StorageType,
)
from nats.js.api import (
    StreamConfig as JsStreamConfig,
)
from nats.js.errors import NotFoundError

from townsquare.stream.config import StreamConfig


@dataclass(frozen=True)
class Lag:
    """What is waiting: `pending` not yet delivered, `in_flight` delivered but not acked, `backlog` the sum."""

    pending: int
    in_flight: int
    redelivered: int

    @property
    def backlog(self) -> int:
        return self.pending + self.in_flight


async def connect(cfg: StreamConfig, *, name: str = "townsquare") -> tuple[Client, JetStreamContext]:
    nc = await nats.connect(cfg.url, name=name, connect_timeout=3, max_reconnect_attempts=-1)
    return nc, nc.jetstream()


async def ensure_stream(js: JetStreamContext, cfg: StreamConfig) -> None:
    """Create the stream (idempotent); limits are re-applied when it exists."""
    conf = JsStreamConfig(
        name=cfg.stream,
        subjects=[cfg.subject],
        retention=RetentionPolicy.WORK_QUEUE,
        storage=StorageType.FILE,
        discard=DiscardPolicy.NEW,
        max_msgs=cfg.hard_limit,
        max_msg_size=4096,
    )
    try:
        await js.stream_info(cfg.stream)
    except NotFoundError:
        await js.add_stream(conf)
        return
    await js.update_stream(conf)


def consumer_config(cfg: StreamConfig) -> ConsumerConfig:
    return ConsumerConfig(
        durable_name=cfg.durable,
        ack_policy=AckPolicy.EXPLICIT,
        deliver_policy=DeliverPolicy.ALL,
        ack_wait=cfg.ack_wait,
        max_deliver=-1,
        max_ack_pending=max(cfg.batch_size * 8, 1000),
    )


async def ensure_consumer(js: JetStreamContext, cfg: StreamConfig) -> None:
    try:
        await js.consumer_info(cfg.stream, cfg.durable)
    except NotFoundError:
        await js.add_consumer(cfg.stream, consumer_config(cfg))


async def setup(js: JetStreamContext, cfg: StreamConfig) -> None:
    await ensure_stream(js, cfg)
    await ensure_consumer(js, cfg)


def encode(post_id: str) -> bytes:
    return json.dumps({"id": post_id}).encode("utf-8")


def decode(data: bytes) -> str | None:
    """The post id of a message, None for a malformed one (acked and counted, never retried forever)."""
    try:
        value = json.loads(data)
    except ValueError:
        return None
    pid = value.get("id") if isinstance(value, dict) else None
    return pid if isinstance(pid, str) and pid else None


async def publish_ids(
    js: JetStreamContext, cfg: StreamConfig, ids: list[str], *, timeout: float = 5.0
) -> None:
    """Publish one message per post and wait for every JetStream ack (the post is then durable in the stream)."""
    futures = [await js.publish_async(cfg.subject, encode(pid), stream=cfg.stream) for pid in ids]
    for fut in futures:
        await asyncio.wait_for(fut, timeout)


async def lag(js: JetStreamContext, cfg: StreamConfig) -> Lag:
    info = await js.consumer_info(cfg.stream, cfg.durable)
    return Lag(
        pending=int(info.num_pending or 0),
        in_flight=int(info.num_ack_pending or 0),
        redelivered=int(info.num_redelivered or 0),
    )


async def delete_all(js: JetStreamContext, cfg: StreamConfig) -> None:
    """Remove the stream and KV buckets of a prefix (tests, `worker --reset`)."""
    for coro in (
        js.delete_stream(cfg.stream),
        js.delete_key_value(cfg.risk_bucket),
        js.delete_key_value(cfg.profile_bucket),
    ):
        with contextlib.suppress(NotFoundError):
            await coro
