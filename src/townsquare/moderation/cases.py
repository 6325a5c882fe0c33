"""Cases: one undecided case per subject, routed to a queue, ordered by priority.

State machine (``Case.status``)::

    open --claim--> claimed --decide--> decided            (terminal)
      ^               |  \\--refer (appeal of a ban)--> referred (terminal)
      +--release / expire / escalate (moves to the senior queue)

Every transition is one conditional ``UPDATE ... WHERE id = :id AND version = :read_version`` (see claims.py),
so two moderators can never both move the same case. ``open_key`` is unique while a case is undecided, so two
reports arriving at once for the same subject cannot open two cases.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from townsquare import audit
from townsquare.core import clock
from townsquare.core.enums import STRENGTH, ActionType, SubjectType
from townsquare.core.errors import Invalid, NotFound
from townsquare.moderation import credibility, priority
from townsquare.moderation.queues import load_queues
from townsquare.storage.models import Account, Assessment, Case, Post, Report

OPEN, CLAIMED, DECIDED, REFERRED = "open", "claimed", "decided", "referred"
STATUSES = (OPEN, CLAIMED, DECIDED, REFERRED)
UNDECIDED = (OPEN, CLAIMED)
ORIGINS = ("report", "automation", "appeal", "council_referral")


@dataclass(frozen=True)
class Subject:
    type: SubjectType
    id: str
    post: Post | None
    account: Account | None

    @property
    def author_id(self) -> str | None:
        return self.post.author_id if self.post else (self.account.id if self.account else None)


def resolve_subject(session: Session, subject_type: str, subject_id: str) -> Subject:
    """The post or account a report or case is about; unknown subject → NotFound (404)."""
    try:
        kind = SubjectType(subject_type)
    except ValueError:
        raise Invalid(f"subject_type must be one of {[s.value for s in SubjectType]}") from None
    if kind is SubjectType.POST:
        post = session.get(Post, subject_id)
        if post is None:
            raise NotFound(f"post {subject_id!r} not found", subject_type=kind.value, subject_id=subject_id)
        return Subject(kind, subject_id, post, None)
    account = session.get(Account, subject_id)
    if account is None:
        raise NotFound(f"account {subject_id!r} not found", subject_type=kind.value, subject_id=subject_id)
    return Subject(kind, subject_id, None, account)


def subject_key(subject_type: str, subject_id: str) -> str:
    return f"{subject_type}:{subject_id}"


def case_subject_id(case: Case) -> str:
    return str(case.post_id if case.subject_type == SubjectType.POST.value else case.account_id)


def latest_assessment(session: Session, post_id: str | None) -> Assessment | None:
    if post_id is None:
        return None
    return session.scalars(
        select(Assessment).where(Assessment.post_id == post_id).order_by(Assessment.id.desc()).limit(1)
    ).first()


def case_reports(session: Session, case_id: int) -> list[Report]:
    return list(session.scalars(select(Report).where(Report.case_id == case_id).order_by(Report.id)))


def recompute_priority(session: Session, case: Case, assessment: Assessment | None = None) -> float:
    """Refresh the stored priority (and rank key) from severity, reach, reports and credibility (`assessment`: the
    post's latest, when the caller has just read it)."""
    assessment = assessment or latest_assessment(session, case.post_id)
    post = session.get(Post, case.post_id) if case.post_id else None
    reports = case_reports(session, case.id) if case.id else []
    creds = credibility.credibilities(session, [r.reporter_id for r in reports])
    value = priority.priority(
        risk=assessment.risk if assessment else None,
        scores=assessment.scores if assessment else None,
        reach=post.reach if post else 0,
        credibilities=creds.values(),
        proposed=case.proposed_action is not None,
        claims=[(r.reason, creds.get(r.reporter_id, 0.5)) for r in reports],
    )
    case.priority = value
    case.rank_key = priority.rank_key(value, case.created_at or clock.now())
    return value


def opened_payload(
    case_id: int, queue: str, origin: str, proposed_action: str | None, proposed_rule: str | None
) -> dict[str, Any]:
    """The `case.opened` audit payload (`fresh_cases` writes the same for the cases it opens in bulk)."""
    return {
        "case_id": case_id,
        "queue": queue,
        "origin": origin,
        "proposed_action": proposed_action,
        "proposed_rule": proposed_rule,
    }


def find_open_case(session: Session, key: str) -> Case | None:
    return session.scalars(select(Case).where(Case.open_key == key)).first()


def open_case(
    session: Session,
    *,
    subject_type: str,
    subject_id: str,
    origin: str,
    proposed_action: str | None = None,
    proposed_rule: str | None = None,
    reasons: tuple[str, ...] = (),
    key: str | None = None,
    actor: str = "system",
) -> Case:
    """The undecided case on this subject, opened (routed, prioritised, audited) when there is none.

    Called by report intake and by the policy pipeline for proposals above the automation ceiling. An existing
    open case absorbs the new origin: a stronger automation proposal replaces a weaker one.
    """
    if origin not in ORIGINS:
        raise Invalid(f"origin must be one of {list(ORIGINS)}")
    if proposed_action is not None:
        proposed_action = ActionType(proposed_action).value
    subject = resolve_subject(session, subject_type, subject_id)
    open_key = key or subject_key(subject.type.value, subject.id)
    case = find_open_case(session, open_key)
    if case is not None:
        if proposed_action and (
            case.proposed_action is None
            or STRENGTH[ActionType(proposed_action)] > STRENGTH[ActionType(case.proposed_action)]
        ):
            case.proposed_action, case.proposed_rule = proposed_action, proposed_rule
        recompute_priority(session, case)
        return case
    assessment = latest_assessment(session, subject.post.id if subject.post else None)
    queue = load_queues().route(
        origin=origin,
        reasons=reasons,
        labels=[str(x) for x in (assessment.labels if assessment else [])],
        proposed_action=proposed_action,
    )
    case = Case(
        subject_type=subject.type.value,
        post_id=subject.post.id if subject.post else None,
        account_id=subject.account.id if subject.account else None,
        queue=queue,
        status=OPEN,
        origin=origin,
        proposed_action=proposed_action,
        proposed_rule=proposed_rule,
        open_key=open_key,
        created_at=clock.now(),
        version=0,
    )
    try:
        with session.begin_nested():
            session.add(case)
            session.flush()
    except IntegrityError:
        # Another transaction opened the case on this subject first: join it.
        existing = find_open_case(session, open_key)
        if existing is None:
            raise
        return existing
    recompute_priority(session, case, assessment)
    audit.append(
        session,
        actor=actor,
        event="case.opened",
        subject_type=subject.type.value,
        subject_id=subject.id,
        payload=opened_payload(case.id, queue, origin, proposed_action, proposed_rule),
    )
    session.flush()
    return case


def get_case(session: Session, case_id: int) -> Case:
    case = session.get(Case, case_id)
    if case is None:
        raise NotFound(f"case {case_id} not found", case_id=case_id)
    return case


def list_queue(
    session: Session,
    *,
    queue: str | None = None,
    status: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> list[Case]:
    """Undecided cases of a queue, most urgent first (effective priority, see priority.py)."""
    if queue is not None:
        load_queues().get(queue)
    stmt = select(Case)
    if status is None:
        stmt = stmt.where(Case.status.in_(UNDECIDED))
    else:
        if status not in STATUSES:
            raise Invalid(f"status must be one of {list(STATUSES)}")
        stmt = stmt.where(Case.status == status)
    if queue is not None:
        stmt = stmt.where(Case.queue == queue)
    stmt = stmt.order_by(Case.rank_key.desc(), Case.id).limit(max(1, min(limit, 500))).offset(max(0, offset))
    return list(session.scalars(stmt))
