"""Report intake: validate, rate-limit, merge repeats, attach to the subject's case.

One ``Report`` row per (reporter, subject). A repeat adds a submission entry (reason, text, time) and bumps
``count``; an identical resubmission (same reason, text and legal ground — a client retry) changes nothing, so
submission is idempotent. Rate limiting counts submission entries of the last hour, so retries are free.
A repeat on a subject whose case was already decided is kept on the report and answered at once with a
notification carrying the earlier outcome: a report never ends silently, and one reporter cannot reopen a
decided case by insisting.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from townsquare import audit
from townsquare.core import clock
from townsquare.core.errors import DomainError, Invalid, RateLimited
from townsquare.moderation.cases import UNDECIDED, get_case, open_case, recompute_priority, resolve_subject
from townsquare.moderation.taxonomy import BY_CODE, reason_codes
from townsquare.notices import reporters as notice_reporters
from townsquare.settings import get_settings
from townsquare.storage.models import Report

MAX_TEXT = 5000
MAX_LEGAL_GROUND = 1000
MAX_ID = 200


class TooLarge(DomainError):
    """413: a field is longer than we store (the whole body limit is enforced by the app)."""

    status = 413
    title = "Content too large"


def _clean(value: str | None) -> str:
    return (value or "").strip()


def validate(reporter_id: str, reason: str, text: str, legal_ground: str) -> None:
    if not reporter_id:
        raise Invalid("reporter_id is required (the platform's id of the reporting user)")
    if len(reporter_id) > MAX_ID:
        raise Invalid(f"reporter_id longer than {MAX_ID} characters")
    if not reason:
        raise Invalid("reason is required", allowed=reason_codes())
    spec = BY_CODE.get(reason)
    if spec is None:
        raise Invalid(f"unknown reason {reason!r}", allowed=reason_codes())
    if len(text) > MAX_TEXT:
        raise TooLarge(f"text longer than {MAX_TEXT} characters", max_chars=MAX_TEXT)
    if len(legal_ground) > MAX_LEGAL_GROUND:
        raise TooLarge(f"legal_ground longer than {MAX_LEGAL_GROUND} characters", max_chars=MAX_LEGAL_GROUND)
    if spec.needs_legal_ground and not legal_ground:
        raise Invalid("a report of illegal content must state its legal ground (law and provision)")
    if spec.needs_text and not text:
        raise Invalid(f"reason {reason!r} needs a text describing the problem")


def submissions_last_hour(session: Session, reporter_id: str) -> int:
    since = clock.now() - timedelta(hours=1)
    total = 0
    for texts in session.scalars(
        select(Report.texts).where(Report.reporter_id == reporter_id, Report.updated_at >= since)
    ):
        total += sum(1 for e in texts or [] if clock.as_utc(_parse(e.get("at"))) >= since)
    return total


def _parse(value: Any) -> datetime:
    """Submission time of an entry (entries are written by this module, always ISO 8601)."""
    return datetime.fromisoformat(value) if isinstance(value, str) else clock.now()


def _entry(reason: str, text: str, legal_ground: str) -> dict[str, Any]:
    return {
        "at": clock.now().isoformat(),
        "reason": reason,
        "text": text,
        "legal_ground": legal_ground or None,
    }


def _same(entry: dict[str, Any], reason: str, text: str, legal_ground: str) -> bool:
    return (
        entry.get("reason") == reason
        and entry.get("text", "") == text
        and (entry.get("legal_ground") or "") == legal_ground
    )


def find_report(session: Session, reporter_id: str, subject_type: str, subject_id: str) -> Report | None:
    return session.scalars(
        select(Report).where(
            Report.reporter_id == reporter_id,
            Report.subject_type == subject_type,
            Report.subject_id == subject_id,
        )
    ).first()


def submit_report(
    session: Session,
    *,
    reporter_id: str,
    subject_type: str,
    subject_id: str,
    reason: str,
    text: str = "",
    legal_ground: str | None = None,
) -> tuple[Report, bool]:
    """File (or add to) a report. Returns (report, changed): ``changed`` is False for an identical retry."""
    reporter_id, reason, text, ground = (
        _clean(reporter_id),
        _clean(reason),
        _clean(text),
        _clean(legal_ground),
    )
    validate(reporter_id, reason, text, ground)
    subject = resolve_subject(session, subject_type, subject_id)
    existing = find_report(session, reporter_id, subject.type.value, subject.id)
    if existing is not None and any(_same(e, reason, text, ground) for e in existing.texts or []):
        return existing, False
    limit = get_settings().report_rate_limit
    if submissions_last_hour(session, reporter_id) >= limit:
        raise RateLimited(
            f"reporter {reporter_id!r} filed {limit} reports in the last hour; try again later",
            limit=limit,
            window_seconds=3600,
        )
    if existing is None:
        report = Report(
            reporter_id=reporter_id,
            subject_type=subject.type.value,
            subject_id=subject.id,
            post_id=subject.post.id if subject.post else None,
            account_id=subject.account.id if subject.account else None,
            reason=reason,
            legal_ground=ground or None,
            texts=[_entry(reason, text, ground)],
            count=1,
            created_at=clock.now(),
            updated_at=clock.now(),
        )
        try:
            with session.begin_nested():
                session.add(report)
                session.flush()
        except IntegrityError:
            existing = find_report(session, reporter_id, subject.type.value, subject.id)
            if existing is None:
                raise
        else:
            case = open_case(
                session,
                subject_type=subject.type.value,
                subject_id=subject.id,
                origin="report",
                reasons=(reason,),
                actor=f"reporter:{reporter_id}",
            )
            report.case_id = case.id
            session.flush()
            recompute_priority(session, case)
            _audit(session, report, "report.received")
            return report, True
    return _add_to(session, existing, reason, text, ground), True


def _add_to(session: Session, report: Report, reason: str, text: str, ground: str) -> Report:
    report.texts = [*(report.texts or []), _entry(reason, text, ground)]
    report.count = (report.count or 0) + 1
    report.updated_at = clock.now()
    if ground and not report.legal_ground:
        report.legal_ground = ground
    session.flush()
    case = get_case(session, report.case_id) if report.case_id else None
    if case is not None and case.status in UNDECIDED:
        recompute_priority(session, case)
    elif report.outcome == "expired":
        # never reviewed: a new submission is a new notice, reviewed this time (a decided one is not reopened)
        case = open_case(
            session,
            subject_type=report.subject_type,
            subject_id=report.subject_id,
            origin="report",
            reasons=(reason,),
            actor=f"reporter:{report.reporter_id}",
        )
        report.case_id = case.id
        session.flush()
        recompute_priority(session, case)
        notice_reporters.reopen(session, report)
    elif report.outcome is not None:
        notice_reporters.notify_repeat(session, report)
    _audit(session, report, "report.repeated")
    return report


def _audit(session: Session, report: Report, event: str) -> None:
    audit.append(
        session,
        actor=f"reporter:{report.reporter_id}",
        event=event,
        subject_type=report.subject_type,
        subject_id=report.subject_id,
        payload={
            "report_id": report.id,
            "case_id": report.case_id,
            "reason": report.reason,
            "count": report.count,
        },
    )


def reports_of(session: Session, *, reporter_id: str, limit: int = 100, offset: int = 0) -> list[Report]:
    """A reporter's reports, newest first (the platform's "your reports" page)."""
    if not reporter_id:
        raise Invalid("reporter id required (X-Reporter-Id header or reporter_id)")
    stmt = select(Report).where(Report.reporter_id == reporter_id).order_by(Report.id.desc())
    return list(session.scalars(stmt.limit(max(1, min(limit, 500))).offset(max(0, offset))))


def report_public(report: Report) -> dict[str, Any]:
    spec = BY_CODE.get(report.reason)
    return {
        "id": report.id,
        "reporter_id": report.reporter_id,
        "subject_type": report.subject_type,
        "subject_id": report.subject_id,
        "reason": report.reason,
        "reason_label": {"en": spec.en, "fr": spec.fr} if spec else None,
        "legal_ground": report.legal_ground,
        "count": report.count,
        "submissions": list(report.texts or []),
        "case_id": report.case_id,
        "status": report.outcome or "pending",
        "created_at": report.created_at.isoformat() if report.created_at else None,
        "updated_at": report.updated_at.isoformat() if report.updated_at else None,
    }
