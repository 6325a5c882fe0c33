"""Claims: a moderator reserves a case for a limited time; every state change is an optimistic-lock UPDATE.

``transition`` issues ``UPDATE cases SET ..., version = version + 1 WHERE id = :id AND version = :read``. On
PostgreSQL the second of two concurrent updates waits for the first's row lock, then re-checks the WHERE clause
against the committed row and matches nothing; on SQLite writers are serialised by ``BEGIN IMMEDIATE`` and the
loser reads the new version. Either way exactly one wins and the other gets ``Conflict`` (409), with no
``SELECT ... FOR UPDATE`` (which SQLite lacks) and no lost update.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, update
from sqlalchemy.orm import Session

from townsquare import audit
from townsquare.core import clock
from townsquare.core.errors import Conflict, Forbidden, Invalid, NotFound
from townsquare.moderation.cases import (
    CLAIMED,
    DECIDED,
    OPEN,
    UNDECIDED,
    case_subject_id,
    get_case,
    list_queue,
)
from townsquare.moderation.queues import load_queues
from townsquare.settings import get_settings
from townsquare.storage.models import Case, CaseDecision


def transition(session: Session, case: Case, **values: Any) -> Case:
    """Apply ``values`` only if nobody changed the case since we read it; else Conflict."""
    read_version = case.version
    result = cast(
        "CursorResult[Any]",
        session.execute(
            update(Case)
            .where(Case.id == case.id, Case.version == read_version)
            .values(version=read_version + 1, **values)
            .execution_options(synchronize_session=False)
        ),
    )
    if result.rowcount != 1:
        session.expire(case)
        raise Conflict(f"case {case.id} was changed by someone else; reload it", case_id=case.id)
    session.refresh(case)
    return case


def mark_decided(session: Session, case: Case) -> datetime:
    """Close ``case`` as decided (releases its claim and open key); returns the decision time."""
    now = clock.now()
    transition(
        session,
        case,
        status=DECIDED,
        decided_at=now,
        open_key=None,
        claim_expires_at=None,
        first_action_at=case.first_action_at or now,
    )
    return now


def claim_active(case: Case, now: datetime | None = None) -> bool:
    return (
        case.status == CLAIMED
        and case.claim_expires_at is not None
        and clock.as_utc(case.claim_expires_at) > (now or clock.now())
    )


def fresh_case(session: Session, case_id: int) -> Case:
    case = get_case(session, case_id)
    session.refresh(case)
    return case


def claim(session: Session, *, case_id: int, moderator: str, timeout_seconds: int | None = None) -> Case:
    """Reserve a case (or extend one's own claim). Held by someone else and not expired → Conflict."""
    if not moderator:
        raise Invalid("moderator identity required")
    case = fresh_case(session, case_id)
    now = clock.now()
    if case.status not in UNDECIDED:
        raise Conflict(f"case {case_id} is already {case.status}", case_id=case_id, status=case.status)
    if not load_queues().get(case.queue).allowed_actions:
        raise Forbidden(f"cases in queue {case.queue!r} are decided by the council, not claimed")
    if claim_active(case, now) and case.claimed_by != moderator:
        raise Conflict(
            f"case {case_id} is claimed by another moderator until {case.claim_expires_at}",
            case_id=case_id,
            claimed_by=case.claimed_by,
        )
    timeout = timeout_seconds or get_settings().claim_timeout_seconds
    transition(
        session,
        case,
        status=CLAIMED,
        claimed_by=moderator,
        claim_expires_at=now + timedelta(seconds=timeout),
    )
    audit.append(
        session,
        actor=moderator,
        event="case.claimed",
        subject_type=case.subject_type,
        subject_id=case_subject_id(case),
        payload={"case_id": case.id, "expires_at": str(case.claim_expires_at)},
    )
    return case


def require_claim(case: Case, moderator: str) -> None:
    """The caller must hold a live claim on the case to decide or escalate it."""
    if case.status not in UNDECIDED:
        raise Conflict(f"case {case.id} is already {case.status}", case_id=case.id, status=case.status)
    if not claim_active(case) or case.claimed_by != moderator:
        raise Conflict(
            f"claim case {case.id} first (unclaimed, expired or held by another moderator)",
            case_id=case.id,
            claimed_by=case.claimed_by if claim_active(case) else None,
        )


def release(session: Session, *, case_id: int, moderator: str) -> Case:
    case = fresh_case(session, case_id)
    require_claim(case, moderator)
    transition(session, case, status=OPEN, claimed_by=None, claim_expires_at=None)
    audit.append(
        session,
        actor=moderator,
        event="case.released",
        subject_type=case.subject_type,
        subject_id=case_subject_id(case),
        payload={"case_id": case.id},
    )
    return case


def expire_claims(session: Session) -> int:
    """Return timed-out claims to the open pool (one atomic UPDATE); claim() also ignores expired claims."""
    now = clock.now()
    result = cast(
        "CursorResult[Any]",
        session.execute(
            update(Case)
            .where(Case.status == CLAIMED, Case.claim_expires_at <= now)
            .values(status=OPEN, claimed_by=None, claim_expires_at=None, version=Case.version + 1)
            .execution_options(synchronize_session=False)
        ),
    )
    session.expire_all()
    return int(result.rowcount or 0)


def escalate(session: Session, *, case_id: int, moderator: str, note: str = "") -> Case:
    """Hand a claimed case to the senior queue (unclaimed, flagged escalated)."""
    case = fresh_case(session, case_id)
    require_claim(case, moderator)
    senior = load_queues().senior_queue
    if case.queue == senior:
        raise Invalid(f"case {case_id} is already in the senior queue")
    now = clock.now()
    from_queue = case.queue
    transition(
        session,
        case,
        status=OPEN,
        queue=senior,
        claimed_by=None,
        claim_expires_at=None,
        escalated=True,
        escalated_by=moderator,
        escalation_note=note,
        first_action_at=case.first_action_at or now,
    )
    session.add(
        CaseDecision(case_id=case.id, moderator=moderator, outcome="escalate", note=note, created_at=now)
    )
    audit.append(
        session,
        actor=moderator,
        event="case.escalated",
        subject_type=case.subject_type,
        subject_id=case_subject_id(case),
        payload={"case_id": case.id, "from": from_queue, "to": senior, "note": note},
    )
    session.flush()
    return case


def claim_next(session: Session, *, queue: str, moderator: str) -> Case:
    """Claim the most urgent unclaimed case of a queue (skipping ones another moderator holds)."""
    now = clock.now()
    for case in list_queue(session, queue=queue, limit=50):
        if claim_active(case, now) and case.claimed_by != moderator:
            continue
        try:
            with session.begin_nested():
                return claim(session, case_id=case.id, moderator=moderator)
        except Conflict:
            continue
    raise NotFound(f"no unclaimed case in queue {queue!r}", queue=queue)
