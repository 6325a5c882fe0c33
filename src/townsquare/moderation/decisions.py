"""Moderator decisions on claimed cases: one rule, an optional note, and the action through the standards engine.

The case is moved to ``decided`` first with the optimistic lock (claims.transition), then the action is applied
through ``policy.enforce.apply_action`` (which writes the statement of reasons, the audit record, visibility or
account status and strikes) and every reporter on the case is notified — all in the caller's transaction, so
either all of it commits or none of it does. Source type: ``SOURCE_ARTICLE_16`` when the case came from user
notices (it has reports), ``SOURCE_VOLUNTARY`` when the platform acted on its own initiative.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from townsquare import audit
from townsquare.core.enums import (
    ACCOUNT_ACTIONS,
    POST_ACTIONS,
    ActionStatus,
    ActionType,
    ActorKind,
    SubjectType,
)
from townsquare.core.errors import Forbidden, Invalid
from townsquare.moderation.cases import case_reports, case_subject_id
from townsquare.moderation.claims import fresh_case, mark_decided, require_claim
from townsquare.moderation.queues import load_queues
from townsquare.notices import reporters as notice_reporters
from townsquare.notices.authors import notify_action_taken
from townsquare.storage.models import Action, Case, CaseDecision, Post

SOURCE_NOTICE = "SOURCE_ARTICLE_16"
SOURCE_VOLUNTARY = "SOURCE_VOLUNTARY"
MAX_NOTE = 5000


def parse_action(value: str) -> ActionType:
    try:
        return ActionType(value)
    except ValueError:
        raise Invalid(f"unknown action {value!r}", allowed=[a.value for a in ActionType]) from None


def action_target(session: Session, case: Case, action: ActionType) -> tuple[str, str]:
    """Post actions hit the post; account actions hit the account (the post's author on a post case)."""
    if action in POST_ACTIONS:
        if case.subject_type != SubjectType.POST.value or case.post_id is None:
            raise Invalid(f"{action.value} applies to posts; this case is about an account")
        return SubjectType.POST.value, case.post_id
    if action in ACCOUNT_ACTIONS:
        if case.account_id is not None:
            return SubjectType.ACCOUNT.value, case.account_id
        post = session.get(Post, case.post_id)
        assert post is not None
        return SubjectType.ACCOUNT.value, post.author_id
    raise Invalid(f"unsupported action {action.value!r}")


def supersede_interim(session: Session, case: Case, moderator: str) -> list[int]:
    """Reverse the interim automated measure the pipeline took while proposing a stronger action.

    The human decision replaces it whatever it is: kept, the interim ``limit_reach`` would outlive a "no
    violation" decision, outrank a milder one, and give the author a second strike for the same post.
    """
    if case.post_id is None or not case.proposed_rule:
        return []
    rule_id = case.proposed_rule.split("@", 1)[0]
    interim = session.scalars(
        select(Action).where(
            Action.post_id == case.post_id,
            Action.subject_type == SubjectType.POST.value,
            Action.status == ActionStatus.ACTIVE.value,
            Action.actor_kind == ActorKind.AUTOMATION.value,
            Action.rule_id == rule_id,
        )
    ).all()
    from townsquare.policy import enforce

    for action in interim:
        enforce.reverse_action(
            session,
            action_id=action.id,
            actor=moderator,
            reason=f"Interim automated measure superseded by the human decision on case {case.id}.",
        )
    return [a.id for a in interim]


def apply_enforcement(session: Session, **kwargs: Any) -> Action:
    """The single door to enforcement: ``policy.enforce.apply_action`` (contract in docs/helpers/COMMON.md)."""
    from townsquare.policy import enforce

    action: Action = enforce.apply_action(session, **kwargs)
    return action


def enforce_by_moderator(
    session: Session,
    *,
    case: Case,
    target: tuple[str, str],
    action: ActionType,
    rule_id: str,
    moderator: str,
    source_type: str,
    reason: str,
    ends_at: datetime | None = None,
    explanation: str = "",
) -> Action:
    """A human decision on ``case`` (a case decision or an appeal's replacement): never flagged automated.

    ``reason`` is the private note, ``explanation`` the public one (statement of reasons, author's notice)."""
    return apply_enforcement(
        session,
        subject_type=target[0],
        subject_id=target[1],
        action=action,
        rule_id=rule_id,
        actor=moderator,
        actor_kind=ActorKind.MODERATOR,
        source_type=source_type,
        reason=reason,
        explanation=explanation,
        case_id=case.id,
        ends_at=ends_at,
        automated=False,
    )


def decide(
    session: Session,
    *,
    case_id: int,
    moderator: str,
    action: str,
    rule_id: str,
    note: str = "",
    ends_at: datetime | None = None,
    explanation: str = "",
    private_note: str = "",
) -> CaseDecision:
    """Decide a claimed case. ``action`` ``none`` = no action (reports rejected); any other creates an Action.

    ``explanation`` is public (the author's notice, the statement of reasons); ``private_note`` (or its old name
    ``note``) is for moderators, the council panel and auditors only and is never published.
    """
    act = parse_action(action)
    rule_id = (rule_id or "").strip()
    if not rule_id:
        raise Invalid("a decision must name the rule it applies (rule_id)")
    note = (private_note or note or "").strip()
    explanation = (explanation or "").strip()
    if len(note) > MAX_NOTE:
        raise Invalid(f"note longer than {MAX_NOTE} characters")
    if len(explanation) > MAX_NOTE:
        raise Invalid(f"explanation longer than {MAX_NOTE} characters")
    case = fresh_case(session, case_id)
    if case.origin == "appeal":
        raise Invalid("appeal cases are decided with the appeal decision (uphold / overturn / modify)")
    require_claim(case, moderator)
    queue = load_queues().get(case.queue)
    if act not in queue.allowed_actions:
        raise Forbidden(
            f"queue {queue.name!r} may not decide {act.value!r}; escalate the case to the senior queue",
            allowed=sorted(a.value for a in queue.allowed_actions),
        )
    target = action_target(session, case, act) if act is not ActionType.NONE else None
    now = mark_decided(session, case)
    reports = case_reports(session, case.id)
    superseded = supersede_interim(session, case, moderator)
    enforced: Action | None = None
    if target is not None:
        enforced = enforce_by_moderator(
            session,
            case=case,
            target=target,
            action=act,
            rule_id=rule_id,
            moderator=moderator,
            source_type=SOURCE_NOTICE if reports else SOURCE_VOLUNTARY,
            reason=note,
            explanation=explanation,
            ends_at=ends_at,
        )
    decision = CaseDecision(
        case_id=case.id,
        moderator=moderator,
        outcome="action" if enforced else "no_action",
        action=act.value,
        action_id=enforced.id if enforced else None,
        rule_id=rule_id,
        note=note,
        explanation=explanation,
        created_at=now,
    )
    session.add(decision)
    session.flush()
    extra = {
        "action": act.value,
        "rule_id": rule_id,
        "action_id": enforced.id if enforced else None,
        "puid": enforced.puid if enforced else None,
        "decided_at": now.isoformat(),
    }
    notice_reporters.case_decided(session, reports=reports, action=enforced, extra=extra)
    if enforced is not None and enforced.account_id:
        notify_action_taken(session, enforced, extra={"decided_at": now.isoformat()})
    audit.append(
        session,
        actor=moderator,
        event="case.decided",
        subject_type=case.subject_type,
        subject_id=case_subject_id(case),
        payload={
            "case_id": case.id,
            "decision_id": decision.id,
            **extra,
            "note": note,
            "explanation": explanation,
            "reports": len(reports),
            "superseded_interim_action_ids": superseded,
        },
    )
    return decision


def decision_public(d: CaseDecision) -> dict[str, Any]:
    return {
        "id": d.id,
        "case_id": d.case_id,
        "moderator": d.moderator,
        "outcome": d.outcome,
        "action": d.action,
        "action_id": d.action_id,
        "rule_id": d.rule_id,
        "explanation": d.explanation,
        "private_note": d.note,
        "note": d.note,
        "created_at": d.created_at.isoformat(),
    }
