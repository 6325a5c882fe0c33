"""Structured JSON logs, one object per line, each carrying the request id of the request it belongs to.

The request id comes from the caller's `X-Request-ID` (when it is a sane token) or is generated, is echoed on the
response, and sits in a context variable so any log line written while serving that request carries it — domain
code keeps using plain `logging`. Secrets never go into log lines: no headers, no bodies, only method, route
template, status and duration.
"""

from __future__ import annotations

import contextvars
import json
import logging
import re
import sys
import time
import uuid
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from townsquare.observability import metrics

REQUEST_ID: contextvars.ContextVar[str | None] = contextvars.ContextVar("townsquare_request_id", default=None)
_SAFE_ID = re.compile(r"^[A-Za-z0-9._:-]{1,100}$")
_STD = set(vars(logging.makeLogRecord({})).keys()) | {"message", "asctime"}
access_log = logging.getLogger("townsquare.access")


class JsonFormatter(logging.Formatter):
    """One JSON object per record. Every request writes one (the access line), so the per-second part of the
    timestamp is formatted once a second, not once a line."""

    _second: tuple[int, str] = (-1, "")

    def _ts(self, created: float, msecs: float) -> str:
        sec = int(created)
        cached = self._second
        if cached[0] != sec:
            cached = self._second = (sec, time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(sec)))
        return f"{cached[1]}.{int(msecs):03d}Z"

    def format(self, record: logging.LogRecord) -> str:
        out: dict[str, Any] = {
            "ts": self._ts(record.created, record.msecs),
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": record.getMessage(),
        }
        rid = getattr(record, "request_id", None) or REQUEST_ID.get()
        if rid:
            out["request_id"] = rid
        for key, value in vars(record).items():
            if key not in _STD and key not in out and key[0] != "_":
                out[key] = value if isinstance(value, (str, int, float, bool, type(None))) else repr(value)
        if record.exc_info:
            out["exc"] = self.formatException(record.exc_info)
        return json.dumps(out, ensure_ascii=False)


_configured = False


def configure(level: int = logging.INFO) -> None:
    """JSON lines on stderr for the townsquare loggers (idempotent; leaves other handlers alone)."""
    global _configured
    if _configured:
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger("townsquare")
    root.addHandler(handler)
    root.setLevel(level)
    root.propagate = True
    _configured = True


def _route_of(scope: Scope) -> str:
    route = scope.get("route")
    path = getattr(route, "path", None)
    return str(path) if path else "unmatched"  # templates only: bounded label values


class RequestContext:
    """Pure ASGI middleware: request id in and out, an access log line and the HTTP metrics per request."""

    def __init__(self, app: ASGIApp, json_logs: bool = False, access_log_enabled: bool = True) -> None:
        self.app = app
        self.access = access_log_enabled
        if json_logs:  # the served app (not test apps): townsquare loggers write JSON lines
            configure()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        rid = None
        for name, value in scope.get("headers", []):
            if name == b"x-request-id":
                candidate = value.decode("latin-1")
                rid = candidate if _SAFE_ID.match(candidate) else None
                break
        rid = rid or uuid.uuid4().hex
        token = REQUEST_ID.set(rid)
        status = 500
        started = time.perf_counter()

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
                message.setdefault("headers", [])
                message["headers"] = [*message["headers"], (b"x-request-id", rid.encode("latin-1"))]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            elapsed = time.perf_counter() - started
            route, method = _route_of(scope), scope.get("method", "")
            metrics.HTTP_REQUESTS.labels(method, route, str(status)).inc()
            metrics.HTTP_LATENCY.labels(method, route).observe(elapsed)
            if status >= 500:
                metrics.ERRORS.labels("http", str(status)).inc()
            if self.access and access_log.isEnabledFor(logging.INFO):
                # built and handled directly: `info()` would walk the stack for a caller no access line shows
                access_log.handle(
                    access_log.makeRecord(
                        access_log.name,
                        logging.INFO,
                        __file__,
                        0,
                        "%s %s %s",
                        (method, route, status),
                        None,
                        extra={"status": status, "duration_ms": round(elapsed * 1000, 3), "route": route},
                    )
                )
            REQUEST_ID.reset(token)
