"""Hash chain over audit records.

hash_n = sha256(prev_hash || canonical JSON of (seq, created_at, actor, event, subject, payload)).
Appenders first UPDATE the single `audit_head` row, which takes the write lock on SQLite and a row lock on
PostgreSQL, so concurrent appends serialise and the chain never forks. Verification recomputes every link, so a
modified, deleted, inserted or reordered record breaks the chain at the first bad one.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, insert, select, update
from sqlalchemy.orm import Session

from townsquare.core import clock
from townsquare.storage import txcache
from townsquare.storage.bulk import insert_new
from townsquare.storage.models import AuditHead, AuditRecord

GENESIS = "0" * 64


def canonical(obj: Any) -> str:
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def _ts(value: datetime) -> str:
    return clock.as_utc(value).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def record_hash(
    prev_hash: str,
    seq: int,
    created_at: datetime,
    actor: str,
    event: str,
    subject_type: str,
    subject_id: str,
    payload: dict[str, Any],
) -> str:
    body = canonical(
        {
            "seq": seq,
            "at": _ts(created_at),
            "actor": actor,
            "event": event,
            "subject": [subject_type, subject_id],
            "payload": payload,
        }
    )
    return hashlib.sha256((prev_hash + body).encode("utf-8")).hexdigest()


def append(
    session: Session,
    *,
    actor: str,
    event: str,
    subject_type: str = "",
    subject_id: str = "",
    payload: dict[str, Any] | None = None,
) -> None:
    """Append one record in the caller's transaction (it commits or rolls back with the change it records).

    The first append of a transaction bumps the head row (taking the lock that serialises appenders) and learns
    the previous hash from it; later appends in the same (innermost) transaction hold that lock already, so they
    chain from the head this transaction last wrote — no re-read, two statements instead of four per record,
    which is what an enforcement batch of hundreds of actions pays for. A savepoint starts a fresh reading.
    """
    append_many(
        session,
        [Entry(actor=actor, event=event, subject_type=subject_type, subject_id=subject_id, payload=payload)],
    )


@dataclass(frozen=True)
class Entry:
    """One record to append (what `append` takes as keyword arguments)."""

    actor: str
    event: str
    subject_type: str = ""
    subject_id: str = ""
    payload: dict[str, Any] | None = None


def append_many(session: Session, entries: Sequence[Entry]) -> None:
    """Append records in order, in the caller's transaction: one head bump, one INSERT, one head UPDATE.

    Why: a batch of automated actions writes two or three records each; chained one by one that was two
    statements per record. The chain is the same as appending them one after the other."""
    if not entries:
        return
    seq, prev = _next_link(session)
    now = clock.now()
    records = []
    for offset, e in enumerate(entries):
        payload = json.loads(canonical(e.payload or {}))
        digest = record_hash(
            prev, seq + offset, now, e.actor, e.event, e.subject_type, str(e.subject_id), payload
        )
        records.append(
            {
                "seq": seq + offset,
                "created_at": now,
                "actor": e.actor,
                "event": e.event,
                "subject_type": e.subject_type,
                "subject_id": str(e.subject_id),
                "payload": payload,
                "prev_hash": prev,
                "hash": digest,
            }
        )
        prev = digest
    last = seq + len(entries) - 1
    # Core statements on the session's connection, not ORM objects: an ORM record cost a unit-of-work flush per
    # append (~1 ms of CPU, ~3 appends per automated action); readers query the table, nobody holds the object.
    conn = session.connection()
    conn.execute(insert(_RECORDS), records)
    conn.execute(update(_HEAD).where(_HEAD.c.id == 1).values(seq=last, hash=prev))
    txcache.put(session, _HEAD_KEY, (last, prev))
    session.flush()  # as before: whatever the caller added is written by the time its audit record is


_HEAD_KEY = "townsquare.audit.head"
_HEAD = cast(Table, AuditHead.__table__)
_RECORDS = cast(Table, AuditRecord.__table__)


def _next_link(session: Session) -> tuple[int, str]:
    """(seq, previous hash) for the next record, bumping the head only where this transaction holds no lock yet."""
    held = txcache.get(session, _HEAD_KEY)
    if held is not None:
        return int(held[0]) + 1, str(held[1])
    bumped = _bump_head(session)
    if bumped is None:
        _insert_head(session)
        bumped = _bump_head(session)
    assert bumped is not None
    return bumped


def _bump_head(session: Session) -> tuple[int, str] | None:
    row = session.execute(
        update(_HEAD).where(_HEAD.c.id == 1).values(seq=_HEAD.c.seq + 1).returning(_HEAD.c.seq, _HEAD.c.hash)
    ).first()
    return None if row is None else (int(row[0]), str(row[1]))


def _insert_head(session: Session) -> None:
    """Create the head row once; concurrent first appenders race harmlessly (ON CONFLICT DO NOTHING)."""
    insert_new(session, AuditHead, [{"id": 1, "seq": 0, "hash": GENESIS}], AuditHead.id)


@dataclass(frozen=True)
class AuditProblem:
    seq: int
    reason: str


def _own_hash(rec: AuditRecord, seq: int, prev: str) -> str:
    return record_hash(
        prev, seq, rec.created_at, rec.actor, rec.event, rec.subject_type, rec.subject_id, rec.payload
    )


def verify_records(records: Iterable[AuditRecord], head: AuditHead | None = None) -> AuditProblem | None:
    """First bad record, or None when the whole chain (and the head) checks out.

    Names the record an auditor should look at: a modified record by its own seq, a deleted one by the missing seq,
    an inserted one (its successors renumbered) by the inserted seq, a moved one where the order first breaks.
    """
    prev = GENESIS
    before_prev = GENESIS
    expected_seq = 1
    last_seq = 0
    for rec in records:
        if rec.seq != expected_seq:
            if rec.seq > expected_seq:
                return AuditProblem(
                    expected_seq, f"record {expected_seq} is missing (deleted); next is {rec.seq}"
                )
            return AuditProblem(
                rec.seq, f"sequence out of order: expected seq {expected_seq}, found {rec.seq}"
            )
        if rec.prev_hash != prev:
            # Successors renumbered after an insertion still carry their old seq in their hash and link to the
            # record before the inserted one: then the previous record is the inserted one.
            if (
                rec.seq > 1
                and rec.prev_hash == before_prev
                and _own_hash(rec, rec.seq - 1, rec.prev_hash) == rec.hash
            ):
                return AuditProblem(
                    rec.seq - 1, "record inserted into the chain (its successors were renumbered)"
                )
            return AuditProblem(
                rec.seq, "prev_hash does not match the previous record's hash (moved or replaced)"
            )
        if _own_hash(rec, rec.seq, prev) != rec.hash:
            return AuditProblem(rec.seq, "content does not match its hash (record modified)")
        before_prev, prev = prev, rec.hash
        last_seq = rec.seq
        expected_seq += 1
    if head is not None and head.seq < last_seq:
        return AuditProblem(
            head.seq + 1, f"record beyond the chain head (inserted): head is at seq {head.seq}"
        )
    if head is not None and (head.seq != last_seq or head.hash != prev):
        return AuditProblem(
            last_seq + 1, f"chain head says seq {head.seq}; records end at {last_seq} (deleted)"
        )
    return None


def verify(session: Session) -> tuple[int, AuditProblem | None]:
    """Number of records checked and the first problem found."""
    records = session.scalars(select(AuditRecord).order_by(AuditRecord.seq)).all()
    head = session.get(AuditHead, 1, populate_existing=True)
    return len(records), verify_records(records, head)
