"""A connector's position in a source, and the enforcement outcomes it has not yet handled.

Why the audit chain: every enforcement change (`action.applied`, `action.reversed`, `action.superseded`,
`ban.lifted`, `action.expired`) is written there in the same transaction as the change itself, in commit order
(`seq`), and it is append-only. Reading it from a stored cursor gives every connector each outcome exactly once
across restarts without enforcement code knowing connectors exist.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from townsquare.core import clock
from townsquare.storage.models import Action, AuditRecord, ConnectorCursor

APPLIED = "applied"
ENDED = "ended"
EVENTS = {
    "action.applied": APPLIED,
    "action.reversed": ENDED,
    "action.superseded": ENDED,
    "ban.lifted": ENDED,
    "action.expired": ENDED,
}


@dataclass(frozen=True)
class Outcome:
    seq: int
    event: str
    change: str  # applied | ended
    action: Action


def get(session: Session, name: str) -> int:
    row = session.get(ConnectorCursor, name)
    return int(row.position) if row else 0


def put(session: Session, name: str, position: int) -> None:
    row = session.get(ConnectorCursor, name)
    if row is None:
        session.add(ConnectorCursor(name=name, position=position, updated_at=clock.now()))
    else:
        row.position, row.updated_at = position, clock.now()
    session.flush()


def pending_outcomes(session: Session, name: str, *, limit: int = 500) -> tuple[list[Outcome], int]:
    """Outcomes after the cursor `name`, and the seq to store once they are handled (in the same transaction)."""
    since = get(session, name)
    records = list(
        session.scalars(
            select(AuditRecord).where(AuditRecord.seq > since).order_by(AuditRecord.seq).limit(limit)
        )
    )
    out: list[Outcome] = []
    for rec in records:
        change = EVENTS.get(rec.event)
        payload = rec.payload if isinstance(rec.payload, dict) else {}
        if change is None or not isinstance(payload.get("action_id"), int):
            continue
        action = session.get(Action, payload["action_id"])
        if action is not None:
            out.append(Outcome(rec.seq, rec.event, change, action))
    return out, (records[-1].seq if records else since)
