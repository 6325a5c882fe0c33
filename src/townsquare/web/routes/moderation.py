"""Moderation console: queues with counts and priorities, the case page (post with evidence highlighted, author
history and strikes, similar decisions, reports), claim / decide / escalate / release, appeal review, and the
blur preference for severe content. Everything goes through `townsquare.moderation`; roles as in the API."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlalchemy import select
from sqlalchemy.orm import Session

from townsquare.api.deps import SessionDep
from townsquare.api.security import allow
from townsquare.core.enums import ActionType, Role
from townsquare.core.errors import DomainError
from townsquare.moderation import appeals, cases, claims, decisions, stats, view, wellbeing
from townsquare.moderation.queues import load_queues
from townsquare.storage.models import Appeal
from townsquare.web.highlight import highlight
from townsquare.web.rendering import render
from townsquare.web.routes.common import caller, error_message, redirect, t

router = APIRouter(prefix="/moderation")
STAFF = allow(Role.MODERATOR, Role.ADMIN)


def _rules() -> list[tuple[str, Any]]:
    from townsquare.policy.engine import load_policy

    return [(r.ref, r.title) for r in load_policy().all_rules()]


@router.get("", dependencies=[STAFF], response_class=HTMLResponse)
def queues(request: Request, session: SessionDep, queue: str | None = None) -> HTMLResponse:
    config = load_queues()
    figures = stats.queue_stats(session)["queues"]
    rows = [(q, figures[q.name]) for q in config.queues.values()]
    if queue is None:
        busiest = [q.name for q, f in rows if f["backlog"]]
        queue = busiest[0] if busiest else config.default_queue
    current = config.get(queue)
    listed = [view.case_public(c) for c in cases.list_queue(session, queue=current.name, limit=100)]
    me = caller(request).name
    return render(
        request,
        "moderation/index.html",
        {
            "queues": rows,
            "stats": figures,
            "current": current,
            "cases": listed,
            "exposure": wellbeing.exposure_today(session, me),
        },
    )


def _appeal_of(session: Session, case_id: int) -> Appeal | None:
    return session.scalar(select(Appeal).where(Appeal.case_id == case_id))


@router.get("/cases/{case_id}", dependencies=[STAFF], response_class=HTMLResponse)
def case_page(request: Request, case_id: int, session: SessionDep, reveal: bool = False) -> HTMLResponse:
    me = caller(request).name
    data = view.case_view(session, case_id=case_id, moderator=me, reveal=reveal)
    post = data["post"]
    assessment = data["assessment"]
    marked = (
        highlight(post["text"], assessment["evidence"] if assessment else None)
        if post and post["text"]
        else None
    )
    queue = data["queue"]
    allowed = [a for a in ActionType if a.value in queue["allowed_actions"]]
    return render(
        request,
        "moderation/case.html",
        {
            "d": data,
            "c": data["case"],
            "marked": marked,
            "allowed": allowed,
            "rules": _rules(),
            "mine": data["case"]["claimed_by"] == me,
            "me": me,
            "appeal": _appeal_of(session, case_id),
            "settings": wellbeing.get_settings_for(session, me),
            "exposure": wellbeing.exposure_today(session, me),
        },
    )


def _back(case_id: int) -> str:
    return f"/moderation/cases/{case_id}"


@router.post("/cases/{case_id}/claim", dependencies=[STAFF])
def claim(request: Request, case_id: int, session: SessionDep) -> RedirectResponse:
    try:
        claims.claim(session, case_id=case_id, moderator=caller(request).name)
    except DomainError as exc:
        session.rollback()
        return redirect(_back(case_id), request, error_message(exc), "error")
    return redirect(_back(case_id), request, t(request, "mod.claimed", id=case_id))


@router.post("/cases/{case_id}/release", dependencies=[STAFF])
def release(request: Request, case_id: int, session: SessionDep) -> RedirectResponse:
    try:
        claims.release(session, case_id=case_id, moderator=caller(request).name)
    except DomainError as exc:
        session.rollback()
        return redirect(_back(case_id), request, error_message(exc), "error")
    return redirect("/moderation", request)


@router.post("/cases/{case_id}/escalate", dependencies=[STAFF])
def escalate(
    request: Request, case_id: int, session: SessionDep, note: Annotated[str, Form(max_length=4000)] = ""
) -> RedirectResponse:
    try:
        case = claims.escalate(session, case_id=case_id, moderator=caller(request).name, note=note)
    except DomainError as exc:
        session.rollback()
        return redirect(_back(case_id), request, error_message(exc), "error")
    return redirect(f"/moderation?queue={case.queue}", request, t(request, "mod.escalated", id=case_id))


@router.post("/cases/{case_id}/decide", dependencies=[STAFF])
def decide(
    request: Request,
    case_id: int,
    session: SessionDep,
    action: Annotated[str, Form(max_length=20)] = "",
    rule_id: Annotated[str, Form(max_length=100)] = "",
    note: Annotated[str, Form(max_length=4000)] = "",
) -> RedirectResponse:
    try:
        case = cases.get_case(session, case_id)
        decisions.decide(
            session,
            case_id=case_id,
            moderator=caller(request).name,
            action=action,
            rule_id=rule_id,
            note=note,
        )
    except DomainError as exc:
        session.rollback()
        return redirect(_back(case_id), request, error_message(exc), "error")
    return redirect(f"/moderation?queue={case.queue}", request, t(request, "mod.decided", id=case_id))


@router.post("/appeals/{appeal_id}/decide", dependencies=[STAFF])
def decide_appeal(
    request: Request,
    appeal_id: int,
    session: SessionDep,
    outcome: Annotated[str, Form(max_length=20)] = "",
    statement: Annotated[str, Form(max_length=4000)] = "",
    new_action: Annotated[str, Form(max_length=20)] = "",
    rule_id: Annotated[str, Form(max_length=100)] = "",
) -> RedirectResponse:
    appeal = session.get(Appeal, appeal_id)
    back = _back(appeal.case_id) if appeal and appeal.case_id else "/moderation"
    try:
        appeals.decide_appeal(
            session,
            appeal_id=appeal_id,
            moderator=caller(request).name,
            outcome=outcome,
            statement=statement,
            new_action=new_action or None,
            rule_id=rule_id or None,
        )
    except DomainError as exc:
        session.rollback()
        return redirect(back, request, error_message(exc), "error")
    return redirect(
        "/moderation?queue=appeals", request, t(request, "mod.decided", id=appeal.case_id if appeal else "")
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
    target = back if back.startswith("/moderation") else "/moderation"
    return redirect(target, request, t(request, "common.save"))
