"""Appeals: the author of an actioned post or account may appeal once per action.

An appeal becomes a case in the appeals queue, reviewed by a moderator other than the one who decided the
action (``Forbidden`` otherwise). Outcomes: ``uphold`` (action stays), ``overturn`` (action reversed through
``policy.enforce.reverse_action``) or ``modify`` (reversed and replaced by a weaker action), each with a
statement told to the appellant. An appeal against a permanent ban never reaches a moderator: it is referred to
the council at once (``council.cases.refer``); only a binding council decision can lift a ban.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from townsquare import audit
from townsquare.core import clock
from townsquare.core.enums import STRENGTH, ActionStatus, ActionType, ActorKind, SubjectType
from townsquare.core.errors import Conflict, Forbidden, Invalid, NotFound
from townsquare.moderation.cases import REFERRED, open_case
from townsquare.moderation.claims import fresh_case, mark_decided, require_claim
from townsquare.moderation.decisions import action_target, enforce_by_moderator, parse_action
from townsquare.moderation.queues import load_queues
from townsquare.moderation.reports import MAX_TEXT, TooLarge
from townsquare.notices import authors as notice_authors
from townsquare.notices import reporters as notice_reporters
from townsquare.storage.models import Action, Appeal, Case, CaseDecision, Notification, Post

OUTCOMES = {"uphold": "upheld", "overturn": "overturned", "modify": "modified"}


def action_author(session: Session, action: Action) -> str:
    if action.account_id:
        return action.account_id
    post = session.get(Post, action.post_id) if action.post_id else None
    if post is None:
        raise NotFound(f"subject of action {action.id} not found")
    return post.author_id


def original_deciders(session: Session, action: Action) -> set[str]:
    """Who decided the appealed action: its actor and any moderator who decided its case."""
    people = {action.actor} if action.actor_kind == ActorKind.MODERATOR.value and action.actor else set()
    if action.case_id is not None:
        people |= set(
            session.scalars(
                select(CaseDecision.moderator).where(
                    CaseDecision.case_id == action.case_id, CaseDecision.outcome != "escalate"
                )
            )
        )
    return people


def refer_to_council(
    session: Session, *, appeal: Appeal, action: Action, case_id: int | None, referred_by: str
) -> int:
    """``council.cases.refer`` (issue 6 contract): the council draws a panel and decides; bindingly or not."""
    question = (
        f"Should the permanent ban {action.puid} of account {action.account_id} under rule {action.rule_id} "
        f"be upheld or overturned? Appeal: {appeal.text[:500]}"
    )
    from townsquare.council import cases as council_cases

    ref = council_cases.refer(
        session,
        origin="appeal",
        appeal_id=appeal.id,
        action_id=action.id,
        case_id=case_id,
        question=question,
        referred_by=referred_by,
    )
    return int(ref.id)


def file_appeal(session: Session, *, action_id: int, appellant_id: str, text: str) -> tuple[Appeal, bool]:
    """Appeal an action. Returns (appeal, created); an identical retry returns the existing appeal."""
    text, appellant_id = (text or "").strip(), (appellant_id or "").strip()
    if not text:
        raise Invalid("an appeal needs a text explaining why the decision is wrong")
    if len(text) > MAX_TEXT:
        raise TooLarge(f"text longer than {MAX_TEXT} characters", max_chars=MAX_TEXT)
    action = session.get(Action, action_id)
    if action is None:
        raise NotFound(f"action {action_id} not found", action_id=action_id)
    author = action_author(session, action)
    if appellant_id != author:
        raise Forbidden("only the author of the actioned post or account may appeal it")
    existing = session.scalars(select(Appeal).where(Appeal.action_id == action_id)).first()
    if existing is not None:
        if existing.author_id == appellant_id and existing.text == text:
            return existing, False
        raise Conflict(
            f"action {action_id} was already appealed (appeal {existing.id})", appeal_id=existing.id
        )
    if action.status != ActionStatus.ACTIVE.value or action.action == ActionType.NONE.value:
        raise Conflict(f"action {action_id} is {action.status}; only actions in force can be appealed")
    appeal = Appeal(
        action_id=action.id, author_id=author, text=text, status="pending", created_at=clock.now()
    )
    try:
        with session.begin_nested():
            session.add(appeal)
            session.flush()
    except IntegrityError:
        raise Conflict(f"action {action_id} was already appealed") from None
    subject_type = action.subject_type
    subject_id = action.account_id if subject_type == SubjectType.ACCOUNT.value else action.post_id
    assert subject_id is not None
    if action.action == ActionType.PERMANENT_BAN.value:
        appeal.status = "referred"
        case = Case(
            subject_type=subject_type,
            post_id=action.post_id,
            account_id=action.account_id,
            queue=load_queues().council_queue,
            status=REFERRED,
            origin="council_referral",
            created_at=clock.now(),
            version=0,
        )
        session.add(case)
        session.flush()
        appeal.council_case_id = refer_to_council(
            session, appeal=appeal, action=action, case_id=case.id, referred_by="appeals"
        )
    else:
        case = open_case(
            session,
            subject_type=subject_type,
            subject_id=subject_id,
            origin="appeal",
            key=f"appeal:{action.id}",
            actor=f"author:{author}",
        )
    appeal.case_id = case.id
    session.flush()
    notice_authors.notify_appeal(session, appeal_id=appeal.id, kind="appeal_received")
    audit.append(
        session,
        actor=f"author:{author}",
        event="appeal.filed",
        subject_type=subject_type,
        subject_id=subject_id,
        payload={
            "appeal_id": appeal.id,
            "action_id": action.id,
            "case_id": case.id,
            "status": appeal.status,
            "council_case_id": appeal.council_case_id,
        },
    )
    return appeal, True


def get_appeal(session: Session, appeal_id: int) -> Appeal:
    appeal = session.get(Appeal, appeal_id)
    if appeal is None:
        raise NotFound(f"appeal {appeal_id} not found", appeal_id=appeal_id)
    return appeal


def decide_appeal(
    session: Session,
    *,
    appeal_id: int,
    moderator: str,
    outcome: str,
    statement: str,
    new_action: str | None = None,
    rule_id: str | None = None,
    private_note: str = "",
) -> Appeal:
    """Review an appeal (the reviewer must hold the claim on its case and not be the original decider).

    ``statement`` is the public explanation to the appellant (API field ``explanation``); ``private_note`` stays
    with moderators, the panel and auditors. Reporters whose report led to the action hear a changed outcome.
    """
    if outcome not in OUTCOMES:
        raise Invalid(f"outcome must be one of {sorted(OUTCOMES)}")
    statement = (statement or "").strip()
    private_note = (private_note or "").strip()
    if not statement:
        raise Invalid("an appeal decision needs a statement for the appellant")
    if len(private_note) > MAX_TEXT:
        raise TooLarge(f"private note longer than {MAX_TEXT} characters", max_chars=MAX_TEXT)
    appeal = get_appeal(session, appeal_id)
    if appeal.status != "pending":
        raise Conflict(f"appeal {appeal_id} is already {appeal.status}", status=appeal.status)
    action = session.get(Action, appeal.action_id)
    assert action is not None and appeal.case_id is not None
    if action.action == ActionType.PERMANENT_BAN.value:
        raise Forbidden("a permanent ban can only be lifted by a binding council decision")
    if moderator in original_deciders(session, action):
        raise Forbidden("an appeal is reviewed by a different moderator than the one who decided")
    case = fresh_case(session, appeal.case_id)
    require_claim(case, moderator)
    replacement: ActionType | None = None
    if outcome == "modify":
        replacement = _check_modify(session, case, action, new_action)
    now = mark_decided(session, case)
    replaced: Action | None = None
    if outcome in ("overturn", "modify"):
        _reverse(session, action_id=action.id, actor=moderator, reason=private_note or statement)
    if replacement is not None:
        target = action_target(session, case, replacement)
        replaced = enforce_by_moderator(
            session,
            case=case,
            target=target,
            action=replacement,
            rule_id=(rule_id or action.rule_id),
            moderator=moderator,
            source_type=action.source_type,
            reason=private_note,
            explanation=statement,
        )
    appeal.status = OUTCOMES[outcome]
    appeal.reviewer = moderator
    appeal.statement = statement
    appeal.private_note = private_note or None
    appeal.decided_at = now
    appeal.new_action_id = replaced.id if replaced else None
    session.add(
        CaseDecision(
            case_id=case.id,
            moderator=moderator,
            outcome=f"appeal_{outcome}",
            action=replacement.value if replacement else None,
            action_id=replaced.id if replaced else action.id,
            rule_id=rule_id or action.rule_id,
            note=private_note,
            explanation=statement,
            created_at=now,
        )
    )
    session.flush()
    notice_authors.notify_appeal(session, appeal_id=appeal.id)
    if outcome in ("overturn", "modify"):
        notice_reporters.action_reversed(session, action, by="appeal", replacement=replaced)
    audit.append(
        session,
        actor=moderator,
        event="appeal.decided",
        subject_type=action.subject_type,
        subject_id=str(
            action.post_id if action.subject_type == SubjectType.POST.value else action.account_id
        ),
        payload={
            "appeal_id": appeal.id,
            "action_id": action.id,
            "outcome": appeal.status,
            "new_action_id": appeal.new_action_id,
            "statement": statement,
            "private_note": private_note,
        },
    )
    return appeal


def _check_modify(session: Session, case: Case, action: Action, new_action: str | None) -> ActionType:
    if not new_action:
        raise Invalid("modify needs the replacing action (new_action)")
    repl = parse_action(new_action)
    old = ActionType(action.action)
    if repl is ActionType.NONE or repl == old:
        raise Invalid("modify replaces the action with a different one; use overturn to remove it")
    if STRENGTH[repl] > STRENGTH[old]:
        raise Invalid("an appeal may not make the decision harsher than the one appealed")
    if repl not in load_queues().get(case.queue).allowed_actions:
        raise Forbidden(f"queue {case.queue!r} may not apply {repl.value!r}")
    action_target(session, case, repl)
    return repl


def _reverse(session: Session, *, action_id: int, actor: str, reason: str) -> None:
    from townsquare.policy import enforce

    enforce.reverse_action(session, action_id=action_id, actor=actor, reason=reason)


def notify_outcome(session: Session, *, appeal_id: int) -> Notification:
    """Tell the appellant the appeal's current outcome (kept for callers; notices.authors does the work)."""
    get_appeal(session, appeal_id)
    return notice_authors.notify_appeal(session, appeal_id=appeal_id)


def appeal_public(appeal: Appeal) -> dict[str, Any]:
    return {
        "id": appeal.id,
        "action_id": appeal.action_id,
        "author_id": appeal.author_id,
        "text": appeal.text,
        "status": appeal.status,
        "case_id": appeal.case_id,
        "reviewer": appeal.reviewer,
        "statement": appeal.statement,
        "new_action_id": appeal.new_action_id,
        "council_case_id": appeal.council_case_id,
        "created_at": appeal.created_at.isoformat(),
        "decided_at": appeal.decided_at.isoformat() if appeal.decided_at else None,
    }
