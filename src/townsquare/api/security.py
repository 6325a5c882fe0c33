"""Authentication by API key and per-route role policies.

Every route declares who may call it with `dependencies=[allow(...)]`; a test walks the app and fails on any route
without one. `Role.PUBLIC` admits anyone, authenticated or not.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import Depends, HTTPException, Request

from townsquare.access.keys import PUBLIC_CALLER, KeyInfo, authenticate
from townsquare.core.enums import Role

__all__ = ["Role", "allow", "caller_from_request", "roles_of"]

POLICY_ATTR = "__townsquare_roles__"


def _token(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        return header[7:].strip()
    return request.headers.get("x-api-key")


def caller_from_request(request: Request) -> KeyInfo:
    """The authenticated caller (cached on the request); PUBLIC when no credential is sent."""
    cached = getattr(request.state, "caller", None)
    if isinstance(cached, KeyInfo):
        return cached
    token = _token(request)
    caller = PUBLIC_CALLER
    if token:
        db = request.app.state.database
        with db.session() as session:
            found = authenticate(session, token)
        if found is None:
            raise HTTPException(401, "invalid or revoked API key", headers={"WWW-Authenticate": "Bearer"})
        caller = found
    else:
        web_caller = getattr(request.state, "web_caller", None)
        if isinstance(web_caller, KeyInfo):
            caller = web_caller
    request.state.caller = caller
    return caller


def allow(*roles: Role) -> Any:
    """Dependency admitting only the given roles (admin is NOT implied; list it when meant)."""
    if not roles:
        raise ValueError("allow() needs at least one role")
    admitted = frozenset(roles)

    def _check(request: Request) -> KeyInfo:
        caller = caller_from_request(request)
        if Role.PUBLIC in admitted or caller.role in admitted:
            return caller
        if caller.role is Role.PUBLIC:
            raise HTTPException(401, "this route needs an API key", headers={"WWW-Authenticate": "Bearer"})
        raise HTTPException(403, f"role {caller.role.value!r} may not call this route")

    setattr(_check, POLICY_ATTR, admitted)
    return Depends(_check)


def roles_of(call: Callable[..., Any]) -> frozenset[Role] | None:
    return getattr(call, POLICY_ATTR, None)
