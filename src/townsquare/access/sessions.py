"""Server-side web sessions: created at sign-in, checked on every page, ended at once by logout, key revocation
or an admin's "sign out everywhere".

Why server-side: a signed, self-contained cookie stays valid until it expires whatever the server learns later
(a cookie captured before logout kept working), and every signed value handed out lets an attacker test guesses
of the secret offline. Here the browser holds only 256 random bits; the database holds their SHA-256, the key the
session acts for, its lifetime and idle deadline, and the little state pages need (CSRF token, flash message).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from townsquare.access.keys import KeyInfo, by_id
from townsquare.audit import append
from townsquare.core import clock
from townsquare.core.errors import NotFound
from townsquare.storage.models import ApiKey, WebSessionRecord

TOKEN_PREFIX = "v2."
TOUCH_EVERY = timedelta(seconds=60)
"""`last_seen_at` is written at most once a minute per session: idle timeouts need no finer grain, and a page
view should not cost a write."""


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Resolved:
    record_id: str
    caller: KeyInfo
    data: dict[str, Any]


def create(session: Session, *, key_id: int, lifetime_seconds: int, data: dict[str, Any]) -> str:
    """A new session for a key; returns the cookie token (shown once, stored only as a hash)."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    now = clock.now()
    session.add(
        WebSessionRecord(
            id=token_hash(token),
            key_id=key_id,
            data=dict(data),
            created_at=now,
            last_seen_at=now,
            expires_at=now + timedelta(seconds=lifetime_seconds),
        )
    )
    session.flush()
    return token


def resolve(session: Session, token: str, *, idle_seconds: int) -> Resolved | None:
    """The live session behind a cookie token, or None (unknown, revoked, expired, idle too long, key revoked)."""
    if not token.startswith(TOKEN_PREFIX) or len(token) > 100:
        return None
    record = session.get(WebSessionRecord, token_hash(token))
    if record is None or record.revoked_at is not None:
        return None
    now = clock.now()
    if clock.as_utc(record.expires_at) <= now:
        return None
    last_seen = clock.as_utc(record.last_seen_at)
    if now - last_seen > timedelta(seconds=idle_seconds):
        return None
    caller = by_id(session, record.key_id)
    if caller is None:
        return None
    if now - last_seen >= TOUCH_EVERY:
        record.last_seen_at = now
    return Resolved(record.id, caller, dict(record.data or {}))


def save_data(session: Session, record_id: str, data: dict[str, Any]) -> None:
    record = session.get(WebSessionRecord, record_id)
    if record is not None and record.revoked_at is None:
        record.data = dict(data)


def end(session: Session, record_id: str) -> None:
    """Logout: this session only."""
    session.execute(
        update(WebSessionRecord)
        .where(WebSessionRecord.id == record_id, WebSessionRecord.revoked_at.is_(None))
        .values(revoked_at=clock.now())
    )


def end_for_key(session: Session, key_id: int) -> int:
    """Every live session of one key (called when the key is revoked)."""
    result = session.execute(
        update(WebSessionRecord)
        .where(WebSessionRecord.key_id == key_id, WebSessionRecord.revoked_at.is_(None))
        .values(revoked_at=clock.now())
    )
    return int(getattr(result, "rowcount", 0) or 0)


def sign_out_everywhere(session: Session, *, actor: str, key_name: str | None = None) -> int:
    """An admin ends every live web session (or every session of one key); audited. Returns how many ended."""
    query = update(WebSessionRecord).where(WebSessionRecord.revoked_at.is_(None))
    subject = "all"
    if key_name is not None:
        key_id = session.scalar(select(ApiKey.id).where(ApiKey.name == key_name))
        if key_id is None:
            raise NotFound(f"no key named {key_name!r}")
        query = query.where(WebSessionRecord.key_id == key_id)
        subject = str(key_id)
    ended = session.execute(query.values(revoked_at=clock.now()))
    count = int(getattr(ended, "rowcount", 0) or 0)
    append(
        session,
        actor=actor,
        event="sessions.signed_out",
        subject_type="api_key" if key_name else "web_sessions",
        subject_id=subject,
        payload={"key_name": key_name, "sessions": count},
    )
    return count


def live_count(session: Session, key_id: int | None = None) -> int:
    from sqlalchemy import func

    query = select(func.count()).select_from(WebSessionRecord).where(WebSessionRecord.revoked_at.is_(None))
    if key_id is not None:
        query = query.where(WebSessionRecord.key_id == key_id)
    return int(session.scalar(query) or 0)
