"""Notifications: what reporters (and appellants) are told. The table is also the webhook outbox.

A notification is written in the same transaction as the decision it reports, so a committed decision always
has its notifications; the webhook delivery (webhooks.py) later picks up rows whose ``webhook_status`` is
``pending``. Kinds: ``report_outcome``, ``report_repeat_decided``, ``action_taken`` (to the author), ``appeal_received``,
``appeal_outcome``.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from townsquare.core import clock
from townsquare.core.errors import Invalid, NotFound
from townsquare.moderation.taxonomy import BY_CODE, OUTCOME_LABELS
from townsquare.settings import get_settings
from townsquare.storage.models import Notification, Report


def notify(
    session: Session, *, recipient_id: str, kind: str, payload: dict[str, Any], report_id: int | None = None
) -> Notification:
    webhook = bool(get_settings().webhook_url)
    note = Notification(
        recipient_id=recipient_id,
        kind=kind,
        report_id=report_id,
        payload=payload,
        created_at=clock.now(),
        webhook_status="pending" if webhook else "none",
        webhook_attempts=0,
        webhook_next_at=clock.now() if webhook else None,
    )
    session.add(note)
    session.flush()
    return note


def last_outcome(session: Session, report_id: int) -> dict[str, Any]:
    note = session.scalars(
        select(Notification)
        .where(Notification.report_id == report_id, Notification.kind == "report_outcome")
        .order_by(Notification.id.desc())
        .limit(1)
    ).first()
    return dict(note.payload) if note else {}


def notify_report(
    session: Session, report: Report, *, kind: str = "report_outcome", extra: dict[str, Any] | None = None
) -> Notification:
    """Tell a reporter what became of their report (the outcome is already set on the report)."""
    base: dict[str, Any] = last_outcome(session, report.id) if kind != "report_outcome" else {}
    spec = BY_CODE.get(report.reason)
    outcome = report.outcome or "pending"
    base.update(
        {
            "report_id": report.id,
            "case_id": report.case_id,
            "subject_type": report.subject_type,
            "subject_id": report.subject_id,
            "reason": report.reason,
            "reason_label": {"en": spec.en, "fr": spec.fr} if spec else None,
            "outcome": outcome,
            "message": OUTCOME_LABELS.get(outcome, {"en": "", "fr": ""}),
        }
    )
    base.update(extra or {})
    return notify(session, recipient_id=report.reporter_id, kind=kind, payload=base, report_id=report.id)


def notification_public(note: Notification) -> dict[str, Any]:
    return {
        "id": note.id,
        "recipient_id": note.recipient_id,
        "kind": note.kind,
        "report_id": note.report_id,
        "payload": note.payload,
        "created_at": note.created_at.isoformat(),
        "read_at": note.read_at.isoformat() if note.read_at else None,
        "webhook_status": note.webhook_status,
    }


def list_for(
    session: Session, *, recipient_id: str, unread_only: bool = False, limit: int = 100, offset: int = 0
) -> tuple[list[Notification], int]:
    """A recipient's notifications, newest first, with the total count."""
    if not recipient_id:
        raise Invalid("recipient id required (X-Reporter-Id header or recipient_id)")
    stmt = select(Notification).where(Notification.recipient_id == recipient_id)
    if unread_only:
        stmt = stmt.where(Notification.read_at.is_(None))
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    rows = session.scalars(
        stmt.order_by(Notification.id.desc()).limit(max(1, min(limit, 500))).offset(max(0, offset))
    )
    return list(rows), int(total)


def mark_read(session: Session, *, recipient_id: str, notification_id: int) -> Notification:
    note = session.get(Notification, notification_id)
    if note is None or note.recipient_id != recipient_id:
        raise NotFound(f"notification {notification_id} not found", notification_id=notification_id)
    if note.read_at is None:
        note.read_at = clock.now()
    return note
