"""The web layer's ASGI middleware: session in, caller resolved, cookies and error pages out.

For page paths (everything but the API, docs, health checks and static files) it
- looks the `ts_session` token up server-side (`access.sessions`: revoked, expired, idle or key-revoked sessions
  are anonymous) and sets `request.state.web_caller`, which `api.security.allow()` honours, so pages use the API's
  own role checks; an anonymous visitor's CSRF token and flash come from the unsigned `ts_anon` cookie;
- picks the language and remembers a `?lang=` choice in a cookie;
- stores the session's changes (sign-in creates the server-side record, sign-out ends it) *before* the response
  starts, then writes the cookies (HttpOnly, SameSite=Lax, Secure outside dev mode);
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

from townsquare.access import sessions
from townsquare.access.keys import KeyInfo
from townsquare.storage.db import Database
from townsquare.web.i18n import negotiate
from townsquare.web.session import (
    ANON_COOKIE,
    COOKIE_NAME,
    LANG_COOKIE,
    WebSession,
    decode_anon,
    encode_anon,
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


def load_session(db: Database, token: str, idle_seconds: int) -> sessions.Resolved | None:
    """The live server-side session behind a cookie token (touching its last-seen time), or None."""
    with db.session() as session:
        return sessions.resolve(session, token, idle_seconds=idle_seconds)


def store_session(db: Database, sess: WebSession, lifetime_seconds: int) -> str | None:
    """Persist a request's session changes; returns the new cookie token after a sign-in."""
    with db.session() as session:
        if sess.record_id is not None and (sess.cleared or sess.new_key_id is not None):
            sessions.end(session, sess.record_id)  # sign-out, or a new sign-in replacing the old session
        if sess.new_key_id is not None:
            return sessions.create(
                session, key_id=sess.new_key_id, lifetime_seconds=lifetime_seconds, data=sess.data
            )
        if sess.record_id is not None and not sess.cleared:
            sessions.save_data(session, sess.record_id, sess.data)
    return None


class WebMiddleware:
    def __init__(self, app: ASGIApp, *, secure: bool, lifetime_seconds: int, idle_seconds: int) -> None:
        self.app = app
        self.secure = secure
        self.lifetime = lifetime_seconds
        self.idle = idle_seconds

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not is_web_path(scope["path"]):
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        database: Database = scope["app"].state.database
        raw = request.cookies.get(COOKIE_NAME)
        caller: KeyInfo | None = None
        sess = WebSession(decode_anon(request.cookies.get(ANON_COOKIE, "")))
        had_anon = ANON_COOKIE in request.cookies
        if raw:
            found = await run_in_threadpool(load_session, database, raw, self.idle)
            if found is None:
                sess.sign_out()  # ended, expired or forged: drop the cookie
            else:
                sess = WebSession(found.data, record_id=found.record_id, key_id=found.caller.key_id)
                caller = found.caller
        query_lang = request.query_params.get("lang")
        lang = negotiate(query_lang, request.cookies.get(LANG_COOKIE), request.headers.get("accept-language"))
        state = scope.setdefault("state", {})
        state["web_session"] = sess
        state["lang"] = lang
        if caller is not None:
            state["web_caller"] = caller
        wants_html = "text/html" in request.headers.get("accept", "")
        sender = self._sender(send, request, sess, lang, query_lang == lang, wants_html, had_anon)
        await self.app(scope, receive, sender)

    async def _persist(self, database: Database, sess: WebSession) -> str | None:
        if not sess.modified or (sess.record_id is None and sess.new_key_id is None):
            return None
        return await run_in_threadpool(store_session, database, sess, self.lifetime)

    def _cookie_headers(
        self, sess: WebSession, new_token: str | None, lang: str, set_lang: bool, had_anon: bool
    ) -> list[tuple[bytes, bytes]]:
        out: list[tuple[bytes, bytes]] = []
        secure = "; Secure" if self.secure else ""
        attrs = f"Path=/; HttpOnly; SameSite=Lax{secure}"
        if new_token is not None:
            value = f"{COOKIE_NAME}={new_token}; Max-Age={self.lifetime}; {attrs}"
            out.append((b"set-cookie", value.encode("latin-1")))
        elif sess.cleared:
            out.append((b"set-cookie", f"{COOKIE_NAME}=; Max-Age=0; {attrs}".encode("latin-1")))
        signed_in = new_token is not None or (sess.record_id is not None and not sess.cleared)
        if signed_in:
            if had_anon:
                out.append((b"set-cookie", f"{ANON_COOKIE}=; Max-Age=0; {attrs}".encode("latin-1")))
        elif sess.modified:
            anon = {k: v for k, v in sess.data.items() if k in ("csrf", "flash")}
            if anon:
                value = f"{ANON_COOKIE}={encode_anon(anon)}; Max-Age={self.lifetime}; {attrs}"
            else:
                value = f"{ANON_COOKIE}=; Max-Age=0; {attrs}"
            out.append((b"set-cookie", value.encode("latin-1")))
        if set_lang:
            value = f"{LANG_COOKIE}={lang}; Path=/; Max-Age=31536000; SameSite=Lax{secure}"
            out.append((b"set-cookie", value.encode("latin-1")))
        return out

    def _sender(
        self,
        send: Send,
        request: Request,
        sess: WebSession,
        lang: str,
        set_lang: bool,
        wants_html: bool,
        had_anon: bool,
    ) -> Send:
        held: dict[str, Any] = {}
        body = bytearray()
        cookies: list[tuple[bytes, bytes]] = []

        async def sender(message: Message) -> None:
            if message["type"] == "http.response.start":
                # The session is stored before the first byte leaves: a page that says "signed out" means it.
                new_token = await self._persist(request.app.state.database, sess)
                cookies.extend(self._cookie_headers(sess, new_token, lang, set_lang, had_anon))
                headers = MutableHeaders(scope=message)
                ctype = headers.get("content-type", "")
                if wants_html and message["status"] >= 400 and "json" in ctype:
                    held["start"] = message  # replaced by an HTML page once the body is complete
                    return
                await send(self._decorate(message, cookies))
                return
            if message["type"] == "http.response.body" and "start" in held:
                body.extend(message.get("body", b""))
                if message.get("more_body"):
                    return
                kept = [(k, v) for k, v in held["start"].get("headers", []) if k.lower() == b"retry-after"]
                await self._send_page(send, request, held["start"]["status"], bytes(body), cookies + kept)
                return
            await send(message)

        return sender

    def _decorate(self, message: Message, cookies: list[tuple[bytes, bytes]]) -> Message:
        headers = MutableHeaders(scope=message)
        for name, value in SECURITY_HEADERS.items():
            if name not in headers:
                headers[name] = value
        if "text/html" in headers.get("content-type", ""):
            headers["cache-control"] = "no-store"
        for name_b, value_b in cookies:
            headers.append(name_b.decode(), value_b.decode("latin-1"))
        return message

    async def _send_page(
        self,
        send: Send,
        request: Request,
        status: int,
        raw: bytes,
        cookies: list[tuple[bytes, bytes]],
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
            await send(self._decorate(start, cookies))
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
        await send(self._decorate(start, cookies))
        await send({"type": "http.response.body", "body": response.body})
