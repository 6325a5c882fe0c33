"""Strikes: weighted, expiring marks on an account; crossing a threshold triggers an account action.

Only active strikes count (not expired, not revoked by a reversal). Thresholds fire when the active weight goes
from below to at-or-above them, so a threshold is not re-applied on every later strike.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from townsquare.core import clock
from townsquare.storage.models import Strike


def active_weight(session: Session, account_id: str, at: datetime | None = None) -> float:
    """Sum of the weights of the account's strikes in force at `at` (now by default)."""
    when = at or clock.now()
    total = session.scalar(
        select(func.coalesce(func.sum(Strike.weight), 0.0)).where(
            Strike.account_id == account_id,
            Strike.revoked_at.is_(None),
            Strike.expires_at > when,
            Strike.created_at <= when,
        )
    )
    return float(total or 0.0)


def active_strikes(session: Session, account_id: str) -> list[Strike]:
    now = clock.now()
    return list(
        session.scalars(
            select(Strike)
            .where(Strike.account_id == account_id, Strike.revoked_at.is_(None), Strike.expires_at > now)
            .order_by(Strike.id)
        )
    )


def revoke_for_action(session: Session, action_id: int) -> list[int]:
    """Revoke the strikes an action gave (its reversal); returns their ids."""
    now = clock.now()
    revoked = []
    for strike in session.scalars(
        select(Strike).where(Strike.action_id == action_id, Strike.revoked_at.is_(None))
    ):
        strike.revoked_at = now
        revoked.append(strike.id)
    return revoked
