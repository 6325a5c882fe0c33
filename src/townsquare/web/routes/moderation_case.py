"""Moderation console, case side: the case page (post with evidence, reporters' own words, author history,
precedents by meaning, priority terms, the action in force, staff notes), and claim / release / escalate / decide /
appeal decisions. Included by `web/routes/moderation.py` under /moderation.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlalchemy import select
from sqlalchemy.orm import Session

from townsquare.api.deps import SessionDep
from townsquare.api.security import allow
from townsquare.core.enums import ActionType, Role
from townsquare.core.errors import DomainError, Invalid
from townsquare.moderation import appeals, cases, claims, decisions, notes, review, view, wellbeing
from townsquare.storage.models import Appeal, Case
from townsquare.web.highlight import highlight
from townsquare.web.rendering import render
from townsquare.web.routes.common import caller, form_action, t

router = APIRouter()
STAFF = allow(Role.MODERATOR, Role.ADMIN)


def rules() -> list[tuple[str, Any]]:
    from townsquare.policy.engine import load_policy

    return [(r.ref, r.title) for r in load_policy().all_rules()]


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
    case = cases.get_case(session, case_id)
    author = data["author"]["account_id"] if data["author"] else None
    return render(
        request,
        "moderation/case.html",
        {
            "d": data,
            "c": data["case"],
            "marked": marked,
            "allowed": allowed,
            "rules": rules(),
            "rule_default": data["suggested_rule"],
            "mine": data["case"]["claimed_by"] == me,
            "barred": not review.may_review(session, me, case),
            "me": me,
            "appeal": _appeal_of(session, case_id),
            "case_notes": notes.notes_for(session, subject_type="case", subject_id=str(case_id)),
            "account_notes": notes.notes_for(session, subject_type="account", subject_id=author)
            if author
            else [],
            "settings": wellbeing.get_settings_for(session, me),
            "exposure": wellbeing.exposure_today(session, me),
        },
    )


def _back(case_id: int) -> str:
    return f"/moderation/cases/{case_id}"


@router.post("/cases/{case_id}/claim", dependencies=[STAFF])
def claim(request: Request, case_id: int, session: SessionDep) -> RedirectResponse:
    return form_action(
        request,
        session,
        lambda: review.claim(session, case_id=case_id, moderator=caller(request).name),
        back=_back(case_id),
        done=lambda _: (_back(case_id), t(request, "mod.claimed", id=case_id)),
    )


@router.post("/cases/{case_id}/release", dependencies=[STAFF])
def release(request: Request, case_id: int, session: SessionDep) -> RedirectResponse:
    return form_action(
        request,
        session,
        lambda: claims.release(session, case_id=case_id, moderator=caller(request).name),
        back=_back(case_id),
        done=lambda case: (f"/moderation?queue={case.queue}", t(request, "mod.released", id=case_id)),
    )


@router.post("/cases/{case_id}/escalate", dependencies=[STAFF])
def escalate(
    request: Request, case_id: int, session: SessionDep, note: Annotated[str, Form(max_length=4000)] = ""
) -> RedirectResponse:
    return form_action(
        request,
        session,
        lambda: claims.escalate(session, case_id=case_id, moderator=caller(request).name, note=note),
        back=_back(case_id),
        done=lambda case: (f"/moderation?queue={case.queue}", t(request, "mod.escalated", id=case_id)),
    )


@router.post("/cases/{case_id}/decide", dependencies=[STAFF])
def decide(
    request: Request,
    case_id: int,
    session: SessionDep,
    action: Annotated[str, Form(max_length=20)] = "",
    rule_id: Annotated[str, Form(max_length=100)] = "",
    explanation: Annotated[str, Form(max_length=5000)] = "",
    private_note: Annotated[str, Form(max_length=5000)] = "",
    note: Annotated[str, Form(max_length=5000)] = "",
    then: Annotated[str, Form(max_length=10)] = "",
) -> RedirectResponse:
    """The public `explanation` goes to the author and the statement of reasons; `private_note` stays inside.
    `then=next` claims the queue's next case for this moderator and opens it (keyboard: Ctrl+Shift+Enter)."""
    me = caller(request).name

    def run() -> Case:
        case = cases.get_case(session, case_id)
        if action != "none" and not explanation.strip():
            raise Invalid(t(request, "mod.explanation_required"))
        decisions.decide(
            session,
            case_id=case_id,
            moderator=me,
            action=action,
            rule_id=rule_id,
            explanation=explanation,
            private_note=private_note or note,
        )
        return case

    def after(case: Case) -> tuple[str, str]:
        decided = t(request, "mod.decided", id=case_id)
        if then == "next":
            try:
                nxt = review.claim_next(session, queue=case.queue, moderator=me)
            except DomainError:
                return f"/moderation?queue={case.queue}", f"{decided} {t(request, 'mod.empty')}"
            return _back(nxt.id), f"{decided} {t(request, 'mod.claimed', id=nxt.id)}"
        return f"/moderation?queue={case.queue}", decided

    return form_action(request, session, run, back=_back(case_id), done=after)


@router.post("/appeals/{appeal_id}/decide", dependencies=[STAFF])
def decide_appeal(
    request: Request,
    appeal_id: int,
    session: SessionDep,
    outcome: Annotated[str, Form(max_length=20)] = "",
    statement: Annotated[str, Form(max_length=5000)] = "",
    explanation: Annotated[str, Form(max_length=5000)] = "",
    private_note: Annotated[str, Form(max_length=5000)] = "",
    new_action: Annotated[str, Form(max_length=20)] = "",
    rule_id: Annotated[str, Form(max_length=100)] = "",
) -> RedirectResponse:
    appeal = session.get(Appeal, appeal_id)
    back = _back(appeal.case_id) if appeal and appeal.case_id else "/moderation"
    return form_action(
        request,
        session,
        lambda: appeals.decide_appeal(
            session,
            appeal_id=appeal_id,
            moderator=caller(request).name,
            outcome=outcome,
            statement=explanation or statement,
            new_action=new_action or None,
            rule_id=rule_id or None,
            private_note=private_note,
        ),
        back=back,
        done=lambda _: (
            "/moderation?queue=appeals",
            t(request, "mod.decided", id=appeal.case_id if appeal else ""),
        ),
    )


@router.post("/cases/{case_id}/notes", dependencies=[STAFF])
def add_case_note(
    request: Request, case_id: int, session: SessionDep, text: Annotated[str, Form(max_length=4000)] = ""
) -> RedirectResponse:
    return form_action(
        request,
        session,
        lambda: notes.add_note(
            session, subject_type="case", subject_id=str(case_id), author=caller(request).name, text=text
        ),
        back=_back(case_id),
        done=lambda _: (_back(case_id) + "#h-notes", t(request, "mod.note_added")),
    )
