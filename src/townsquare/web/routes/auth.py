"""Sign in with an API key (it becomes a signed, HTTP-only session cookie) and sign out; language switch."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from townsquare.access.keys import authenticate
from townsquare.api.deps import ReadSessionDep
from townsquare.api.ratelimit import RateLimits, client_address
from townsquare.api.security import allow
from townsquare.core.enums import Role
from townsquare.web.csrf import web_session
from townsquare.web.rendering import render
from townsquare.web.routes.common import redirect, safe_next, t

router = APIRouter()

HOME_OF_ROLE = {
    Role.ADMIN: "/admin",
    Role.MODERATOR: "/moderation",
    Role.COUNCIL: "/council",
    Role.ADVERTISER: "/advertiser",
    Role.AUDITOR: "/auditor",
}


@router.get("/login", dependencies=[allow(Role.PUBLIC)], response_class=HTMLResponse)
def login_form(request: Request, next: str | None = None) -> HTMLResponse:
    return render(request, "login.html", {"next": safe_next(next, "")})


@router.post("/login", dependencies=[allow(Role.PUBLIC)], response_model=None)
def login(
    request: Request,
    session: ReadSessionDep,
    api_key: Annotated[str, Form(max_length=400)] = "",
    next: Annotated[str, Form(max_length=2000)] = "",
) -> HTMLResponse | RedirectResponse:
    limits: RateLimits = request.app.state.rate_limits
    address = client_address(request.scope)
    limits.check("login", address)  # 429 once this address has failed too often; successes are not counted
    info = authenticate(session, api_key.strip()) if api_key.strip() else None
    if info is None or info.key_id is None:
        limits.hit("login", address)
        return render(
            request, "login.html", {"next": safe_next(next, ""), "error": t(request, "login.bad")}, status=401
        )
    web_session(request).sign_in(info.key_id)
    target = safe_next(next, HOME_OF_ROLE.get(info.role, "/"))
    return redirect(target, request, t(request, "login.ok", name=info.name))


@router.post("/logout", dependencies=[allow(Role.PUBLIC)])
def logout(request: Request) -> RedirectResponse:
    web_session(request).sign_out()
    return redirect("/", request, t(request, "logout.ok"))
