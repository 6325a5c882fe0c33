"""The notifications table: what a person is told, and the webhook outbox (moved here from moderation).

A notice is written in the same transaction as the change it reports, so a committed change always has its
notices; the webhook worker (`moderation.webhooks`) later sends rows whose `webhook_status` is `pending`, with the
notification id as its delivery id: a notice has one stable id whether it is read through the API or received by
webhook, and a receiver deduplicates on it.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from townsquare.core import clock
from townsquare.core.errors import Invalid, NotFound
from townsquare.settings import get_settings
from townsquare.storage.models import Notification


def notify(
    session: Session, *, recipient_id: str, kind: str, payload: dict[str, Any], report_id: int | None = None
) -> Notification:
    """Store one notice (and queue it for the webhook when one is configured)."""
    webhook = bool(get_settings().webhook_url)
    now = clock.now()
    note = Notification(
        recipient_id=recipient_id,
        kind=kind,
        report_id=report_id,
        payload=payload,
        created_at=now,
        webhook_status="pending" if webhook else "none",
        webhook_attempts=0,
        webhook_next_at=now if webhook else None,
    )
    session.add(note)
    session.flush()
    return note


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


def latest_for_report(session: Session, report_id: int) -> Notification | None:
    return session.scalars(
        select(Notification)
        .where(Notification.report_id == report_id)
        .order_by(Notification.id.desc())
        .limit(1)
    ).first()


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
