"""Mastodon's webhook signature: `X-Hub-Signature: sha256=<hex HMAC-SHA256(secret, raw body)>` (WebSub style).

The HMAC covers the exact bytes received, so it is checked before the body is parsed, in constant time.
"""

from __future__ import annotations

import hashlib
import hmac

HEADER = "X-Hub-Signature"


def sign(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


def verify(secret: str, body: bytes, header: str | None) -> bool:
    if not secret or not header:
        return False
    return hmac.compare_digest(sign(secret, body), header.strip())
