"""Case priority: how urgently a case needs a human.

    priority  = severity + reach + reports                       (stored on the case, recomputed on change)
    effective = priority + AGE_PER_HOUR * hours waiting          (what queues sort by)

    severity  = max(classifier, claimed)
      classifier = 10 * tier_rank(latest assessment risk)  (none 0 .. floor 40)
                 + 10 * max label score                    (0..10)
                 + 5  if automation proposed an action above its ceiling
      claimed    = max over reporters of REASON_SEVERITY[reason] * trust(credibility)
                   trust(c) = min(1, 2c): a new reporter (c = 0.5) is trusted fully, a reporter whose reports
                   were mostly rejected proportionally less
    reach     = min(30, 6 * log10(1 + Post.reach))      (1 000 views ~ 18, 100 000 ~ 30)
    reports   = min(40, 12 * log2(1 + sum over distinct reporters of weight(credibility)))
                weight(c) = 0.25 + 1.5 * c   (credibility c in [0, 1]; a new reporter has c = 0.5 -> weight 1)

Why ``claimed``: the classifier misses what people see (context, coded words, a picture), so a report-sourced
case whose post the classifier scored "none" used to rank at ~13 against ~54 for an automated floor-tier proposal
and waited days. A credible report of harassment now counts like a "high" classifier tier (30): one reporter puts
such a case at ~42, two at ~49, while the classifier's floor tier (the surest, gravest cases) still leads.

Distinct reporters count, repeats by the same reporter do not, so one person cannot push a case up by
reporting again. Ageing is linear so the order never needs a periodic recomputation: sorting by
``priority + a*(now - created)`` equals sorting by ``priority - a*created``, which is the stored ``rank_key``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from townsquare.core import clock

AGE_PER_HOUR = 0.5
TIER_RANK = {"none": 0, "low": 1, "medium": 2, "high": 3, "floor": 4}
SEVERE_TIERS = frozenset({"high", "floor"})
REASON_SEVERITY = {
    "illegal": 30.0,
    "violence": 30.0,
    "self_harm": 30.0,
    "hate": 30.0,
    "harassment": 30.0,
    "sexual": 25.0,
    "misinformation": 15.0,
    "other": 15.0,
    "spam": 10.0,
}
REPORTS_CAP = 40.0
_EPOCH = datetime(2024, 1, 1, tzinfo=UTC)


def severity_score(risk: str | None, scores: dict[str, float] | None, proposed: bool = False) -> float:
    """The classifier's view of severity (0..55)."""
    top = max((float(v) for v in (scores or {}).values()), default=0.0)
    return (
        10.0 * TIER_RANK.get(risk or "none", 0) + 10.0 * max(0.0, min(1.0, top)) + (5.0 if proposed else 0.0)
    )


def trust(credibility: float) -> float:
    return max(0.0, min(1.0, 2.0 * credibility))


def claimed_severity(claims: Iterable[tuple[str, float]]) -> float:
    """The reporters' view of severity: the gravest reason, scaled by how often that reporter was right."""
    return max((REASON_SEVERITY.get(reason, 15.0) * trust(c) for reason, c in claims), default=0.0)


def reach_score(reach: int | None) -> float:
    return min(30.0, 6.0 * math.log10(1 + max(0, reach or 0)))


def reporter_weight(credibility: float) -> float:
    return 0.25 + 1.5 * max(0.0, min(1.0, credibility))


def reports_score(credibilities: Iterable[float]) -> float:
    return min(REPORTS_CAP, 12.0 * math.log2(1 + sum(reporter_weight(c) for c in credibilities)))


def breakdown(
    *,
    risk: str | None,
    scores: dict[str, float] | None,
    reach: int | None,
    credibilities: Iterable[float],
    proposed: bool = False,
    claims: Iterable[tuple[str, float]] = (),
) -> dict[str, Any]:
    """Each term of the formula, so the console can say why a case ranks where it does."""
    classifier = severity_score(risk, scores, proposed)
    claimed = claimed_severity(claims)
    parts = {
        "classifier_severity": round(classifier, 3),
        "claimed_severity": round(claimed, 3),
        "severity": round(max(classifier, claimed), 3),
        "reach": round(reach_score(reach), 3),
        "reports": round(reports_score(credibilities), 3),
    }
    parts["priority"] = round(parts["severity"] + parts["reach"] + parts["reports"], 3)
    return parts


def priority(
    *,
    risk: str | None,
    scores: dict[str, float] | None,
    reach: int | None,
    credibilities: Iterable[float],
    proposed: bool = False,
    claims: Iterable[tuple[str, float]] = (),
) -> float:
    value: float = breakdown(
        risk=risk, scores=scores, reach=reach, credibilities=credibilities, proposed=proposed, claims=claims
    )["priority"]
    return value


def _hours_since_epoch(at: datetime) -> float:
    return (clock.as_utc(at) - _EPOCH).total_seconds() / 3600.0


def rank_key(priority_value: float, created_at: datetime) -> float:
    """Time-independent sort key equivalent to the effective priority (see module docstring)."""
    return priority_value - AGE_PER_HOUR * _hours_since_epoch(created_at)


def effective(priority_value: float, created_at: datetime, now: datetime | None = None) -> float:
    hours = max(0.0, (clock.as_utc(now or clock.now()) - clock.as_utc(created_at)).total_seconds() / 3600.0)
    return round(priority_value + AGE_PER_HOUR * hours, 3)
