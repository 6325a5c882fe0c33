"""Authentication by API key and per-route role policies.

Every route declares who may call it with `dependencies=[allow(...)]`; a test walks the app and fails on any route
without one. `Role.PUBLIC` admits anyone, authenticated or not.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Callable
from typing import Any

from fastapi import Depends, HTTPException, Request
from starlette.concurrency import run_in_threadpool

from townsquare.access.keys import PUBLIC_CALLER, KeyInfo, authenticate, revocation_generation
from townsquare.api.ratelimit import Limited, RateLimits, client_address
from townsquare.core.enums import Role
from townsquare.storage.db import Database

__all__ = ["Role", "allow", "cached_caller", "current_caller", "roles_of"]

POLICY_ATTR = "__townsquare_roles__"


def _token(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        return header[7:].strip()
    return request.headers.get("x-api-key")


AUTH_CACHE_SECONDS = 5.0
"""How long a verified key is trusted without a database lookup. A revocation in this process applies at once;
one made by another process (the CLI) applies within this many seconds."""
_cache: dict[tuple[str, str], tuple[float, int, KeyInfo | None]] = {}
_cache_lock = threading.Lock()


_MISS = object()


def _cache_key(request: Request, token: str) -> tuple[str, str]:
    return (request.app.state.database.url, hashlib.sha256(token.encode()).hexdigest())


def _cached(key: tuple[str, str]) -> Any:
    """The cached identity for a token, or _MISS (no database access: safe on the event loop)."""
    with _cache_lock:
        hit = _cache.get(key)
    if hit is not None and hit[0] > time.monotonic() and hit[1] == revocation_generation():
        return hit[2]
    return _MISS


def _lookup(database: Database, token: str, key: tuple[str, str]) -> KeyInfo | None:
    """Verify a token against the database and remember the answer (runs in the threadpool)."""
    generation = revocation_generation()
    with database.read_session() as session:  # an unknown key must not cost a write transaction
        found = authenticate(session, token)
    with _cache_lock:
        if len(_cache) > 10_000:
            _cache.clear()
        _cache[key] = (time.monotonic() + AUTH_CACHE_SECONDS, generation, found)
    return found


def cached_caller(request: Request) -> KeyInfo | None:
    """The caller a key names when the cache already knows it, with no database access and nothing counted; None
    when only `current_caller` can tell (no key, an unknown, refused or expired entry, an address held back for
    guessing keys). For a hot path that hands every other case to the full route."""
    token = _token(request)
    if token is None:
        return None
    limits: RateLimits | None = getattr(request.app.state, "rate_limits", None)
    if limits is not None:
        try:
            limits.check("auth_failures", client_address(request.scope))
        except Limited:
            return None
    found = _cached(_cache_key(request, token))
    return found if isinstance(found, KeyInfo) else None


async def current_caller(request: Request) -> KeyInfo:
    """The authenticated caller (kept on the request); PUBLIC when no credential is sent.

    Runs on the event loop, so a request costs no thread hop; only a cache miss goes to the threadpool."""
    cached = getattr(request.state, "caller", None)
    if isinstance(cached, KeyInfo):
        return cached
    token = _token(request)
    if token is None:
        web_caller = getattr(request.state, "web_caller", None)
        caller = web_caller if isinstance(web_caller, KeyInfo) else PUBLIC_CALLER
    else:
        limits: RateLimits | None = getattr(request.app.state, "rate_limits", None)
        address = client_address(request.scope)
        if limits is not None:
            limits.check("auth_failures", address)  # an address that guessed too often waits, key or not
        key = _cache_key(request, token)
        found = _cached(key)
        if found is _MISS:
            found = await run_in_threadpool(_lookup, request.app.state.database, token, key)
        if found is None:
            if limits is not None:
                limits.hit("auth_failures", address)
            raise HTTPException(401, "invalid or revoked API key", headers={"WWW-Authenticate": "Bearer"})
        caller = found
    request.state.caller = caller
    return caller


def allow(*roles: Role) -> Any:
    """Dependency admitting only the given roles (admin is NOT implied; list it when meant)."""
    if not roles:
        raise ValueError("allow() needs at least one role")
    admitted = frozenset(roles)

    async def _check(request: Request) -> KeyInfo:
        caller = await current_caller(request)
        if Role.PUBLIC in admitted or caller.role in admitted:
            return caller
        if caller.role is Role.PUBLIC:
            raise HTTPException(401, "this route needs an API key", headers={"WWW-Authenticate": "Bearer"})
        raise HTTPException(403, f"role {caller.role.value!r} may not call this route")

    setattr(_check, POLICY_ATTR, admitted)
    return Depends(_check)


def roles_of(call: Callable[..., Any]) -> frozenset[Role] | None:
    return getattr(call, POLICY_ATTR, None)
