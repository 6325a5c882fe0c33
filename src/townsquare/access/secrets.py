"""How strong a secret is, how to make one, and how to show a URL without its credentials.

Why: with a weak `TOWNSQUARE_SECRET_KEY` anything the server signs can be forged, and anything it hands out can be
used to brute-force the key offline. Outside dev mode the server therefore refuses to start unless the secret
carries at least 32 bytes (256 bits) of entropy and is not a known placeholder. The estimate is deliberately
conservative: the length times the bits per character of the smallest alphabet the secret fits in (hex, base64url,
printable ASCII), capped by a repeated-character check, so `openssl rand -hex 32` (64 hex digits) and
`townsquare keys secret` pass and `password123...` does not.
"""

from __future__ import annotations

import math
import secrets
import string
import zlib
from urllib.parse import SplitResult, parse_qsl, urlencode, urlsplit, urlunsplit

MIN_ENTROPY_BITS = 256
PLACEHOLDERS = frozenset(
    {
        "change-me-dev-secret",
        "changeme",
        "change-me",
        "change_me",
        "secret",
        "secret-key",
        "your-secret-key",
        "placeholder",
        "example",
        "test",
        "dev",
    }
)
PLACEHOLDER_WORDS = (
    "change-me",
    "changeme",
    "change_me",
    "placeholder",
    "example",
    "your-secret",
    "not-default",
)
HOW_TO = "make one with `townsquare keys secret` or `openssl rand -hex 32`"
SECRET_QUERY_KEYS = frozenset(
    {"password", "pass", "pwd", "token", "secret", "key", "api_key", "apikey", "sig"}
)

_HEX = frozenset(string.hexdigits)
_B64URL = frozenset(string.ascii_letters + string.digits + "-_=")
_B64 = frozenset(string.ascii_letters + string.digits + "+/=")


def make_secret() -> str:
    """64 hex digits: 256 bits from the OS's cryptographic random source."""
    return secrets.token_hex(32)


def entropy_bits(secret: str) -> float:
    """A conservative estimate of the bits of entropy in a secret string."""
    if not secret:
        return 0.0
    chars = set(secret)
    if chars <= _HEX:
        per_char = 4.0
    elif chars <= _B64URL or chars <= _B64:
        per_char = 6.0
    elif all(32 <= ord(c) < 127 for c in chars):
        per_char = math.log2(95)
    else:
        per_char = 8.0
    # A secret made of few distinct characters is not random, whatever its alphabet.
    per_char = min(per_char, math.log2(max(len(chars), 1)) * 1.5)
    # Nor is one that compresses well (a repeated pattern): cap by what zlib could not squeeze out.
    squeezed = (len(zlib.compress(secret.encode("utf-8"), 9)) - 8) * 8
    return max(0.0, min(len(secret) * per_char, float(squeezed)))


def weakness(secret: str) -> str | None:
    """Why this secret is refused outside dev mode, or None when it is strong enough."""
    lowered = secret.strip().lower()
    if not lowered:
        return "TOWNSQUARE_SECRET_KEY is empty"
    if lowered in PLACEHOLDERS or any(word in lowered for word in PLACEHOLDER_WORDS):
        return "TOWNSQUARE_SECRET_KEY is a known placeholder"
    bits = entropy_bits(secret)
    if bits < MIN_ENTROPY_BITS:
        return f"TOWNSQUARE_SECRET_KEY carries about {bits:.0f} bits of entropy; at least {MIN_ENTROPY_BITS} are needed"
    return None


def mask_url(url: str) -> str:
    """A URL fit to show: the password (or a lone token user part) and secret-looking query values replaced."""
    if not url or "://" not in url:
        return url
    try:
        parts = urlsplit(url)
        netloc = parts.netloc
        if "@" in netloc:
            userinfo, host = netloc.rsplit("@", 1)
            user, sep, _password = userinfo.partition(":")
            netloc = f"{user}:***@{host}" if sep else f"***@{host}"
        query = parts.query
        if query:
            pairs = [(k, "***" if k.lower() in SECRET_QUERY_KEYS else v) for k, v in parse_qsl(query, True)]
            query = urlencode(pairs, safe="*")
        if not netloc:  # urlunsplit would turn sqlite:///./x into sqlite:/./x, which is another URL
            tail = (f"?{query}" if query else "") + (f"#{parts.fragment}" if parts.fragment else "")
            return f"{parts.scheme}://{parts.path}{tail}"
        return urlunsplit(SplitResult(parts.scheme, netloc, parts.path, query, parts.fragment))
    except ValueError:
        return "***"
