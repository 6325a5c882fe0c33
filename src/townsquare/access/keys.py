"""API keys: shown once, stored as a SHA-256 hash, looked up by a public prefix.

Keys carry 256 bits of randomness, so a plain hash is enough (no slow KDF needed) and lookups stay O(1).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from townsquare.audit import append
from townsquare.core import clock
from townsquare.core.enums import Role
from townsquare.core.errors import Conflict, Invalid, NotFound
from townsquare.storage.models import Advertiser, ApiKey

KEY_ROLES = tuple(r for r in Role if r is not Role.PUBLIC)


@dataclass(frozen=True)
class KeyInfo:
    """Who is calling, as every layer sees it."""

    key_id: int | None
    name: str
    role: Role
    advertiser_id: str | None = None


PUBLIC_CALLER = KeyInfo(key_id=None, name="public", role=Role.PUBLIC)

_revocations = 0
"""Bumped on every revocation in this process, so callers' caches drop stale identities at once."""


def revocation_generation() -> int:
    return _revocations


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_key(
    session: Session, *, role: str, name: str, advertiser_id: str | None = None, actor: str = "cli"
) -> tuple[ApiKey, str]:
    """Create a key; the raw token is returned once and never stored."""
    try:
        r = Role(role)
    except ValueError:
        raise Invalid(f"unknown role {role!r}; one of {', '.join(x.value for x in KEY_ROLES)}") from None
    if r is Role.PUBLIC:
        raise Invalid("the public role needs no key")
    name = name.strip()
    if not name:
        raise Invalid("a key needs a name")
    if r is Role.ADVERTISER:
        if not advertiser_id:
            raise Invalid("an advertiser key must be bound to an advertiser (--advertiser ID)")
        if session.get(Advertiser, advertiser_id) is None:
            raise NotFound(f"advertiser {advertiser_id!r} does not exist")
    elif advertiser_id:
        raise Invalid("only advertiser keys are bound to an advertiser")
    if session.scalar(select(ApiKey).where(ApiKey.name == name)) is not None:
        raise Conflict(f"a key named {name!r} already exists")
    prefix = secrets.token_hex(6)
    token = f"ts_{prefix}_{secrets.token_urlsafe(32)}"
    key = ApiKey(name=name, role=r.value, advertiser_id=advertiser_id, prefix=prefix, key_hash=_hash(token))
    session.add(key)
    session.flush()
    append(
        session,
        actor=actor,
        event="key.created",
        subject_type="api_key",
        subject_id=str(key.id),
        payload={"name": name, "role": r.value, "advertiser_id": advertiser_id},
    )
    return key, token


def authenticate(session: Session, token: str) -> KeyInfo | None:
    """The caller behind a raw token, or None (unknown, malformed or revoked)."""
    parts = token.split("_", 2)
    if len(parts) != 3 or parts[0] != "ts":
        return None
    key = session.scalar(select(ApiKey).where(ApiKey.prefix == parts[1]))
    if key is None or key.revoked_at is not None:
        return None
    if not hmac.compare_digest(key.key_hash, _hash(token)):
        return None
    return _info(key)


def by_id(session: Session, key_id: int) -> KeyInfo | None:
    """The caller behind a key id (a web session), or None when the key is gone or revoked."""
    key = session.get(ApiKey, key_id)
    if key is None or key.revoked_at is not None:
        return None
    return _info(key)


def _info(key: ApiKey) -> KeyInfo:
    return KeyInfo(key_id=key.id, name=key.name, role=Role(key.role), advertiser_id=key.advertiser_id)


def list_keys(session: Session) -> list[ApiKey]:
    return list(session.scalars(select(ApiKey).order_by(ApiKey.id)))


def revoke_key(session: Session, *, name: str, actor: str) -> ApiKey:
    key = session.scalar(select(ApiKey).where(ApiKey.name == name))
    if key is None:
        raise NotFound(f"no key named {name!r}")
    if key.revoked_at is None:
        global _revocations
        _revocations += 1
        key.revoked_at = clock.now()
        from townsquare.access.sessions import end_for_key

        end_for_key(session, key.id)  # its web sessions end in the same transaction
        append(
            session,
            actor=actor,
            event="key.revoked",
            subject_type="api_key",
            subject_id=str(key.id),
            payload={"name": name},
        )
    return key
