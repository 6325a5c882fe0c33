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
from townsquare.core.enums import Role

__all__ = ["Role", "allow", "caller_from_request", "roles_of"]

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


def _cached(request: Request, token: str) -> Any:
    """The cached identity for a token, or _MISS (no database access: safe on the event loop)."""
    with _cache_lock:
        hit = _cache.get(_cache_key(request, token))
    if hit is not None and hit[0] > time.monotonic() and hit[1] == revocation_generation():
        return hit[2]
    return _MISS


def _authenticate_cached(request: Request, token: str) -> KeyInfo | None:
    db = request.app.state.database
    key = _cache_key(request, token)
    now = time.monotonic()
    generation = revocation_generation()
    hit = _cached(request, token)
    if hit is not _MISS:
        return hit  # type: ignore[no-any-return]
    with db.session() as session:
        found = authenticate(session, token)
    with _cache_lock:
        if len(_cache) > 10_000:
            _cache.clear()
        _cache[key] = (now + AUTH_CACHE_SECONDS, generation, found)
    return found


def caller_from_request(request: Request) -> KeyInfo:
    """The authenticated caller (cached on the request); PUBLIC when no credential is sent."""
    cached = getattr(request.state, "caller", None)
    if isinstance(cached, KeyInfo):
        return cached
    token = _token(request)
    caller = PUBLIC_CALLER
    if token:
        found = _authenticate_cached(request, token)
        if found is None:
            raise HTTPException(401, "invalid or revoked API key", headers={"WWW-Authenticate": "Bearer"})
        caller = found
    else:
        web_caller = getattr(request.state, "web_caller", None)
        if isinstance(web_caller, KeyInfo):
            caller = web_caller
    request.state.caller = caller
    return caller


async def caller_async(request: Request) -> KeyInfo:
    """`caller_from_request` without blocking the event loop: cheap cases inline, lookups in the threadpool."""
    cached = getattr(request.state, "caller", None)
    if isinstance(cached, KeyInfo):
        return cached
    token = _token(request)
    if token is None or _cached(request, token) is not _MISS:
        return caller_from_request(request)
    return await run_in_threadpool(caller_from_request, request)


def allow(*roles: Role) -> Any:
    """Dependency admitting only the given roles (admin is NOT implied; list it when meant)."""
    if not roles:
        raise ValueError("allow() needs at least one role")
    admitted = frozenset(roles)

    async def _check(request: Request) -> KeyInfo:
        # async, so a request costs no thread hop; a database lookup (cache miss) still goes to the threadpool
        caller = await caller_async(request)
        if Role.PUBLIC in admitted or caller.role in admitted:
            return caller
        if caller.role is Role.PUBLIC:
            raise HTTPException(401, "this route needs an API key", headers={"WWW-Authenticate": "Bearer"})
        raise HTTPException(403, f"role {caller.role.value!r} may not call this route")

    setattr(_check, POLICY_ATTR, admitted)
    return Depends(_check)


def roles_of(call: Callable[..., Any]) -> frozenset[Role] | None:
    return getattr(call, POLICY_ATTR, None)
