"""Moderation console, account side: the account page (posts, reports about it and by it, actions, strikes,
cases, staff notes) and account actions (warn, suspend, lift an action) through `townsquare.moderation.accounts`.
Included by `web/routes/moderation.py` under /moderation.
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from townsquare.api.deps import SessionDep
from townsquare.api.security import allow
from townsquare.core.enums import Role
from townsquare.moderation import accounts, notes
from townsquare.web.rendering import render
from townsquare.web.routes.common import caller, form_action, t
from townsquare.web.routes.moderation_case import rules

router = APIRouter()
STAFF = allow(Role.MODERATOR, Role.ADMIN)


def _back(account_id: str) -> str:
    return f"/moderation/accounts/{quote(account_id, safe='')}"


@router.get("/accounts/{account_id}", dependencies=[STAFF], response_class=HTMLResponse)
def account_page(request: Request, account_id: str, session: SessionDep) -> HTMLResponse:
    data = accounts.account_file(session, account_id)
    return render(
        request,
        "moderation/account.html",
        {"a": data, "rules": rules(), "actions": accounts.PAGE_ACTIONS, "back": _back(account_id)},
    )


@router.post("/accounts/{account_id}/actions", dependencies=[STAFF])
def act(
    request: Request,
    account_id: str,
    session: SessionDep,
    action: Annotated[str, Form(max_length=20)] = "",
    rule_id: Annotated[str, Form(max_length=100)] = "",
    explanation: Annotated[str, Form(max_length=5000)] = "",
    private_note: Annotated[str, Form(max_length=5000)] = "",
    days: Annotated[str, Form(max_length=4)] = "",
) -> RedirectResponse:
    return form_action(
        request,
        session,
        lambda: accounts.act_on_account(
            session,
            account_id=account_id,
            moderator=caller(request).name,
            action=action,
            rule_id=rule_id,
            explanation=explanation,
            private_note=private_note,
            days=int(days) if days.strip().isdigit() else None,
        ),
        back=_back(account_id),
        done=lambda taken: (_back(account_id), t(request, "mod.account_acted", action=taken.action)),
    )


@router.post("/accounts/{account_id}/actions/{action_id}/lift", dependencies=[STAFF])
def lift(
    request: Request,
    account_id: str,
    action_id: int,
    session: SessionDep,
    reason: Annotated[str, Form(max_length=5000)] = "",
) -> RedirectResponse:
    return form_action(
        request,
        session,
        lambda: accounts.lift_action(
            session, account_id=account_id, action_id=action_id, moderator=caller(request).name, reason=reason
        ),
        back=_back(account_id),
        done=lambda _: (_back(account_id), t(request, "mod.action_lifted", id=action_id)),
    )


@router.post("/accounts/{account_id}/notes", dependencies=[STAFF])
def add_account_note(
    request: Request, account_id: str, session: SessionDep, text: Annotated[str, Form(max_length=4000)] = ""
) -> RedirectResponse:
    return form_action(
        request,
        session,
        lambda: notes.add_note(
            session, subject_type="account", subject_id=account_id, author=caller(request).name, text=text
        ),
        back=_back(account_id),
        done=lambda _: (_back(account_id) + "#h-notes", t(request, "mod.note_added")),
    )
