"""Admin console, changes that take two admins: policy upload -> `policy check` -> replay diff -> a second admin's
approval activates it; the automation ceiling the same way; council membership through the council's governance
rules (propose / approve, notice period). The rules live in `policy.activation` and `council.governance`; these
pages only show them and pass the signed-in admin's name as the actor."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlalchemy import select
from sqlalchemy.orm import Session

from townsquare.api.deps import SessionDep
from townsquare.api.security import allow
from townsquare.core.enums import Role
from townsquare.core.errors import DomainError
from townsquare.council import charter, governance
from townsquare.policy import activation
from townsquare.policy.ceiling import automation_ceiling
from townsquare.policy.engine import current_policy
from townsquare.policy.runtime import CEILING_CHOICES
from townsquare.storage.models import CouncilMember
from townsquare.web.rendering import render
from townsquare.web.routes.common import caller, error_message, form_action, redirect, t

router = APIRouter(prefix="/admin")
ADMIN = allow(Role.ADMIN)
PAGE = "/admin/policies"
MEMBER_KINDS = ("deactivate", "reactivate", "remove")


def _page(request: Request, session: Session, status: int = 200, **extra: Any) -> HTMLResponse:
    policy = current_policy(session)
    context = {
        "policy": policy,
        "draft": policy.source,
        "changes": activation.list_changes(session),
        "ceiling": automation_ceiling(session).value,
        "ceiling_choices": CEILING_CHOICES,
        "me": caller(request).name,
        "members": list(session.scalars(select(CouncilMember).order_by(CouncilMember.id))),
        "member_changes": governance.list_changes(session)[:20],
        "member_kinds": MEMBER_KINDS,
        "notice_days": charter.current()["notice_days"],
        "problems": [],
        **extra,
    }
    return render(request, "admin/policies.html", context, status=status)


@router.get("/policies", dependencies=[ADMIN], response_class=HTMLResponse)
def policies(request: Request, session: SessionDep) -> HTMLResponse:
    return _page(request, session)


@router.post("/policies", dependencies=[ADMIN], response_model=None)
async def propose_policy(
    request: Request,
    session: SessionDep,
    source: Annotated[str, Form(max_length=activation.MAX_POLICY_BYTES)] = "",
    reason: Annotated[str, Form(max_length=4000)] = "",
    file: Annotated[UploadFile | None, File()] = None,
) -> HTMLResponse | RedirectResponse:
    """Upload (file) or edit (text): checked and replayed now, activated only by another admin's approval."""
    if file is not None and file.filename:
        raw = await file.read(activation.MAX_POLICY_BYTES + 1)
        try:
            source = raw.decode("utf-8")
        except UnicodeDecodeError:
            source = ""
    try:
        change = activation.propose_policy(session, source=source, actor=caller(request).name, reason=reason)
    except DomainError as exc:
        session.rollback()
        problems = exc.detail.split(": ", 1)[-1].split("; ") if "policy check" in exc.detail else []
        error = None if problems else error_message(exc)
        return _page(request, session, exc.status, draft=source, problems=problems, error=error)
    return redirect(f"{PAGE}#change-{change.id}", request, t(request, "pol.proposed", id=change.id))


@router.post("/ceiling", dependencies=[ADMIN])
def propose_ceiling(
    request: Request,
    session: SessionDep,
    value: Annotated[str, Form(max_length=40)] = "",
    reason: Annotated[str, Form(max_length=4000)] = "",
) -> RedirectResponse:
    return form_action(
        request,
        session,
        lambda: activation.propose_ceiling(session, value=value, actor=caller(request).name, reason=reason),
        back=PAGE,
        done=lambda change: (f"{PAGE}#change-{change.id}", t(request, "pol.proposed", id=change.id)),
    )


@router.post("/changes/{change_id}/approve", dependencies=[ADMIN])
def approve(request: Request, change_id: int, session: SessionDep) -> RedirectResponse:
    try:
        change = activation.approve(session, change_id=change_id, actor=caller(request).name)
    except DomainError as exc:
        # a superseded proposal keeps its new status (and audit record); other refusals change nothing
        if exc.status == 409:
            session.commit()
        else:
            session.rollback()
        return redirect(f"{PAGE}#change-{change_id}", request, error_message(exc), "error")
    return redirect(f"{PAGE}#change-{change_id}", request, t(request, "pol.activated", value=change.value))


@router.post("/changes/{change_id}/cancel", dependencies=[ADMIN])
def cancel(
    request: Request, change_id: int, session: SessionDep, reason: Annotated[str, Form(max_length=4000)] = ""
) -> RedirectResponse:
    return form_action(
        request,
        session,
        lambda: activation.cancel(session, change_id=change_id, actor=caller(request).name, reason=reason),
        back=PAGE,
        done=lambda _: (PAGE, t(request, "pol.cancelled", id=change_id)),
    )


@router.post("/members/changes", dependencies=[ADMIN])
def propose_member_change(
    request: Request,
    session: SessionDep,
    kind: Annotated[str, Form(max_length=20)] = "",
    member_id: Annotated[int | None, Form()] = None,
    reason: Annotated[str, Form(max_length=4000)] = "",
) -> RedirectResponse:
    """Deactivate / reactivate / remove a member: the council's governance rules (second admin, notice period)."""
    if kind not in MEMBER_KINDS:
        return redirect(PAGE + "#h-members", request, t(request, "pol.member_kind_refused"), "error")
    return form_action(
        request,
        session,
        lambda: governance.propose(
            session, kind=kind, member_id=member_id, actor=caller(request).name, reason=reason
        ),
        back=PAGE + "#h-members",
        done=lambda _: (PAGE + "#h-members", t(request, "pol.member_proposed")),
    )


@router.post("/members/changes/{change_id}/approve", dependencies=[ADMIN])
def approve_member_change(request: Request, change_id: int, session: SessionDep) -> RedirectResponse:
    return form_action(
        request,
        session,
        lambda: governance.approve(session, change_id=change_id, actor=caller(request).name),
        back=PAGE + "#h-members",
        done=lambda _: (PAGE + "#h-members", t(request, "pol.member_approved")),
    )
