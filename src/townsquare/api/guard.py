"""Refuse, before any route runs, input that no database can store faithfully: NUL and lone surrogates.

Why a middleware and not only field types: PostgreSQL refuses NUL in any text column and no driver can encode a lone
UTF-16 surrogate, whichever field or header the value arrives in; SQLite would store NUL silently and diverge from
PostgreSQL. One check at the edge makes every route, including routes added later, answer 422 and change nothing.
The fast path costs one regular-expression scan of the raw body; only a body that contains a suspicious escape is
parsed to look closer (an escaped surrogate *pair* is a valid character and passes).
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import unquote_to_bytes

from starlette.types import ASGIApp, Receive, Scope, Send

from townsquare.api.limits import body_of, read_body, replay, send_problem

_SUSPECT = re.compile(rb"\x00|\\u(?:0000|[dD][89a-fA-F][0-9a-fA-F]{2})")
_BAD_TEXT = re.compile("[\x00\ud800-\udfff]")


def _bad_string(value: str) -> bool:
    return _BAD_TEXT.search(value) is not None


def find_bad(value: Any) -> bool:
    """True when any string (or key) inside a decoded JSON value holds NUL or a lone surrogate."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if _bad_string(item):
                return True
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


def body_is_bad(body: bytes) -> bool:
    if not _SUSPECT.search(body):
        return False
    if b"\x00" in body:
        return True
    try:
        return find_bad(json.loads(body))
    except (ValueError, RecursionError):
        return False  # not JSON: the route's own parser answers it


class InputGuard:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        query = scope.get("query_string", b"")
        if "\x00" in scope["path"] or b"\x00" in unquote_to_bytes(query):
            await reject(send, "the URL contains a NUL character")
            return
        content_type = b""
        for name, value in scope.get("headers", []):
            if name == b"content-type":
                content_type = value
        if b"json" not in content_type or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        read = await read_body(receive)
        body = body_of(read)
        if body is None:
            await self.app(scope, replay(read, receive), send)
            return
        if body_is_bad(body):
            await reject(send, "text contains a NUL character or a lone UTF-16 surrogate (not valid Unicode)")
            return
        await self.app(
            scope, replay([{"type": "http.request", "body": body, "more_body": False}], receive), send
        )


async def reject(send: Send, detail: str, status: int = 422) -> None:
    await send_problem(send, status, "Unprocessable content", detail)
