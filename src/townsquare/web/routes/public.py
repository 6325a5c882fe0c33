"""Public pages: the landing page and a post's status page (label, visibility, statements of reasons)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from townsquare.api.deps import SessionDep
from townsquare.api.security import allow
from townsquare.core.enums import Role
from townsquare.posts.lookup import public_view
from townsquare.transparency.report import post_actions
from townsquare.web.rendering import render

router = APIRouter()


@router.get("/", dependencies=[allow(Role.PUBLIC)], response_class=HTMLResponse)
def home(request: Request) -> HTMLResponse:
    return render(request, "home.html")


@router.get("/posts", dependencies=[allow(Role.PUBLIC)], response_model=None)
def post_lookup(request: Request, id: str = "") -> RedirectResponse:
    """The landing page's look-up form (GET) lands here and goes to the post's stable address."""
    from urllib.parse import quote

    return RedirectResponse(f"/posts/{quote(id.strip(), safe='')}" if id.strip() else "/", status_code=303)


@router.get("/posts/{post_id:path}", dependencies=[allow(Role.PUBLIC)], response_class=HTMLResponse)
def post_status(request: Request, post_id: str, session: SessionDep) -> HTMLResponse:
    view = public_view(session, post_id)
    from townsquare.policy.enforce import rule_of

    actions = [a for a in post_actions(session, post_id) if a.status != "proposed"]
    rules = {a.id: rule_of(session, a) for a in actions}
    return render(request, "post.html", {"post": view, "actions": actions, "rules": rules})
