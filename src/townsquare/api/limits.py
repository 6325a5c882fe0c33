"""Refuse bodies over the configured limit with 413, before the app reads them.

A declared `Content-Length` over the limit is refused at once. A body without one (chunked transfer) is read up to
the limit before the app runs, so an oversize chunked body is a clean 413 too, never a parser's 400 or a half-read
request.
"""

from __future__ import annotations

import json
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send


class BodyTooLarge(Exception):
    pass


class BodySizeLimit:
    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared: int | None = None
        for name, value in scope.get("headers", []):
            if name == b"content-length" and value.isdigit():
                declared = int(value)
        if declared is not None:
            if declared > self.max_bytes:
                await self._reject(send)
                return
            await self.app(scope, receive, send)
            return
        if scope["method"] in ("GET", "HEAD", "OPTIONS", "DELETE"):
            await self.app(scope, receive, send)
            return
        chunks: list[bytes] = []
        seen = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                await self.app(scope, replay([message], receive), send)
                return
            chunk = message.get("body", b"")
            seen += len(chunk)
            if seen > self.max_bytes:
                await self._reject(send)
                return
            chunks.append(chunk)
            if not message.get("more_body"):
                break
        body = {"type": "http.request", "body": b"".join(chunks), "more_body": False}
        await self.app(scope, replay([body], receive), send)

    async def _reject(self, send: Send) -> None:
        await send_problem(
            send,
            413,
            "Content too large",
            f"request body exceeds {self.max_bytes} bytes",
            headers=[(b"connection", b"close")],
        )


async def send_problem(
    send: Send,
    status: int,
    title: str,
    detail: str,
    *,
    headers: list[tuple[bytes, bytes]] | None = None,
    **extra: Any,
) -> None:
    """An RFC 9457 problem+json answer written straight to ASGI: the middlewares refuse before any route (and
    before FastAPI's exception handlers) runs, yet must answer in the same shape. `extra` members follow
    `detail` in the body; `headers` follow content-type and content-length."""
    body = json.dumps(
        {"type": "about:blank", "title": title, "status": status, "detail": detail, **extra}
    ).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/problem+json"),
                (b"content-length", str(len(body)).encode()),
                *(headers or []),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


async def read_body(receive: Receive) -> list[Message]:
    """The request's messages up to the end of its body, or up to the first other one (a disconnect): all of them
    go back to the app through `replay`."""
    read: list[Message] = []
    while True:
        message = await receive()
        read.append(message)
        if message["type"] != "http.request" or not message.get("more_body"):
            return read


def body_of(read: list[Message]) -> bytes | None:
    """The body `read_body` read, or None when the request ended otherwise (a disconnect) before it was whole."""
    if read[-1]["type"] != "http.request":
        return None
    return b"".join(m.get("body", b"") for m in read)


def replay(messages: list[Message], receive: Receive) -> Receive:
    """A `receive` that first hands back the messages a middleware already read, then the real ones."""
    pending = list(messages)

    async def replay() -> Message:
        if pending:
            return pending.pop(0)
        return await receive()

    return replay


class ConcurrencyLimit:
    """Shed load instead of queueing without end: past `max_requests` requests in flight in this process, answer
    503 problem+json with `Retry-After` at once (health checks and metrics are never shed).

    Why here and not uvicorn's `--limit-concurrency`: that 503 has no `Retry-After` and no problem body, so clients
    cannot tell "come back in a second" from a crash. Nothing is read or stored for a shed request."""

    EXEMPT = ("/healthz", "/readyz", "/metrics")

    def __init__(self, app: ASGIApp, max_requests: int) -> None:
        self.app = app
        self.max_requests = max_requests
        self.in_flight = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or self.max_requests <= 0 or scope["path"].startswith(self.EXEMPT):
            await self.app(scope, receive, send)
            return
        if self.in_flight >= self.max_requests:
            await send_problem(
                send,
                503,
                "Service unavailable",
                "the server is at capacity; nothing was stored; retry shortly",
                headers=[(b"retry-after", b"1")],
            )
            return
        self.in_flight += 1
        try:
            await self.app(scope, receive, send)
        finally:
            self.in_flight -= 1
