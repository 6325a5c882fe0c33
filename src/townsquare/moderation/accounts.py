"""The account file a moderator reads before acting on a person, and the account actions taken from it.

The file gathers everything about one account: its posts (with risk and the action in force), the reports about
it and its posts, the reports it filed itself, every action and strike, its cases and the staff notes. Account
actions (warn, suspend for N days) and lifting an action go through ``policy.enforce`` like every other decision,
with a rule, a public explanation and a private note; a permanent ban is never imposed from here (it is a senior
queue decision) and never lifted from here (only a binding council decision can, ``reverse_action`` refuses).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from townsquare.core import clock
from townsquare.core.enums import ActionType, ActorKind, SubjectType
from townsquare.core.errors import Invalid, NotFound
from townsquare.moderation import notes
from townsquare.moderation.reports import report_public
from townsquare.moderation.view import author_history, case_public, latest_assessments
from townsquare.storage.models import Account, Action, Case, Post, Report

PAGE_ACTIONS = (ActionType.WARN, ActionType.SUSPEND)
MAX_SUSPEND_DAYS = 365
LIST_LIMIT = 100


def account_file(session: Session, account_id: str) -> dict[str, Any]:
    """Everything staff need about an account (404 when unknown)."""
    account = session.get(Account, account_id)
    if account is None:
        raise NotFound(f"account {account_id!r} not found", account_id=account_id)
    post_rows = list(
        session.scalars(
            select(Post)
            .where(Post.author_id == account_id)
            .order_by(Post.created_at.desc())
            .limit(LIST_LIMIT)
        )
    )
    latest = latest_assessments(session, {p.id for p in post_rows})
    post_ids = select(Post.id).where(Post.author_id == account_id)
    about = list(
        session.scalars(
            select(Report)
            .where(or_(Report.account_id == account_id, Report.post_id.in_(post_ids)))
            .order_by(Report.id.desc())
            .limit(LIST_LIMIT)
        )
    )
    filed = list(
        session.scalars(
            select(Report)
            .where(Report.reporter_id == account_id)
            .order_by(Report.id.desc())
            .limit(LIST_LIMIT)
        )
    )
    case_rows = list(
        session.scalars(
            select(Case)
            .where(or_(Case.account_id == account_id, Case.post_id.in_(post_ids)))
            .order_by(Case.id.desc())
            .limit(LIST_LIMIT)
        )
    )
    total_posts = session.scalar(select(func.count()).select_from(Post).where(Post.author_id == account_id))
    history = author_history(session, account_id)
    return {
        "account": {
            "id": account.id,
            "handle": account.handle,
            "display_name": account.display_name,
            "lang": account.lang,
            "status": account.status,
            "suspended_until": account.suspended_until.isoformat() if account.suspended_until else None,
            "created_at": account.created_at.isoformat(),
            "posts": int(total_posts or 0),
        },
        "posts": [
            {
                "id": p.id,
                "text": p.text,
                "lang": p.lang,
                "visibility": p.visibility,
                "reach": p.reach,
                "created_at": p.created_at.isoformat(),
                "risk": latest[p.id].risk if p.id in latest else None,
            }
            for p in post_rows
        ],
        "reports_about": [report_public(r) for r in about],
        "reports_filed": [report_public(r) for r in filed],
        "actions": history["actions"],
        "strikes": history["strikes"],
        "active_strikes": history["active_strikes"],
        "strike_weight": history["strike_weight"],
        "cases": [case_public(c) for c in case_rows],
        "notes": [notes.note_public(n) for n in notes.notes_for_account_file(session, account_id)],
    }


def act_on_account(
    session: Session,
    *,
    account_id: str,
    moderator: str,
    action: str,
    rule_id: str,
    explanation: str,
    private_note: str = "",
    days: int | None = None,
) -> Action:
    """Warn or suspend an account (statement of reasons, audit, strikes, notice: all via policy.enforce)."""
    try:
        kind = ActionType(action)
    except ValueError:
        raise Invalid(f"unknown action {action!r}") from None
    if kind not in PAGE_ACTIONS:
        raise Invalid(
            f"{kind.value!r} is not taken from the account page (a ban is a senior-queue decision)",
            allowed=[a.value for a in PAGE_ACTIONS],
        )
    if session.get(Account, account_id) is None:
        raise NotFound(f"account {account_id!r} not found", account_id=account_id)
    if not (explanation or "").strip():
        raise Invalid("an account action needs a public explanation for the account holder")
    ends_at = None
    if kind is ActionType.SUSPEND:
        if days is None or not 1 <= days <= MAX_SUSPEND_DAYS:
            raise Invalid(f"a suspension lasts 1 to {MAX_SUSPEND_DAYS} days (days)")
        ends_at = clock.now() + timedelta(days=days)
    from townsquare.policy import enforce

    taken: Action = enforce.apply_action(
        session,
        subject_type=SubjectType.ACCOUNT.value,
        subject_id=account_id,
        action=kind,
        rule_id=rule_id,
        actor=moderator,
        actor_kind=ActorKind.MODERATOR,
        reason=(private_note or "").strip(),
        explanation=explanation.strip(),
        ends_at=ends_at,
    )
    return taken


def lift_action(session: Session, *, account_id: str, action_id: int, moderator: str, reason: str) -> Action:
    """Reverse one action on this account or its posts (a permanent ban is refused by policy.enforce: 403)."""
    act = session.get(Action, action_id)
    owner = None
    if act is not None:
        post = session.get(Post, act.post_id) if act.post_id else None
        owner = act.account_id or (post.author_id if post else None)
    if act is None or owner != account_id:
        raise NotFound(f"action {action_id} not found on account {account_id!r}")
    if not (reason or "").strip():
        raise Invalid("lifting an action needs a reason")
    from townsquare.policy import enforce

    lifted: Action = enforce.reverse_action(
        session, action_id=action_id, actor=moderator, reason=reason.strip()
    )
    return lifted
