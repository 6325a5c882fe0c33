"""The web layer's ASGI middleware: session cookie in, caller resolved, cookies and error pages out.

For page paths (everything but the API, docs, health checks and static files) it
- reads and verifies the signed session cookie, re-reads the API key row (a revoked key signs the browser out) and
  sets `request.state.web_caller`, which `api.security.allow()` honours, so pages use the API's own role checks;
- picks the language and remembers a `?lang=` choice in a cookie;
- writes the session cookie back (HttpOnly, SameSite=Lax, Secure when configured) when it changed;
- turns the app's problem+json errors into HTML pages for browsers, and a 401 on a GET into a redirect to /login.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import MutableHeaders
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from townsquare.access import keys
from townsquare.access.keys import KeyInfo
from townsquare.storage.db import Database
from townsquare.web.i18n import negotiate
from townsquare.web.session import (
    COOKIE_NAME,
    LANG_COOKIE,
    MAX_AGE_SECONDS,
    WebSession,
    derive_key,
    sign,
    unsign,
)

NOT_WEB = ("/api/", "/docs", "/openapi.json", "/static/", "/healthz", "/readyz")
SECURITY_HEADERS = {
    "content-security-policy": "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
    "x-frame-options": "DENY",
}


def is_web_path(path: str) -> bool:
    return not path.startswith(NOT_WEB)


def resolve_caller(db: Database, key_id: int) -> KeyInfo | None:
    """The caller behind a session's key id, or None when the key is gone or revoked."""
    with db.session() as session:
        return keys.by_id(session, key_id)


class WebMiddleware:
    def __init__(self, app: ASGIApp, *, secret: str, secure: bool) -> None:
        self.app = app
        self.key = derive_key(secret)
        self.secure = secure

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not is_web_path(scope["path"]):
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        raw = request.cookies.get(COOKIE_NAME)
        data = unsign(raw, self.key) if raw else None
        sess = WebSession(data or {})
        if raw and data is None:
            sess.sign_out()  # forged or expired: drop it
        caller: KeyInfo | None = None
        if sess.key_id is not None:
            caller = await run_in_threadpool(resolve_caller, scope["app"].state.database, sess.key_id)
            if caller is None:
                sess.sign_out()
        query_lang = request.query_params.get("lang")
        lang = negotiate(query_lang, request.cookies.get(LANG_COOKIE), request.headers.get("accept-language"))
        state = scope.setdefault("state", {})
        state["web_session"] = sess
        state["lang"] = lang
        if caller is not None:
            state["web_caller"] = caller
        wants_html = "text/html" in request.headers.get("accept", "")
        await self.app(
            scope, receive, self._sender(send, request, sess, lang, query_lang == lang, wants_html)
        )

    def _cookie_headers(self, sess: WebSession, lang: str, set_lang: bool) -> list[tuple[bytes, bytes]]:
        out: list[tuple[bytes, bytes]] = []
        secure = "; Secure" if self.secure else ""
        if sess.modified:
            if sess.cleared and not sess.data:
                value = f"{COOKIE_NAME}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax{secure}"
            else:
                token = sign(sess.data, self.key)
                value = f"{COOKIE_NAME}={token}; Path=/; Max-Age={MAX_AGE_SECONDS}; HttpOnly; SameSite=Lax{secure}"
            out.append((b"set-cookie", value.encode("latin-1")))
        if set_lang:
            value = f"{LANG_COOKIE}={lang}; Path=/; Max-Age=31536000; SameSite=Lax{secure}"
            out.append((b"set-cookie", value.encode("latin-1")))
        return out

    def _sender(
        self, send: Send, request: Request, sess: WebSession, lang: str, set_lang: bool, wants_html: bool
    ) -> Send:
        held: dict[str, Any] = {}
        body = bytearray()

        async def sender(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                ctype = headers.get("content-type", "")
                if wants_html and message["status"] >= 400 and "json" in ctype:
                    held["start"] = message  # replaced by an HTML page once the body is complete
                    return
                await send(self._decorate(message, sess, lang, set_lang))
                return
            if message["type"] == "http.response.body" and "start" in held:
                body.extend(message.get("body", b""))
                if message.get("more_body"):
                    return
                await self._send_page(
                    send, request, held["start"]["status"], bytes(body), sess, lang, set_lang
                )
                return
            await send(message)

        return sender

    def _decorate(self, message: Message, sess: WebSession, lang: str, set_lang: bool) -> Message:
        headers = MutableHeaders(scope=message)
        for name, value in SECURITY_HEADERS.items():
            if name not in headers:
                headers[name] = value
        if "text/html" in headers.get("content-type", ""):
            headers["cache-control"] = "no-store"
        for name_b, value_b in self._cookie_headers(sess, lang, set_lang):
            headers.append(name_b.decode(), value_b.decode("latin-1"))
        return message

    async def _send_page(
        self,
        send: Send,
        request: Request,
        status: int,
        raw: bytes,
        sess: WebSession,
        lang: str,
        set_lang: bool,
    ) -> None:
        from townsquare.web.errors import error_page

        try:
            problem = json.loads(raw or b"{}")
        except ValueError:
            problem = {}
        if status == 401 and request.method in ("GET", "HEAD"):
            target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            start: Message = {
                "type": "http.response.start",
                "status": 303,
                "headers": [(b"location", f"/login?next={quote(target, safe='')}".encode("latin-1"))],
            }
            await send(self._decorate(start, sess, lang, set_lang))
            await send({"type": "http.response.body", "body": b""})
            return
        response = error_page(request, status, problem if isinstance(problem, dict) else {})
        start = {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (k.encode("latin-1"), v.encode("latin-1"))
                for k, v in response.headers.items()
                if k.lower() != "set-cookie"
            ],
        }
        await send(self._decorate(start, sess, lang, set_lang))
        await send({"type": "http.response.body", "body": response.body})
