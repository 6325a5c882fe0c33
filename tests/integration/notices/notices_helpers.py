"""Notices fixtures: posts with hand-built assessments (no classifier) and a driver for random histories."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from assessed_posts import assessed_post
from council_shared import add_history
from townsquare.storage.models import Notification, Post, Report


def add_post(
    s: Session,
    post_id: str,
    *,
    author: str = "alice",
    lang: str = "en",
    scores: dict[str, float] | None = None,
) -> Post:
    """A post with its assessment, enforced by the standards engine (interim measures and proposals included)."""
    from townsquare.policy.pipeline import enforce_assessment

    post, row = assessed_post(s, post_id, author=author, lang=lang, scores=scores)
    enforce_assessment(s, post, row)
    return post


def latest_outcomes(s: Session) -> dict[int, tuple[str, str]]:
    """report id -> (current outcome, outcome in the reporter's latest notice about it)."""
    out = {}
    for report in s.scalars(select(Report)):
        note = s.scalars(
            select(Notification)
            .where(Notification.report_id == report.id, Notification.recipient_id == report.reporter_id)
            .order_by(Notification.id.desc())
            .limit(1)
        ).first()
        told = str(note.payload.get("outcome")) if note is not None else "pending"
        out[report.id] = (report.outcome or "pending", told)
    return out


def strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [x for v in value.values() for x in strings(v)]
    if isinstance(value, list):
        return [x for v in value for x in strings(v)]
    return []


def seat_council(s: Session, n_members: int = 7, n_past: int = 14) -> list[int]:
    """Members with a two-camp voting history, so the bridging rule can reach a binding decision."""
    from townsquare.storage.models import CouncilMember

    ids = []
    for k in range(1, n_members + 1):
        m = CouncilMember(
            name=f"Member {k}",
            key_name=f"ncm{k}",
            region=["EU-West", "EU-East", "Africa", "Americas", "Asia", "EU-West", "Oceania"][k - 1],
            languages=["fr"] if k % 2 else ["en"],
            expertise=["law"],
            active=True,
        )
        s.add(m)
        s.flush()
        ids.append(m.id)
    add_history(s, ids, n_past)
    return ids
