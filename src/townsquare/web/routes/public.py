"""Public pages: the landing page and a post's status page (label, visibility, statements of reasons)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from townsquare.api.deps import SessionDep
from townsquare.api.security import allow
from townsquare.core.enums import Role
from townsquare.posts.lookup import public_view
from townsquare.transparency.report import post_actions
from townsquare.web.rendering import current_lang, render

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
    """What is in force (`policy.in_force`) and each statement of reasons, in the reader's language."""
    from townsquare.notices.statements import public_statement
    from townsquare.policy.status import post_status as status_of

    view = public_view(session, post_id)
    view.update(status_of(session, post_id))
    lang = current_lang(request)
    actions = [a for a in post_actions(session, post_id) if a.status != "proposed"]
    statements = [public_statement(session, a, lang) for a in actions]
    return render(request, "post.html", {"post": view, "statements": statements})
