"""The state of a subject under enforcement: actions in force, visibility, account status, expiry, listings.

Visibility and account status are always *derived* from the actions in force (strongest wins), never set directly,
so reversing or expiring any action recomputes them the same way.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from townsquare import audit
from townsquare.audit.state import action_states
from townsquare.core import clock
from townsquare.core.enums import (
    POST_ACTIONS,
    STRENGTH,
    VISIBILITY_OF_ACTION,
    AccountStatus,
    ActionStatus,
    ActionType,
    SubjectType,
    Visibility,
)
from townsquare.core.errors import Invalid, NotFound
from townsquare.policy.engine import active_policy, policy_for_label
from townsquare.policy.rules import Rule
from townsquare.storage.models import Account, Action, Post

SYSTEM_ACTOR = "system"


def parse_enum(kind: type[Any], value: Any, what: str) -> Any:
    try:
        return kind(value)
    except ValueError:
        allowed = ", ".join(v.value for v in kind)
        raise Invalid(f"unknown {what} {value!r} (expected one of: {allowed})") from None


def in_force(action: Action, now: datetime) -> bool:
    return action.status == ActionStatus.ACTIVE.value and (
        action.ends_at is None or clock.as_utc(action.ends_at) > now
    )


def active_actions(
    session: Session, *, post_id: str | None = None, account_id: str | None = None
) -> list[Action]:
    query = select(Action).where(Action.status == ActionStatus.ACTIVE.value)
    query = (
        query.where(Action.post_id == post_id)
        if post_id is not None
        else query.where(Action.account_id == account_id, Action.subject_type == SubjectType.ACCOUNT.value)
    )
    now = clock.now()
    return [a for a in session.scalars(query.order_by(Action.id)) if in_force(a, now)]


def rule_of(session: Session, action: Action) -> Rule | None:
    """The rule an action cited, from the policy text it was taken under (else the current policy)."""
    ref = f"{action.rule_id}@{action.rule_version}"
    recorded = policy_for_label(session, action.policy_version)
    for policy in [p for p in (recorded, active_policy(session)) if p is not None]:
        try:
            return policy.rule(ref)
        except Invalid:
            continue
    return None


def refresh_post(session: Session, post: Post) -> None:
    """Visibility and public label = the strongest post action in force (visible when none)."""
    active = active_actions(session, post_id=post.id)
    acts = [a for a in active if ActionType(a.action) in POST_ACTIONS]
    strongest = max(acts, key=lambda a: (STRENGTH[ActionType(a.action)], -a.id), default=None)
    if strongest is None or ActionType(strongest.action) is ActionType.NONE:
        post.visibility, post.label_text = Visibility.VISIBLE.value, None
        return
    post.visibility = VISIBILITY_OF_ACTION[ActionType(strongest.action)].value
    from townsquare.policy.status import public_label  # the label says what is in force, interim or decided

    post.label_text = public_label(session, post.id, active)


def refresh_account(session: Session, account: Account) -> None:
    """Account status = the strongest account action in force."""
    acts = active_actions(session, account_id=account.id)
    kinds = {ActionType(a.action) for a in acts}
    suspensions = [
        clock.as_utc(a.ends_at) for a in acts if a.action == ActionType.SUSPEND.value and a.ends_at
    ]
    if ActionType.PERMANENT_BAN in kinds:
        account.status, account.suspended_until = AccountStatus.BANNED.value, None
    elif suspensions:
        account.status, account.suspended_until = AccountStatus.SUSPENDED.value, max(suspensions)
    elif ActionType.WARN in kinds:
        account.status, account.suspended_until = AccountStatus.WARNED.value, None
    else:
        account.status, account.suspended_until = AccountStatus.ACTIVE.value, None


def get_action(session: Session, action_id: int) -> Action:
    row = session.get(Action, action_id)
    if row is None:
        raise NotFound(f"unknown action {action_id}")
    return row


def refresh_subject(session: Session, row: Action) -> None:
    if row.post_id is not None and row.subject_type == SubjectType.POST.value:
        post = session.get(Post, row.post_id)
        if post is not None:
            refresh_post(session, post)
    elif row.account_id is not None:
        account = session.get(Account, row.account_id)
        if account is not None:
            refresh_account(session, account)


def expire_due(session: Session) -> int:
    """Mark actions whose end date has passed as expired (audited) and refresh their subjects."""
    now = clock.now()
    due = session.scalars(
        select(Action).where(
            Action.status == ActionStatus.ACTIVE.value, Action.ends_at.is_not(None), Action.ends_at <= now
        )
    ).all()
    for row in due:
        row.status = ActionStatus.EXPIRED.value
        session.flush()
        refresh_subject(session, row)
        audit.append(
            session,
            actor=SYSTEM_ACTOR,
            event="action.expired",
            subject_type=row.subject_type,
            subject_id=row.post_id or row.account_id or "",
            payload={"action_id": row.id, "puid": row.puid, "states": action_states(session, row)},
        )
    session.flush()
    return len(due)


def list_actions(
    session: Session, *, post_id: str | None = None, account_id: str | None = None
) -> list[Action]:
    """Actions on a post, or on an account (its own and those on its posts), newest first."""
    if post_id is not None:
        if session.get(Post, post_id) is None:
            raise NotFound(f"unknown post {post_id!r}")
        query = select(Action).where(Action.post_id == post_id)
    elif account_id is not None:
        if session.get(Account, account_id) is None:
            raise NotFound(f"unknown account {account_id!r}")
        query = select(Action).where(or_(Action.account_id == account_id))
    else:
        raise Invalid("name a post or an account")
    return list(session.scalars(query.order_by(Action.id.desc())))
