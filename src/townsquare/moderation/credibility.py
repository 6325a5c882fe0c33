"""Reporter credibility: the share of a reporter's decided reports that were upheld.

Smoothed with one upheld and one rejected pseudo-report (Laplace), so a new reporter starts at 0.5 and a single
outcome moves them only part of the way; credibility weighs their reports in case priority, never drops them.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from townsquare.storage.models import Report


def smoothed(upheld: int, rejected: int) -> float:
    return (upheld + 1) / (upheld + rejected + 2)


def credibilities(session: Session, reporter_ids: Iterable[str]) -> dict[str, float]:
    ids = sorted(set(reporter_ids))
    if not ids:
        return {}
    rows = session.execute(
        select(Report.reporter_id, Report.outcome, func.count())
        .where(Report.reporter_id.in_(ids), Report.outcome.is_not(None))
        .group_by(Report.reporter_id, Report.outcome)
    ).all()
    counts: dict[str, dict[str, int]] = {i: {"upheld": 0, "rejected": 0} for i in ids}
    for reporter, outcome, n in rows:
        if outcome in counts[reporter]:
            counts[reporter][outcome] += int(n)
    return {i: smoothed(c["upheld"], c["rejected"]) for i, c in counts.items()}


def reporter_profile(session: Session, reporter_id: str) -> dict[str, Any]:
    rows = session.execute(
        select(Report.outcome, func.count()).where(Report.reporter_id == reporter_id).group_by(Report.outcome)
    ).all()
    by = {outcome: int(n) for outcome, n in rows}
    upheld, rejected = by.get("upheld", 0), by.get("rejected", 0)
    return {
        "reporter_id": reporter_id,
        "reports": sum(by.values()),
        "pending": by.get(None, 0),
        "upheld": upheld,
        "rejected": rejected,
        "credibility": round(smoothed(upheld, rejected), 4),
    }
