"""Real NATS JetStream for the stream tests: a unique stream/consumer/KV prefix per test, deleted afterwards.

Skipped with a reason only when no NATS server answers and CI is unset; under CI=true a missing server fails.
"""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import Iterator
from urllib.parse import urlparse

import pytest

from townsquare.stream.blocking import run_blocking

NATS_URL = os.environ.get("TOWNSQUARE_TEST_NATS", "nats://127.0.0.1:4222")
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def _nats_reason() -> str | None:
    u = urlparse(NATS_URL)
    try:
        with socket.create_connection((u.hostname or "127.0.0.1", u.port or 4222), timeout=2):
            return None
    except OSError as exc:
        return f"no NATS server at {NATS_URL} ({type(exc).__name__})"


@pytest.fixture(scope="session")
def nats_url() -> str:
    reason = _nats_reason()
    if reason:
        if IN_CI:
            pytest.fail(f"CI=true but NATS JetStream is not available: {reason}")
        pytest.skip(reason)
    return NATS_URL


@pytest.fixture
def stream_prefix(nats_url: str) -> Iterator[str]:
    from townsquare.stream import jetstream
    from townsquare.stream.config import StreamConfig

    prefix = f"ts_h15_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    yield prefix

    async def cleanup() -> None:
        nc, js = await jetstream.connect(StreamConfig(nats_url, prefix))
        await jetstream.delete_all(js, StreamConfig(nats_url, prefix))
        await nc.close()

    run_blocking(cleanup())
