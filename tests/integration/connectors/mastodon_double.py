"""A local HTTP double of the Mastodon admin API: exactly the documented endpoints the connector calls.

POST /api/v1/admin/accounts/:id/action  (form: type in none|sensitive|disable|silence|suspend, report_id, text,
     send_email_notification) -> 200 {} ; unknown account -> 404 {"error": "Record not found"}
POST /api/v1/admin/accounts/:id/{enable,unsilence,unsensitive,unsuspend} -> 200 Admin::Account
POST /api/v1/admin/reports/:id/resolve -> 200 Admin::Report
GET  /api/v1/instance, GET /api/v1/accounts/verify_credentials (the `connect mastodon` check)
Every request needs `Authorization: Bearer <token>` (401 {"error": "The access token is invalid"} otherwise).
`fail_next` answers that many requests with 503 first (an outage), to exercise the outbox's retries.
"""

from __future__ import annotations

import json
import re
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "mastodon"
ACTION_TYPES = {"none", "sensitive", "disable", "silence", "suspend"}
UNDO = {"enable", "unsilence", "unsensitive", "unsuspend"}


@dataclass
class Call:
    method: str
    path: str
    form: dict[str, str]
    auth: str


@dataclass
class MastodonDouble:
    token: str
    accounts: set[str] = field(default_factory=set)
    reports: set[str] = field(default_factory=set)
    calls: list[Call] = field(default_factory=list)
    fail_next: int = 0
    url: str = ""

    def admin_calls(self) -> list[Call]:
        return [c for c in self.calls if c.path.startswith("/api/v1/admin/")]


def _fixture(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((FIXTURES / name).read_text(encoding="utf-8"))
    return data


def _handler(state: MastodonDouble) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def _send(self, status: int, body: Any) -> None:
            raw = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(raw)))
            self.end_headers()
            self.wfile.write(raw)

        def _form(self) -> dict[str, str]:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length).decode() if length else ""
            if "json" in (self.headers.get("Content-Type") or ""):
                return {k: str(v) for k, v in (json.loads(raw or "{}")).items()}
            return {k: v[-1] for k, v in parse_qs(raw).items()}

        def _route(self, method: str) -> None:
            form = self._form() if method == "POST" else {}
            path = self.path.split("?", 1)[0].rstrip("/") or "/"
            state.calls.append(Call(method, path, form, self.headers.get("Authorization", "")))
            if state.fail_next > 0:
                state.fail_next -= 1
                return self._send(503, {"error": "Service Unavailable"})
            if self.headers.get("Authorization") != f"Bearer {state.token}":
                return self._send(401, {"error": "The access token is invalid"})
            if method == "GET" and path == "/api/v1/instance":
                return self._send(200, {"uri": "town.example", "title": "Town", "version": "4.3.0"})
            if method == "GET" and path == "/api/v1/accounts/verify_credentials":
                return self._send(200, _fixture("admin_account.json")["account"])
            m = re.fullmatch(r"/api/v1/admin/accounts/([^/]+)/(\w+)", path)
            if method == "POST" and m:
                account, verb = m.groups()
                if account not in state.accounts:
                    return self._send(404, {"error": "Record not found"})
                if verb == "action":
                    if form.get("type") not in ACTION_TYPES:
                        return self._send(
                            422, {"error": "Validation failed: Type is not included in the list"}
                        )
                    return self._send(200, {})
                if verb in UNDO:
                    return self._send(200, dict(_fixture("admin_account.json"), id=account))
            m = re.fullmatch(r"/api/v1/admin/reports/([^/]+)/resolve", path)
            if method == "POST" and m:
                if m.group(1) not in state.reports:
                    return self._send(404, {"error": "Record not found"})
                return self._send(200, dict(_fixture("admin_report_resolved.json"), id=m.group(1)))
            return self._send(404, {"error": "Not found"})

        def do_GET(self) -> None:
            self._route("GET")

        def do_POST(self) -> None:
            self._route("POST")

    return Handler


class running:
    """Context manager: serve a MastodonDouble on 127.0.0.1 (free port) in a thread."""

    def __init__(self, state: MastodonDouble) -> None:
        self.state = state
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))

    def __enter__(self) -> MastodonDouble:
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.state.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        return self.state

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
