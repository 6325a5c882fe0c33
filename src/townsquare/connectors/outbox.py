"""The connectors' outbox: calls owed to a platform, kept until they succeed (or are given up, visibly).

Same discipline as the notification webhook (`moderation.webhooks`): rows are leased in a short transaction
(`next_at` pushed forward so two workers do not send the same row), the remote call runs with no transaction open,
and the result is recorded in a second short transaction. Attempt n failing waits
`min(MAX_DELAY, BASE_DELAY * 2**(n-1))` seconds; after MAX_ATTEMPTS the row is `failed` and stays listed.
Enqueueing is idempotent on (connector, key): a restart that re-reads the same outcome adds nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from townsquare.core import clock
from townsquare.storage.db import Database
from townsquare.storage.models import ConnectorOutbox

BASE_DELAY = 30.0
MAX_DELAY = 3600.0
MAX_ATTEMPTS = 8
LEASE_SECONDS = 120.0


class Skip(Exception):
    """The platform has no equivalent for this call: recorded as `skipped` with the reason, never retried."""


class Permanent(Exception):
    """The platform refused the call for good (unknown account, forbidden): `failed` at once, kept listed."""


@dataclass
class DeliveryResult:
    done: int = 0
    skipped: int = 0
    retrying: int = 0
    failed: int = 0

    def to_dict(self) -> dict[str, int]:
        return {"done": self.done, "skipped": self.skipped, "retrying": self.retrying, "failed": self.failed}


def backoff(attempts: int) -> float:
    return float(min(MAX_DELAY, BASE_DELAY * 2 ** max(0, attempts - 1)))


def enqueue(session: Session, *, connector: str, key: str, kind: str, payload: dict[str, Any]) -> bool:
    """Queue a call unless one with this key exists. Returns True when a row was added."""
    exists = session.scalar(
        select(ConnectorOutbox.id).where(ConnectorOutbox.connector == connector, ConnectorOutbox.key == key)
    )
    if exists is not None:
        return False
    now = clock.now()
    session.add(
        ConnectorOutbox(
            connector=connector,
            key=key,
            kind=kind,
            payload=payload,
            status="pending",
            attempts=0,
            next_at=now,
            created_at=now,
        )
    )
    session.flush()
    return True


def _lease(db: Database, connector: str, limit: int) -> list[tuple[int, str, dict[str, Any]]]:
    now = clock.now()
    with db.session() as session:
        rows = list(
            session.scalars(
                select(ConnectorOutbox)
                .where(
                    ConnectorOutbox.connector == connector,
                    ConnectorOutbox.status == "pending",
                    ConnectorOutbox.next_at <= now,
                )
                .order_by(ConnectorOutbox.id)
                .limit(limit)
            )
        )
        for row in rows:
            row.next_at = now + timedelta(seconds=LEASE_SECONDS)
        return [(r.id, r.kind, dict(r.payload)) for r in rows]


def _record(db: Database, row_id: int, status: str, error: str | None, result: DeliveryResult) -> None:
    now = clock.now()
    with db.session() as session:
        row = session.get(ConnectorOutbox, row_id)
        if row is None or row.status != "pending":
            return
        row.attempts = (row.attempts or 0) + 1
        if status in ("done", "skipped"):
            row.status, row.error, row.next_at, row.done_at = status, error, None, now
            result.done += status == "done"
            result.skipped += status == "skipped"
        elif status == "failed" or row.attempts >= MAX_ATTEMPTS:
            row.status, row.error, row.next_at = "failed", (error or "")[:2000], None
            result.failed += 1
        else:
            row.error = (error or "")[:2000]
            row.next_at = now + timedelta(seconds=backoff(row.attempts))
            result.retrying += 1


def deliver(
    db: Database,
    connector: str,
    send: Callable[[str, dict[str, Any]], None],
    *,
    limit: int = 100,
) -> DeliveryResult:
    """Run `send(kind, payload)` for each due row; an exception schedules a retry, `Skip` records `skipped`."""
    result = DeliveryResult()
    for row_id, kind, payload in _lease(db, connector, limit):
        try:
            send(kind, payload)
        except Skip as exc:
            _record(db, row_id, "skipped", str(exc), result)
        except Permanent as exc:
            _record(db, row_id, "failed", str(exc), result)
        except Exception as exc:  # noqa: BLE001 - any failure of the remote call is retried later
            _record(db, row_id, "retry", f"{type(exc).__name__}: {exc}", result)
        else:
            _record(db, row_id, "done", None, result)
    return result


def counts(session: Session, connector: str) -> dict[str, int]:
    rows = session.execute(
        select(ConnectorOutbox.status, func.count())
        .where(ConnectorOutbox.connector == connector)
        .group_by(ConnectorOutbox.status)
    )
    return {str(status): int(n) for status, n in rows}
