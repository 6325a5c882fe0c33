"""run_blocking works with and without a running loop in the calling thread (asyncio.run alone fails the latter)."""

from __future__ import annotations

import asyncio

import pytest

from townsquare.stream.blocking import run_blocking


async def _double(x: int) -> int:
    await asyncio.sleep(0)
    return 2 * x


async def _boom() -> None:
    raise ValueError("boom")


def test_in_a_thread_without_a_running_loop() -> None:
    assert run_blocking(_double(21)) == 42


def test_inside_a_running_loop() -> None:
    async def host() -> int:
        coro = _double(4)
        plain = _double(1)
        with pytest.raises(RuntimeError):
            asyncio.run(plain)  # what the worker command did before
        plain.close()
        return run_blocking(coro)

    assert run_blocking(host()) == 8  # the test itself may run under a loop (browser tests in this worker)


def test_errors_reach_the_caller_inside_a_running_loop() -> None:
    async def host() -> None:
        run_blocking(_boom())

    with pytest.raises(ValueError, match="boom"):
        run_blocking(host())
