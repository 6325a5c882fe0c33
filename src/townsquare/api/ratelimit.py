"""HTTP rate limits with the `limits` library: per client address and per API key, memory or Redis.

Why: without limits 500 wrong keys hit `/login` in 7 s, unknown bearer keys could be tried at line speed, and one
key could flood the report queue or the advertiser demand log. Counters live in the process's memory by default
and in Redis when `TOWNSQUARE_REDIS_URL` is set (then every server process shares them). A refusal is a 429
problem+json with `Retry-After`, answered before the route runs, so it changes nothing.

What is limited (names are the settings `TOWNSQUARE_RATE_LIMIT_<NAME>`):
- `login`: failed web sign-ins per address (`web.routes.auth` counts failures only);
- `auth_failures`: unknown or revoked bearer keys per address (`api.security`); past it, that address is refused
  before any key lookup;
- `reports`: `POST /api/v1/reports` per key and per address;
- `demands`: `POST /api/v1/ads/demands` per key and per address.
"""

from __future__ import annotations

import hashlib
import math
import time
from dataclasses import dataclass
from typing import cast

from limits import RateLimitItem, parse
from limits.storage import MemoryStorage, Storage, storage_from_string
from limits.strategies import MovingWindowRateLimiter
from starlette.types import ASGIApp, Receive, Scope, Send

from townsquare.api.limits import send_problem
from townsquare.settings import Settings

ROUTE_LIMITS: dict[tuple[str, str], str] = {
    ("POST", "/api/v1/reports"): "reports",
    ("POST", "/api/v1/ads/demands"): "demands",
}


class Limited(Exception):
    """Too many requests; `retry_after` in whole seconds."""

    def __init__(self, name: str, retry_after: int) -> None:
        super().__init__(name)
        self.name = name
        self.retry_after = retry_after


@dataclass
class RateLimits:
    """The app's limiter: one storage, one strategy, a parsed limit per name."""

    storage: Storage
    items: dict[str, RateLimitItem]
    enabled: bool = True

    @classmethod
    def from_settings(cls, settings: Settings, *, key_prefix: str = "townsquare-rl") -> RateLimits:
        if settings.redis_url:
            storage: Storage = cast(Storage, storage_from_string(settings.redis_url, key_prefix=key_prefix))
        else:
            storage = MemoryStorage()
        items = {
            "login": parse(settings.rate_limit_login),
            "auth_failures": parse(settings.rate_limit_auth_failures),
            "reports": parse(settings.rate_limit_reports),
            "demands": parse(settings.rate_limit_demands),
        }
        return cls(storage, items, settings.rate_limits_enabled)

    @property
    def limiter(self) -> MovingWindowRateLimiter:
        return MovingWindowRateLimiter(self.storage)

    def _retry_after(self, name: str, *ids: str) -> int:
        stats = self.limiter.get_window_stats(self.items[name], name, *ids)
        return max(1, math.ceil(stats.reset_time - time.time()))

    def check(self, name: str, *ids: str) -> None:
        """Raise Limited when the window for (name, ids) is already full; counts nothing."""
        if self.enabled and not self.limiter.test(self.items[name], name, *ids):
            raise Limited(name, self._retry_after(name, *ids))

    def hit(self, name: str, *ids: str) -> None:
        """Count one event; raise Limited when it does not fit in the window."""
        if self.enabled and not self.limiter.hit(self.items[name], name, *ids):
            raise Limited(name, self._retry_after(name, *ids))


def client_address(scope: Scope) -> str:
    """The peer address (uvicorn's `--proxy-headers` puts a trusted proxy's X-Forwarded-For here)."""
    client = scope.get("client")
    return str(client[0]) if client else "unknown"


def key_identity(scope: Scope) -> str | None:
    """A stable, non-secret identity of the credential sent (hash of the bearer token), if any."""
    for name, value in scope.get("headers", []):
        if name == b"authorization" and value[:7].lower() == b"bearer ":
            return hashlib.sha256(value[7:].strip()).hexdigest()[:32]
        if name == b"x-api-key":
            return hashlib.sha256(value.strip()).hexdigest()[:32]
    return None


class RateLimitMiddleware:
    """Per-route limits (`ROUTE_LIMITS`), per address and per key, before the app reads the request."""

    def __init__(self, app: ASGIApp, limits: RateLimits) -> None:
        self.app = app
        self.limits = limits

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and self.limits.enabled:
            name = ROUTE_LIMITS.get((scope["method"], scope["path"].rstrip("/")))
            if name is not None:
                try:
                    self.limits.hit(name, "ip", client_address(scope))
                    key = key_identity(scope)
                    if key is not None:
                        self.limits.hit(name, "key", key)
                except Limited as exc:
                    await send_429(send, exc)
                    return
        await self.app(scope, receive, send)


async def send_429(send: Send, exc: Limited) -> None:
    await send_problem(
        send,
        429,
        "Too many requests",
        f"rate limit {exc.name!r} reached; retry in {exc.retry_after} s",
        headers=[(b"retry-after", str(exc.retry_after).encode())],
        limit=exc.name,
    )
