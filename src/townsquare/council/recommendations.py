"""Policy recommendations attached to decisions, and the platform's answers.

The platform must answer each recommendation (accepted, or rejected with a reason) by its deadline; an
unanswered recommendation past its deadline is shown publicly as overdue, and a late answer stays marked late.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from townsquare import audit
from townsquare.core import clock
from townsquare.core.errors import Conflict, Forbidden, Invalid, NotFound
from townsquare.council import cases as council_cases
from townsquare.council.decisions import get_decision
from townsquare.settings import get_settings
from townsquare.storage.models import Recommendation

ANSWERS = ("accepted", "rejected")
MAX_TEXT = 10_000


def add(
    session: Session, *, decision_id: int, text_en: str, text_fr: str, key_name: str, days: int | None = None
) -> Recommendation:
    """A panel member of the decided case attaches a recommendation in English and French."""
    decision = get_decision(session, decision_id)
    member = council_cases.member_for_key(session, key_name)
    if member.id not in {s.member_id for s in council_cases.seats(session, decision.council_case_id)}:
        raise Forbidden("only a member of the panel that decided this case may attach a recommendation")
    text_en, text_fr = (text_en or "").strip(), (text_fr or "").strip()
    if not text_en or not text_fr:
        raise Invalid("a recommendation needs its text in English and in French")
    if max(len(text_en), len(text_fr)) > MAX_TEXT:
        raise Invalid(f"recommendation longer than {MAX_TEXT} characters")
    n_days = days if days is not None else get_settings().council_recommendation_days
    row = Recommendation(
        decision_id=decision.id,
        text={"en": text_en, "fr": text_fr},
        deadline=clock.now() + timedelta(days=n_days),
        created_at=clock.now(),
    )
    session.add(row)
    session.flush()
    audit.append(
        session,
        actor=key_name,
        event="council.recommendation",
        subject_type="council_decision",
        subject_id=str(decision.id),
        payload={"recommendation_id": row.id, "text": row.text, "deadline": row.deadline.isoformat()},
    )
    return row


def answer(
    session: Session, *, recommendation_id: int, answer: str, reason: str, actor: str
) -> Recommendation:
    """The platform's answer: accepted, or rejected with a reason. Answered once."""
    row = session.get(Recommendation, recommendation_id)
    if row is None:
        raise NotFound(f"recommendation {recommendation_id} not found")
    if answer not in ANSWERS:
        raise Invalid(f"answer must be one of {', '.join(ANSWERS)}")
    reason = (reason or "").strip()
    if answer == "rejected" and not reason:
        raise Invalid("a rejection needs a reason")
    if row.answer is not None:
        raise Conflict(f"recommendation {recommendation_id} was already answered ({row.answer})")
    row.answer, row.answer_reason, row.answered_at = answer, reason, clock.now()
    session.flush()
    audit.append(
        session,
        actor=actor,
        event="council.recommendation_answered",
        subject_type="recommendation",
        subject_id=str(row.id),
        payload={"answer": answer, "reason": reason, "late": _late(row)},
    )
    return row


def _late(row: Recommendation) -> bool:
    return row.answered_at is not None and clock.as_utc(row.answered_at) > clock.as_utc(row.deadline)


def overdue(row: Recommendation) -> bool:
    return row.answer is None and clock.now() > clock.as_utc(row.deadline)


def for_decision(session: Session, decision_id: int) -> list[Recommendation]:
    return list(
        session.scalars(
            select(Recommendation)
            .where(Recommendation.decision_id == decision_id)
            .order_by(Recommendation.id)
        )
    )


def list_all(session: Session, *, only_overdue: bool = False) -> list[Recommendation]:
    rows = list(session.scalars(select(Recommendation).order_by(Recommendation.id)))
    return [r for r in rows if overdue(r)] if only_overdue else rows


def public_view(row: Recommendation) -> dict[str, Any]:
    return {
        "id": row.id,
        "decision_id": row.decision_id,
        "text": row.text,
        "deadline": clock.as_utc(row.deadline).isoformat(),
        "answer": row.answer,
        "answer_reason": row.answer_reason,
        "answered_at": clock.as_utc(row.answered_at).isoformat() if row.answered_at else None,
        "overdue": overdue(row),
        "answered_late": _late(row),
    }
