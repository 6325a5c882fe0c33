"""Queue statistics: backlog, time to first action, decisions per rule and outcome.

Time to first action = case creation to its first decision or escalation (``Case.first_action_at``); a
claim alone is not an action. Figures are computed in Python over the cases of the window because median and
percentiles are not portable SQL between SQLite and PostgreSQL.
"""

from __future__ import annotations

import statistics
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from townsquare.core import clock
from townsquare.moderation.cases import CLAIMED, UNDECIDED
from townsquare.moderation.queues import load_queues
from townsquare.storage.models import Case, CaseDecision


def _pct(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))], 1)


def queue_stats(session: Session, *, since: datetime | None = None) -> dict[str, Any]:
    cfg = load_queues()
    now = clock.now()
    out: dict[str, Any] = {}
    for name, queue in cfg.queues.items():
        undecided = list(
            session.execute(
                select(Case.status, Case.claim_expires_at, Case.created_at).where(
                    Case.queue == name, Case.status.in_(UNDECIDED)
                )
            )
        )
        claimed = sum(
            1 for s, exp, _ in undecided if s == CLAIMED and exp is not None and clock.as_utc(exp) > now
        )
        oldest = min((clock.as_utc(c) for _, _, c in undecided), default=None)
        acted = select(Case.created_at, Case.first_action_at).where(
            Case.queue == name, Case.first_action_at.is_not(None)
        )
        if since is not None:
            acted = acted.where(Case.first_action_at >= since)
        waits = [
            (clock.as_utc(first) - clock.as_utc(created)).total_seconds()
            for created, first in session.execute(acted)
            if first is not None
        ]
        decisions = (
            select(CaseDecision.rule_id, CaseDecision.outcome, func.count())
            .join(Case, Case.id == CaseDecision.case_id)
            .where(Case.queue == name)
        )
        if since is not None:
            decisions = decisions.where(CaseDecision.created_at >= since)
        per_rule: dict[str, int] = {}
        per_outcome: dict[str, int] = {}
        for rule, outcome, n in session.execute(
            decisions.group_by(CaseDecision.rule_id, CaseDecision.outcome)
        ):
            per_outcome[outcome] = per_outcome.get(outcome, 0) + int(n)
            if outcome != "escalate":
                key = rule or "(none)"
                per_rule[key] = per_rule.get(key, 0) + int(n)
        out[name] = {
            "label": queue.label,
            "backlog": len(undecided),
            "claimed": claimed,
            "unclaimed": len(undecided) - claimed,
            "oldest_age_seconds": round((now - oldest).total_seconds(), 1) if oldest else None,
            "time_to_first_action_seconds": {
                "count": len(waits),
                "median": round(statistics.median(waits), 1) if waits else None,
                "p90": _pct(waits, 0.9),
                "mean": round(statistics.fmean(waits), 1) if waits else None,
            },
            "decisions_per_rule": dict(sorted(per_rule.items())),
            "decisions_per_outcome": dict(sorted(per_outcome.items())),
        }
    return {"generated_at": now.isoformat(), "since": since.isoformat() if since else None, "queues": out}
