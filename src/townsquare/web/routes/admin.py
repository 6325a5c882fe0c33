"""Admin console: API keys and roles, the active policy and its history, effective settings (secrets masked),
and the audit chain's health. Key creation and revocation go through `access.keys` (audited there)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlalchemy import select
from sqlalchemy.orm import Session

from townsquare import audit
from townsquare.access.keys import KEY_ROLES, create_key, list_keys, revoke_key
from townsquare.api.deps import SessionDep, SettingsDep
from townsquare.api.security import allow
from townsquare.core.enums import Role
from townsquare.core.errors import DomainError
from townsquare.council import recommendations
from townsquare.policy import activation
from townsquare.storage.models import Advertiser, PolicyVersion
from townsquare.web.rendering import render
from townsquare.web.routes.common import caller, error_message, form_action, redirect, t

router = APIRouter(prefix="/admin")
ADMIN = allow(Role.ADMIN)


def _policy(session: Session) -> dict[str, Any]:
    """The policy in force (read without recording it: a GET must not write) and its history."""
    from townsquare.policy.engine import current_policy

    history = list(session.scalars(select(PolicyVersion).order_by(PolicyVersion.id.desc())))
    try:
        policy = current_policy(session)
    except Exception as exc:  # noqa: BLE001 - a broken policy file is shown, not a 500
        return {"error": str(exc), "history": history, "policy": None}
    return {"policy": policy, "history": history, "error": None}


# Least privileged first: the key form preselects the first (read-only auditing changes nothing; admin last).
ROLE_PRIVILEGE = (
    Role.AUDITOR,
    Role.ADVERTISER,
    Role.INGEST,
    Role.COUNCIL,
    Role.MODERATOR,
    Role.ADMIN,
    Role.PUBLIC,
)


def _served_port(request: Request, configured: int) -> int:
    """The port this server actually answers on (behind `make run PORT=` or `serve --port`), not the default."""
    server = request.scope.get("server")
    if server and len(server) > 1 and server[1]:
        return int(server[1])
    return request.url.port or configured


def _page(request: Request, session: Session, settings: Any, **extra: Any) -> HTMLResponse:
    count, problem = audit.verify(session)
    shown = settings.masked()
    shown["port"] = _served_port(request, settings.port)
    context = {
        "keys": list_keys(session),
        "roles": [r.value for r in sorted(KEY_ROLES, key=ROLE_PRIVILEGE.index)],
        "default_role": ROLE_PRIVILEGE[0].value,
        "pending_changes": sum(1 for c in activation.list_changes(session) if c.status == "pending"),
        "advertisers": list(session.scalars(select(Advertiser).order_by(Advertiser.id))),
        "settings": shown,
        "audit_count": count,
        "audit_problem": problem,
        "pending_recommendations": [r for r in recommendations.list_all(session) if r.answer is None],
        **_policy(session),
        **extra,
    }
    return render(request, "admin.html", context)


@router.get("", dependencies=[ADMIN], response_class=HTMLResponse)
def admin_home(request: Request, session: SessionDep, settings: SettingsDep) -> HTMLResponse:
    return _page(request, session, settings)


@router.post("/keys", dependencies=[ADMIN], response_model=None)
def create(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    name: Annotated[str, Form(max_length=200)] = "",
    role: Annotated[str, Form(max_length=20)] = "",
    advertiser_id: Annotated[str, Form(max_length=100)] = "",
) -> HTMLResponse | RedirectResponse:
    try:
        key, token = create_key(
            session, role=role, name=name, advertiser_id=advertiser_id or None, actor=caller(request).name
        )
    except DomainError as exc:
        session.rollback()
        return redirect("/admin", request, error_message(exc), "error")
    # The raw key is shown once, in this response, and never stored (no redirect: it must not enter the cookie).
    return _page(request, session, settings, new_key=(key.name, token))


@router.post("/keys/{name}/revoke", dependencies=[ADMIN])
def revoke(request: Request, name: str, session: SessionDep) -> RedirectResponse:
    try:
        revoke_key(session, name=name, actor=caller(request).name)
    except DomainError as exc:
        return redirect("/admin", request, error_message(exc), "error")
    return redirect("/admin", request, t(request, "admin.revoked_key", name=name))


@router.post("/recommendations/{recommendation_id}/answer", dependencies=[ADMIN])
def answer_recommendation(
    request: Request,
    recommendation_id: int,
    session: SessionDep,
    answer: Annotated[str, Form(max_length=10)] = "",
    reason: Annotated[str, Form(max_length=4000)] = "",
) -> RedirectResponse:
    """The platform's public answer to a council recommendation (accepted, or rejected with a reason)."""
    return form_action(
        request,
        session,
        lambda: recommendations.answer(
            session,
            recommendation_id=recommendation_id,
            answer=answer,
            reason=reason,
            actor=caller(request).name,
        ),
        back="/admin",
        done=lambda _: ("/admin", t(request, "admin.answered")),
    )
