"""A platform's webhook endpoint on 127.0.0.1 (real HTTP) for the moderation and notices suites.

It records every delivery and answers the scripted `statuses` in turn (200 once they run out), so a suite can
test signed bodies, retries and give-up against a real socket instead of a mock. `receiving` points the app's
webhook settings at it for one test.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from townsquare.settings import get_settings


class Receiver:
    """Records each POST (headers, raw body) in `received`; answers `statuses.pop(0)`, or 200."""

    def __init__(self) -> None:
        self.statuses: list[int] = []
        self.received: list[dict[str, Any]] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                receiver.received.append({"headers": dict(self.headers), "body": body})
                status = receiver.statuses.pop(0) if receiver.statuses else 200
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@contextmanager
def receiving(monkeypatch: pytest.MonkeyPatch, secret: str) -> Iterator[Receiver]:
    """A receiver the app's webhooks go to (signed with `secret`) while the block runs; closed afterwards."""
    r = Receiver()
    monkeypatch.setenv("TOWNSQUARE_WEBHOOK_URL", r.url)
    monkeypatch.setenv("TOWNSQUARE_WEBHOOK_SECRET", secret)
    get_settings.cache_clear()
    try:
        yield r
    finally:
        r.close()
        get_settings.cache_clear()
