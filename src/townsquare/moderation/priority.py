"""Case priority: how urgently a case needs a human.

    priority  = severity + reach + reports                       (stored on the case, recomputed on change)
    effective = priority + AGE_PER_HOUR * hours waiting          (what queues sort by)

    severity  = 10 * tier_rank(latest assessment risk)  (none 0 .. floor 40)
              + 10 * max label score                    (0..10)
              + 5  if automation proposed an action above its ceiling
    reach     = min(30, 6 * log10(1 + Post.reach))      (1 000 views ~ 18, 100 000 ~ 30)
    reports   = 8 * log2(1 + sum over distinct reporters of weight(credibility))
                weight(c) = 0.25 + 1.5 * c   (credibility c in [0, 1]; a new reporter has c = 0.5 -> weight 1)

Distinct reporters count, repeats by the same reporter do not, so one person cannot push a case up by
reporting again. Ageing is linear so the order never needs a periodic recomputation: sorting by
``priority + a*(now - created)`` equals sorting by ``priority - a*created``, which is the stored ``rank_key``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import UTC, datetime

from townsquare.core import clock

AGE_PER_HOUR = 0.5
TIER_RANK = {"none": 0, "low": 1, "medium": 2, "high": 3, "floor": 4}
SEVERE_TIERS = frozenset({"high", "floor"})
_EPOCH = datetime(2024, 1, 1, tzinfo=UTC)


def severity_score(risk: str | None, scores: dict[str, float] | None, proposed: bool = False) -> float:
    top = max((float(v) for v in (scores or {}).values()), default=0.0)
    return (
        10.0 * TIER_RANK.get(risk or "none", 0) + 10.0 * max(0.0, min(1.0, top)) + (5.0 if proposed else 0.0)
    )


def reach_score(reach: int | None) -> float:
    return min(30.0, 6.0 * math.log10(1 + max(0, reach or 0)))


def reporter_weight(credibility: float) -> float:
    return 0.25 + 1.5 * max(0.0, min(1.0, credibility))


def reports_score(credibilities: Iterable[float]) -> float:
    return 8.0 * math.log2(1 + sum(reporter_weight(c) for c in credibilities))


def priority(
    *,
    risk: str | None,
    scores: dict[str, float] | None,
    reach: int | None,
    credibilities: Iterable[float],
    proposed: bool = False,
) -> float:
    return round(
        severity_score(risk, scores, proposed) + reach_score(reach) + reports_score(credibilities), 3
    )


def _hours_since_epoch(at: datetime) -> float:
    return (clock.as_utc(at) - _EPOCH).total_seconds() / 3600.0


def rank_key(priority_value: float, created_at: datetime) -> float:
    """Time-independent sort key equivalent to the effective priority (see module docstring)."""
    return priority_value - AGE_PER_HOUR * _hours_since_epoch(created_at)


def effective(priority_value: float, created_at: datetime, now: datetime | None = None) -> float:
    hours = max(0.0, (clock.as_utc(now or clock.now()) - clock.as_utc(created_at)).total_seconds() / 3600.0)
    return round(priority_value + AGE_PER_HOUR * hours, 3)
