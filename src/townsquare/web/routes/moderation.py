"""Moderation console, queue side: queues with previews (snippet, author, reports, language, age, action in force),
filters, search and saved views, claim-next, bulk decisions with one statement, and the blur preference.

The case page and the account page live in `moderation_case.py` and `moderation_accounts.py` (included below).
Everything goes through `townsquare.moderation`; roles as in the API.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from townsquare.api.deps import SessionDep
from townsquare.api.security import allow
from townsquare.core.enums import ActionType, Role
from townsquare.core.errors import DomainError
from townsquare.moderation import bulk, review, search, stats, view, wellbeing
from townsquare.moderation.cases import ORIGINS
from townsquare.moderation.queues import load_queues
from townsquare.moderation.taxonomy import REASONS
from townsquare.web.rendering import render
from townsquare.web.routes import moderation_accounts, moderation_case
from townsquare.web.routes.common import caller, error_message, form_action, redirect, t
from townsquare.web.routes.moderation_case import rules

router = APIRouter(prefix="/moderation")
STAFF = allow(Role.MODERATOR, Role.ADMIN)


def _queue_url(queue: str, query: str = "") -> str:
    return f"/moderation?queue={queue}" + (f"&{query}" if query else "")


@router.get("", dependencies=[STAFF], response_class=HTMLResponse)
def queues(request: Request, session: SessionDep, queue: str | None = None) -> HTMLResponse:
    config = load_queues()
    figures = stats.queue_stats(session)["queues"]
    rows = [(q, figures[q.name]) for q in config.queues.values()]
    if queue is None:
        busiest = [q.name for q, f in rows if f["backlog"]]
        queue = busiest[0] if busiest else config.default_queue
    current = config.get(queue)
    me = caller(request).name
    error = None
    try:
        filters = search.Filters.parse({**dict(request.query_params), "queue": current.name})
    except DomainError as exc:
        error, filters = error_message(exc), search.Filters(queue=current.name)
    settings = wellbeing.get_settings_for(session, me)
    found = search.find_cases(session, filters, moderator=me, limit=100)
    listed = view.queue_rows(session, found, severe_hidden=settings.hide_severe)
    allowed = [a for a in ActionType if a in current.allowed_actions]
    return render(
        request,
        "moderation/index.html",
        {
            "queues": rows,
            "stats": figures,
            "current": current,
            "cases": listed,
            "filters": filters,
            "filter_error": error,
            "views": search.views_of(session, me),
            "origins": ORIGINS,
            "reasons": REASONS,
            "allowed": allowed,
            "rules": rules(),
            "blur": settings.blur_severe,
            "me": me,
            "exposure": wellbeing.exposure_today(session, me),
        },
    )


@router.post("/next", dependencies=[STAFF])
def claim_next(
    request: Request, session: SessionDep, queue: Annotated[str, Form(max_length=60)] = ""
) -> RedirectResponse:
    """Claim the most urgent case this moderator may review and open it (keyboard: c on the queue page)."""
    return form_action(
        request,
        session,
        lambda: review.claim_next(session, queue=queue, moderator=caller(request).name),
        back=_queue_url(queue) if queue else "/moderation",
        done=lambda case: (f"/moderation/cases/{case.id}", t(request, "mod.claimed", id=case.id)),
    )


@router.post("/bulk", dependencies=[STAFF])
def bulk_decide(
    request: Request,
    session: SessionDep,
    queue: Annotated[str, Form(max_length=60)] = "",
    case_ids: Annotated[list[int] | None, Form()] = None,
    action: Annotated[str, Form(max_length=20)] = "",
    rule_id: Annotated[str, Form(max_length=100)] = "",
    explanation: Annotated[str, Form(max_length=5000)] = "",
    private_note: Annotated[str, Form(max_length=5000)] = "",
) -> RedirectResponse:
    """One action, rule and explanation for the selected cases; each is decided through the enforcement path."""
    back = _queue_url(queue) if queue else "/moderation"
    try:
        results = bulk.bulk_decide(
            session,
            case_ids=case_ids or [],
            moderator=caller(request).name,
            action=action,
            rule_id=rule_id,
            explanation=explanation,
            private_note=private_note,
        )
    except DomainError as exc:
        session.rollback()
        return redirect(back, request, error_message(exc), "error")
    done = [r for r in results if r["ok"]]
    failed = [f"#{r['case_id']}: {r['error']}" for r in results if not r["ok"]]
    message = t(request, "mod.bulk_done", n=len(done), m=len(failed))
    if failed:
        message += " " + "; ".join(failed)
    return redirect(back, request, message, "ok" if not failed else "warn")


@router.post("/views", dependencies=[STAFF])
def save_view(
    request: Request,
    session: SessionDep,
    name: Annotated[str, Form(max_length=80)] = "",
    query: Annotated[str, Form(max_length=1000)] = "",
    queue: Annotated[str, Form(max_length=60)] = "",
) -> RedirectResponse:
    return form_action(
        request,
        session,
        lambda: search.save_view(session, moderator=caller(request).name, name=name, query=query),
        back=_queue_url(queue, query) if queue else "/moderation",
        done=lambda saved: (f"/moderation?{saved.query}", t(request, "mod.view_saved", name=saved.name)),
    )


@router.post("/views/{view_id}/delete", dependencies=[STAFF])
def delete_view(request: Request, view_id: int, session: SessionDep) -> RedirectResponse:
    return form_action(
        request,
        session,
        lambda: search.delete_view(session, moderator=caller(request).name, view_id=view_id),
        back="/moderation",
        done=lambda _: ("/moderation", t(request, "mod.view_deleted")),
    )


@router.post("/settings", dependencies=[STAFF])
def update_settings(
    request: Request,
    session: SessionDep,
    blur: Annotated[str, Form(max_length=10)] = "",
    hide: Annotated[str, Form(max_length=10)] = "",
    back: Annotated[str, Form(max_length=200)] = "/moderation",
) -> RedirectResponse:
    wellbeing.update_settings(
        session, moderator=caller(request).name, blur_severe=bool(blur), hide_severe=bool(hide)
    )
    target = back if back.startswith("/moderation") and not back.startswith("//") else "/moderation"
    return redirect(target, request, t(request, "common.save"))


router.include_router(moderation_case.router)
router.include_router(moderation_accounts.router)
