"""Signed session cookie for the web consoles.

The cookie holds only what the server needs to find the caller again: the API key's id, a CSRF token and the
time of sign-in. It is signed (HMAC-SHA256 with a key derived from the settings secret) but not encrypted, so it
never carries the raw API key. Every request re-reads the key row, so revoking a key ends its web sessions at once.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import time
from dataclasses import dataclass, field
from typing import Any

COOKIE_NAME = "ts_session"
LANG_COOKIE = "ts_lang"
MAX_AGE_SECONDS = 12 * 3600
_PURPOSE = b"townsquare.web.session.v1"


def derive_key(secret: str) -> bytes:
    """A key for this purpose only, so a leaked session signature says nothing about webhook signatures."""
    return hmac.new(secret.encode("utf-8"), _PURPOSE, hashlib.sha256).digest()


def _b64e(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _b64d(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def sign(data: dict[str, Any], key: bytes) -> str:
    payload = _b64e(json.dumps(data, separators=(",", ":"), sort_keys=True).encode("utf-8"))
    mac = hmac.new(key, payload.encode("ascii"), hashlib.sha256).digest()
    return f"{payload}.{_b64e(mac)}"


def unsign(value: str, key: bytes) -> dict[str, Any] | None:
    """The data behind a cookie value, or None when it is malformed, forged or expired."""
    try:
        payload, mac = value.rsplit(".", 1)
        expected = hmac.new(key, payload.encode("ascii"), hashlib.sha256).digest()
        if not hmac.compare_digest(expected, _b64d(mac)):
            return None
        data = json.loads(_b64d(payload))
    except (ValueError, UnicodeError):
        return None
    if not isinstance(data, dict):
        return None
    issued = data.get("iat")
    if not isinstance(issued, int | float) or time.time() - issued > MAX_AGE_SECONDS:
        return None
    return data


@dataclass
class WebSession:
    """The mutable session of one request; the middleware writes it back when `modified`."""

    data: dict[str, Any] = field(default_factory=dict)
    modified: bool = False
    cleared: bool = False

    @property
    def key_id(self) -> int | None:
        kid = self.data.get("kid")
        return kid if isinstance(kid, int) else None

    def csrf_token(self) -> str:
        """The synchroniser token, created on first use (the login form needs one before sign-in)."""
        token = self.data.get("csrf")
        if not isinstance(token, str) or len(token) < 20:
            token = secrets.token_urlsafe(32)
            self.data["csrf"] = token
            self.data.setdefault("iat", int(time.time()))
            self.modified = True
        return token

    def sign_in(self, key_id: int) -> None:
        """A fresh session (new CSRF token) on sign-in, so a token planted before sign-in is worthless."""
        self.data = {"kid": key_id, "csrf": secrets.token_urlsafe(32), "iat": int(time.time())}
        self.modified = True
        self.cleared = False

    def sign_out(self) -> None:
        self.data = {}
        self.modified = True
        self.cleared = True

    def flash(self, message: str, kind: str = "ok") -> None:
        """A one-shot message shown on the next page (after a POST-redirect-GET)."""
        self.data.setdefault("iat", int(time.time()))
        self.data["flash"] = [kind, message]
        self.modified = True

    def pop_flash(self) -> tuple[str, str] | None:
        value = self.data.pop("flash", None)
        if isinstance(value, list) and len(value) == 2:
            self.modified = True
            return str(value[0]), str(value[1])
        return None
