"""The single door to enforcement: apply an action, reverse one, lift a permanent ban (council only).

Every function here works in the caller's transaction and writes, together: the Action row with its statement of
reasons, the audit record, the new visibility or account status, and strikes. Any validation error is raised
before the first write, so bad input changes nothing. Nothing here takes advertiser input (invariant 1).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from townsquare import audit
from townsquare.audit.state import action_states
from townsquare.core import clock
from townsquare.core.enums import (
    ACCOUNT_ACTIONS,
    POST_ACTIONS,
    AccountStatus,
    ActionStatus,
    ActionType,
    ActorKind,
    SubjectType,
)
from townsquare.core.errors import Conflict, Forbidden, Invalid, NotFound
from townsquare.policy import strikes as strike_book
from townsquare.policy.ceiling import automation_ceiling, refuse_above
from townsquare.policy.engine import active_policy
from townsquare.policy.in_force import interim_for
from townsquare.policy.records import action_values, applied_payload, strike_payload
from townsquare.policy.rules import Policy, Rule
from townsquare.policy.subjects import (  # re-exported: the enforcement API in one place
    SYSTEM_ACTOR,
    active_actions,
    expire_due,
    get_action,
    list_actions,
    parse_enum,
    refresh_account,
    refresh_post,
    refresh_subject,
    rule_of,
)
from townsquare.storage.models import Account, Action, Case, CouncilCase, CouncilDecision, Post, Strike
from townsquare.transparency.statements import SOURCE_TYPES

MAX_REASON = 5000


def apply_action(
    session: Session,
    *,
    subject_type: str,
    subject_id: str,
    action: ActionType | str,
    rule_id: str,
    actor: str,
    actor_kind: ActorKind | str,
    source_type: str = "SOURCE_VOLUNTARY",
    reason: str = "",
    case_id: int | None = None,
    ends_at: datetime | None = None,
    automated: bool = False,
    fired_rules: list[str] | None = None,
    facts: str = "",
    explanation: str = "",
) -> Action:
    """Validate, then write the Action, its statement of reasons, audit record, visibility/status and strikes.

    `reason` is the actor's private note (moderators, panel and auditors only: the action record and the audit
    chain); `explanation` is the public one, written for the author, quoted in the statement and the notice.
    """
    stype = parse_enum(SubjectType, subject_type, "subject type")
    kind = parse_enum(ActionType, action, "action")
    akind = parse_enum(ActorKind, actor_kind, "actor kind")
    actor = (actor or "").strip()
    if not actor:
        raise Invalid("an action needs the actor who takes it")
    if source_type not in SOURCE_TYPES:
        raise Invalid(f"unknown source type {source_type!r} (expected one of: {', '.join(SOURCE_TYPES)})")
    if len(reason) > MAX_REASON:
        raise Invalid(f"reason longer than {MAX_REASON} characters")
    explanation = (explanation or "").strip()
    if len(explanation) > MAX_REASON:
        raise Invalid(f"explanation longer than {MAX_REASON} characters")
    if kind is ActionType.NONE:
        raise Invalid("action 'none' changes nothing; record a no-action decision instead")
    if stype is SubjectType.POST and kind not in POST_ACTIONS:
        raise Invalid(f"{kind.value} applies to accounts, not posts")
    if stype is SubjectType.ACCOUNT and kind not in ACCOUNT_ACTIONS:
        raise Invalid(f"{kind.value} applies to posts, not accounts")
    machine = automated or akind in (ActorKind.AUTOMATION, ActorKind.SYSTEM)
    if machine and kind is ActionType.PERMANENT_BAN:
        raise Forbidden(
            "automation may not permanently ban an account; only a person can decide a permanent ban"
        )
    if akind is ActorKind.AUTOMATION and kind in POST_ACTIONS:
        refuse_above(kind, automation_ceiling(session))
    post: Post | None = None
    account: Account | None = None
    if stype is SubjectType.POST:
        post = session.get(Post, subject_id)
        if post is None:
            raise NotFound(f"unknown post {subject_id!r}")
    else:
        account = session.get(Account, subject_id)
        if account is None:
            raise NotFound(f"unknown account {subject_id!r}")
    policy = active_policy(session)
    rule = policy.rule(rule_id)
    case = None
    if case_id is not None:
        case = session.get(Case, case_id)
        if case is None:
            raise NotFound(f"unknown case {case_id}")
    now = clock.now()
    if kind is ActionType.SUSPEND:
        ends_at = ends_at or now + timedelta(hours=_default_suspension_hours(policy))
    elif ends_at is not None and kind in ACCOUNT_ACTIONS:
        raise Invalid(f"{kind.value} has no end date; only a suspension ends")
    if ends_at is not None and clock.as_utc(ends_at) <= now:
        raise Invalid("ends_at must be in the future")
    if account is not None and account.status == AccountStatus.BANNED.value:
        raise Conflict(f"account {account.id!r} is permanently banned; no further account action applies")
    existing = (
        active_actions(session, post_id=post.id) if post else active_actions(session, account_id=subject_id)
    )
    for other in existing:
        if machine and other.action == kind.value and other.rule_id == rule.id:
            raise Conflict(
                f"the same action is already in force (action {other.id}, {other.puid})", action_id=other.id
            )
    if post is not None and not machine:
        # A person's decision replaces automation's interim measures on the post (stronger or weaker).
        _supersede_automated(session, post.id, actor=actor, reason="superseded by a human decision")

    fired = list(fired_rules) if fired_rules else [rule.ref]
    interim = interim_for(
        automated=machine, actor_kind=akind.value, subject_type=stype.value, applied=kind.value, rule=rule
    )
    row = Action(
        **action_values(
            stype=stype,
            post=post,
            account_id=post.author_id if post else subject_id,
            content_language=(post.lang if post else account.lang if account else None),
            kind=kind,
            rule=rule,
            policy=policy,
            fired=fired,
            akind=akind,
            actor=actor,
            source_type=source_type,
            machine=machine,
            reason=reason,
            explanation=explanation,
            case=case,
            ends_at=ends_at,
            now=now,
            facts=facts,
            interim=interim,
        )
    )
    session.add(row)
    session.flush()
    if post is not None:
        refresh_post(session, post)
    if account is not None:
        refresh_account(session, account)
    audit.append(
        session,
        actor=actor,
        event="action.applied",
        subject_type=stype.value,
        subject_id=subject_id,
        payload=applied_payload(
            row,
            rule=rule,
            policy=policy,
            interim=interim,
            states=action_states(session, row),
        ),
    )
    if post is not None and rule.strike > 0:
        _add_strike(session, policy, rule, row, post.author_id)
    session.flush()
    return row


def _supersede_automated(session: Session, post_id: str, *, actor: str, reason: str) -> list[Action]:
    """Close the automated post actions in force on a post (audited as `action.superseded`), strikes revoked."""
    closed = []
    for other in active_actions(session, post_id=post_id):
        if other.automated and other.subject_type == SubjectType.POST.value:
            closed.append(
                _reverse(session, other, actor=actor, reason=reason, event="action.superseded", extra={})
            )
    return closed


def release_interim(session: Session, *, post_id: str, actor: str, reason: str) -> list[Action]:
    """A person found no violation: lift automation's interim measures on the post (moderation calls this)."""
    if session.get(Post, post_id) is None:
        raise NotFound(f"unknown post {post_id!r}")
    actor, reason = (actor or "").strip(), (reason or "").strip()
    if not actor or not reason:
        raise Invalid("releasing interim measures needs an actor and a reason")
    return _supersede_automated(session, post_id, actor=actor, reason=reason)


def _default_suspension_hours(policy: Policy) -> int:
    hours = [t.hours for t in policy.strikes.thresholds if t.action is ActionType.SUSPEND and t.hours]
    return min(hours) if hours else 72


def _add_strike(session: Session, policy: Policy, rule: Rule, action: Action, account_id: str) -> None:
    """A strike for the author; crossing a threshold suspends (automatically) or opens a ban proposal case."""
    now = clock.now()
    if action.post_id is not None:
        same = session.scalar(
            select(Strike.id)
            .join(Action, Action.id == Strike.action_id)
            .where(Action.post_id == action.post_id, Strike.rule_id == rule.ref, Strike.revoked_at.is_(None))
            .where(Strike.action_id != action.id)
            .limit(1)
        )
        if same is not None:
            return  # one strike per post and rule, however many actions follow
    before = strike_book.active_weight(session, account_id, now)
    strike = Strike(
        account_id=account_id,
        action_id=action.id,
        rule_id=rule.ref,
        weight=rule.strike,
        created_at=now,
        expires_at=now + policy.strikes.expiry(rule),
    )
    session.add(strike)
    session.flush()
    after = before + rule.strike
    audit.append(
        session,
        actor=SYSTEM_ACTOR,
        event="strike.added",
        subject_type=SubjectType.ACCOUNT.value,
        subject_id=account_id,
        payload=strike_payload(strike, rule=rule, active_weight=after),
    )
    account = session.get(Account, account_id)
    if account is None or account.status == AccountStatus.BANNED.value:
        return
    for threshold in policy.strikes.crossed(before, after):
        facts = (
            f"The account reached {after:g} active strike weight (threshold {threshold.at:g}) under "
            f"{policy.strikes.ref}; strikes expire after {policy.strikes.expiry_days} days."
        )
        if threshold.action is ActionType.PERMANENT_BAN:
            from townsquare.policy.cases import propose

            propose(
                session,
                subject_type=SubjectType.ACCOUNT.value,
                subject_id=account_id,
                proposed_action=ActionType.PERMANENT_BAN,
                proposed_rule=policy.strikes.ref,
            )
            continue
        in_force = active_actions(session, account_id=account_id)
        if any(a.action == threshold.action.value and a.rule_id == policy.strikes.id for a in in_force):
            continue
        apply_action(
            session,
            subject_type=SubjectType.ACCOUNT.value,
            subject_id=account_id,
            action=threshold.action,
            rule_id=policy.strikes.ref,
            actor=SYSTEM_ACTOR,
            actor_kind=ActorKind.SYSTEM,
            automated=True,
            ends_at=now + timedelta(hours=threshold.hours) if threshold.hours else None,
            facts=facts,
        )


def reverse_action(session: Session, *, action_id: int, actor: str, reason: str) -> Action:
    """Reverse an action (and revoke its strikes). Never a permanent ban: only a binding council decision lifts one."""
    row = get_action(session, action_id)
    actor, reason = (actor or "").strip(), (reason or "").strip()
    if row.action == ActionType.PERMANENT_BAN.value:
        raise Forbidden("a permanent ban can only be lifted by applying a binding council decision")
    if not actor:
        raise Invalid("a reversal needs the actor who takes it")
    if not reason:
        raise Invalid("a reversal needs a reason")
    if len(reason) > MAX_REASON:
        raise Invalid(f"reason longer than {MAX_REASON} characters")
    if row.status != ActionStatus.ACTIVE.value:
        raise Conflict(f"action {row.id} is {row.status}, not active", action_status=row.status)
    return _reverse(session, row, actor=actor, reason=reason, event="action.reversed", extra={})


def _reverse(
    session: Session, row: Action, *, actor: str, reason: str, event: str, extra: dict[str, Any]
) -> Action:
    now = clock.now()
    row.status = ActionStatus.REVERSED.value
    row.reversed_at, row.reversed_by, row.reversal_reason = now, actor, reason
    revoked = strike_book.revoke_for_action(session, row.id)
    session.flush()
    refresh_subject(session, row)
    audit.append(
        session,
        actor=actor,
        event=event,
        subject_type=row.subject_type,
        subject_id=(row.post_id if row.subject_type == SubjectType.POST.value else row.account_id) or "",
        payload={
            "action_id": row.id,
            "puid": row.puid,
            "action": row.action,
            "rule": f"{row.rule_id}@{row.rule_version}",
            "reason": reason,
            "strikes_revoked": revoked,
            **extra,
            "states": action_states(session, row),
        },
    )
    session.flush()
    return row


def lift_permanent_ban(session: Session, *, decision: CouncilDecision, actor: str) -> Action:
    """The only way a permanent ban ends: a binding council decision whose outcome is `overturn`."""
    if not isinstance(decision, CouncilDecision) or decision.id is None:
        raise Forbidden("a permanent ban can only be lifted by a stored council decision")
    stored = session.get(CouncilDecision, decision.id)
    if stored is None or stored.binding is not True or stored.outcome not in ("overturn", "modify"):
        raise Forbidden("only a binding council decision to overturn (or modify) lifts a permanent ban")
    if stored.applied_action_id is not None:
        raise Conflict(f"council decision {stored.id} was already applied")
    ccase = session.get(CouncilCase, stored.council_case_id)
    if ccase is None or ccase.action_id is None:
        raise Invalid(f"council decision {stored.id} does not concern an enforcement action")
    row = get_action(session, ccase.action_id)
    if row.action != ActionType.PERMANENT_BAN.value:
        raise Invalid(f"action {row.id} is {row.action}, not a permanent ban")
    if row.status != ActionStatus.ACTIVE.value:
        raise Conflict(f"action {row.id} is {row.status}, not active")
    reason = f"Binding council decision {stored.id} (council case {ccase.id}): {stored.outcome}"
    return _reverse(
        session,
        row,
        actor=actor or "council",
        reason=reason,
        event="ban.lifted",
        extra={"council_decision_id": stored.id, "council_case_id": ccase.id},
    )


__all__ = [
    "SYSTEM_ACTOR",
    "apply_action",
    "expire_due",
    "get_action",
    "lift_permanent_ban",
    "list_actions",
    "refresh_account",
    "refresh_post",
    "release_interim",
    "reverse_action",
    "rule_of",
]
