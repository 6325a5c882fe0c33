"""The web consoles' session state as one request sees it, and the anonymous cookie.

A signed-in browser holds only an opaque token (`ts_session`); everything else lives server-side in
`access.sessions` (so logout and revocation end a session at once, and nothing signed is handed out). A visitor
who is not signed in gets at most `ts_anon`: a random CSRF token for the login form and a one-shot flash message,
unsigned and worth nothing to an attacker (the CSRF check compares the form's token with this cookie; a site that
cannot set our cookies cannot make them match).
"""

from __future__ import annotations

import base64
import json
import secrets
from dataclasses import dataclass, field
from typing import Any

COOKIE_NAME = "ts_session"
ANON_COOKIE = "ts_anon"
LANG_COOKIE = "ts_lang"
MAX_FLASH = 500


def encode_anon(data: dict[str, Any]) -> str:
    raw = json.dumps(data, separators=(",", ":"), sort_keys=True).encode("utf-8")
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def decode_anon(value: str) -> dict[str, Any]:
    """The anonymous cookie's csrf/flash, or {} when it is malformed (never trusted beyond that)."""
    try:
        data = json.loads(base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)))
    except (ValueError, UnicodeError):
        return {}
    if not isinstance(data, dict):
        return {}
    out: dict[str, Any] = {}
    csrf = data.get("csrf")
    if isinstance(csrf, str) and 20 <= len(csrf) <= 100:
        out["csrf"] = csrf
    flash = data.get("flash")
    if isinstance(flash, list) and len(flash) == 2 and all(isinstance(x, str) for x in flash):
        out["flash"] = [flash[0][:10], flash[1][:MAX_FLASH]]
    return out


@dataclass
class WebSession:
    """The mutable session of one request; the middleware stores it when `modified`.

    `record_id` is the server-side session (None for an anonymous visitor); `sign_in` asks the middleware to
    create one for `new_key_id`, `sign_out` to end the current one."""

    data: dict[str, Any] = field(default_factory=dict)
    modified: bool = False
    cleared: bool = False
    record_id: str | None = None
    key_id: int | None = None
    new_key_id: int | None = None

    def csrf_token(self) -> str:
        """The synchroniser token, created on first use (the login form needs one before sign-in)."""
        token = self.data.get("csrf")
        if not isinstance(token, str) or len(token) < 20:
            token = secrets.token_urlsafe(32)
            self.data["csrf"] = token
            self.modified = True
        return token

    def sign_in(self, key_id: int) -> None:
        """A fresh session (new CSRF token) on sign-in, so a token planted before sign-in is worthless."""
        self.data = {"csrf": secrets.token_urlsafe(32)}
        self.new_key_id = key_id
        self.key_id = key_id
        self.modified = True
        self.cleared = False

    def sign_out(self) -> None:
        self.data = {}
        self.key_id = None
        self.new_key_id = None
        self.modified = True
        self.cleared = True

    def flash(self, message: str, kind: str = "ok") -> None:
        """A one-shot message shown on the next page (after a POST-redirect-GET)."""
        self.data["flash"] = [kind, message[:MAX_FLASH]]
        self.modified = True

    def pop_flash(self) -> tuple[str, str] | None:
        value = self.data.pop("flash", None)
        if isinstance(value, list) and len(value) == 2:
            self.modified = True
            return str(value[0]), str(value[1])
        return None
