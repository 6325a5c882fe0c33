"""Run a coroutine to completion from synchronous code, whether or not this thread already runs an event loop.

`asyncio.run` refuses to start inside a thread whose loop is running — as in a process that embeds townsquare in
an async host, or a test session where a browser driver keeps a loop open in the main thread. The worker command
and the tests go through here, so they behave the same in both cases: a fresh loop, in a fresh thread when needed.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Coroutine
from typing import Any, TypeVar

T = TypeVar("T")


def run_blocking(coro: Coroutine[Any, Any, T]) -> T:
    """`asyncio.run(coro)`, moved to a helper thread when this thread's loop is already running."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coro)
    box: dict[str, Any] = {}

    def target() -> None:
        try:
            box["value"] = asyncio.run(coro)
        except BaseException as exc:  # re-raised in the caller's thread
            box["error"] = exc

    thread = threading.Thread(target=target, name="townsquare-run-blocking")
    thread.start()
    thread.join()
    if "error" in box:
        raise box["error"]
    return box["value"]  # type: ignore[no-any-return]
