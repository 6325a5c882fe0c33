"""A person acting directly (``POST /api/v1/actions``, ``townsquare policy act``) on a reported subject.

The reports on that subject are user notices: the action is recorded as ``SOURCE_ARTICLE_16`` (not voluntary),
cites the open case, and closes that case and its reports — whose reporters are told what was done. Without this,
an admin's action left the reports `pending` and the case open forever.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from townsquare import audit
from townsquare.core import clock
from townsquare.core.enums import ActorKind, SubjectType
from townsquare.notices import reporters
from townsquare.storage.models import Action, Case, Report

SOURCE_NOTICE = "SOURCE_ARTICLE_16"
SOURCE_VOLUNTARY = "SOURCE_VOLUNTARY"
UNDECIDED = ("open", "claimed")


def pending_reports(session: Session, subject_type: str, subject_id: str) -> list[Report]:
    return list(
        session.scalars(
            select(Report)
            .where(
                Report.subject_type == subject_type, Report.subject_id == subject_id, Report.outcome.is_(None)
            )
            .order_by(Report.id)
        )
    )


def open_subject_case(session: Session, subject_type: str, subject_id: str) -> Case | None:
    """The undecided case of the subject (`open_key` = `<type>:<id>` while undecided)."""
    return session.scalars(
        select(Case).where(Case.open_key == f"{subject_type}:{subject_id}", Case.status.in_(UNDECIDED))
    ).first()


def close_case(
    session: Session, case: Case, *, status: str, actor: str, event: str, extra: dict[str, Any]
) -> None:
    """Close an undecided case (claim released, open key freed) with an audit record."""
    now = clock.now()
    case.status, case.decided_at, case.open_key = status, now, None
    case.claimed_by, case.claim_expires_at = None, None
    case.first_action_at = case.first_action_at or now
    case.version = (case.version or 0) + 1
    session.flush()
    audit.append(
        session,
        actor=actor,
        event=event,
        subject_type=case.subject_type,
        subject_id=str(case.post_id or case.account_id or ""),
        payload={"case_id": case.id, "status": status, **extra},
    )


def take_manual_action(
    session: Session,
    *,
    subject_type: str,
    subject_id: str,
    action: Any,
    rule_id: str,
    actor: str,
    explanation: str,
    private_note: str = "",
    source_type: str = SOURCE_VOLUNTARY,
    case_id: int | None = None,
    ends_at: datetime | None = None,
) -> Action:
    """Apply a person's action; on a reported subject it answers the notices (source, case, reporters)."""
    from townsquare.policy.enforce import apply_action

    reports = pending_reports(session, subject_type, subject_id)
    case = (
        open_subject_case(session, subject_type, subject_id)
        if case_id is None
        else session.get(Case, case_id)
    )
    if reports and source_type == SOURCE_VOLUNTARY:
        source_type = SOURCE_NOTICE
    row = apply_action(
        session,
        subject_type=subject_type,
        subject_id=subject_id,
        action=action,
        rule_id=rule_id,
        actor=actor,
        actor_kind=ActorKind.MODERATOR,
        source_type=source_type,
        reason=private_note,
        explanation=explanation,
        case_id=case.id if case is not None else case_id,
        ends_at=ends_at,
        automated=False,
    )
    if case is not None and case.status in UNDECIDED and case.origin != "appeal":
        close_case(
            session,
            case,
            status="decided",
            actor=actor,
            event="case.closed_by_action",
            extra={"action_id": row.id, "puid": row.puid, "reports": len(reports)},
        )
    for report in reports:
        reporters.set_outcome(
            session, report, "upheld", event="manual_action", action=row, key="report.closed_by_action"
        )
    if row.account_id and subject_type in (SubjectType.POST.value, SubjectType.ACCOUNT.value):
        from townsquare.notices.authors import notify_action_taken

        notify_action_taken(session, row)
    return row
