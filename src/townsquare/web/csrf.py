"""CSRF protection for every state-changing web request (synchroniser token pattern).

The token lives in the signed session cookie and is echoed by each form as a hidden `csrf_token` field (or by
scripts in the `X-CSRF-Token` header). The check is a router-level dependency of the whole web router, so a new
POST route cannot forget it. As a second line, a request whose Origin header names another site is refused even
with a valid token. The session cookie is also SameSite=Lax, so other sites' POSTs arrive without it.
"""

from __future__ import annotations

import hmac
from urllib.parse import urlsplit

from fastapi import HTTPException, Request

from townsquare.web.session import WebSession

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
FIELD = "csrf_token"
HEADER = "x-csrf-token"


def web_session(request: Request) -> WebSession:
    """The session the middleware attached (a blank one if the middleware did not run, e.g. in a unit test)."""
    sess = getattr(request.state, "web_session", None)
    if not isinstance(sess, WebSession):
        sess = WebSession()
        request.state.web_session = sess
    return sess


def _same_origin(request: Request) -> bool:
    origin = request.headers.get("origin")
    if not origin or origin == "null":
        return origin != "null"
    host = request.headers.get("host", "")
    return urlsplit(origin).netloc == host


async def csrf_protect(request: Request) -> None:
    """Refuse (403) an unsafe request without the session's token; a no-op for GET/HEAD/OPTIONS."""
    if request.method in SAFE_METHODS:
        return
    if not _same_origin(request):
        raise HTTPException(403, "cross-site request refused")
    expected = web_session(request).data.get("csrf")
    submitted = request.headers.get(HEADER)
    if submitted is None:
        content_type = request.headers.get("content-type", "")
        if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
            form = await request.form()
            value = form.get(FIELD)
            submitted = value if isinstance(value, str) else None
    if not isinstance(expected, str) or not submitted or not hmac.compare_digest(expected, submitted):
        raise HTTPException(403, "missing or invalid CSRF token; reload the page and try again")
