"""Public transparency figures, computed from the platform's own records (read-only queries, no side effects).

What is published: actions by rule, by type and by DSA category over time (automated share included); appeal and
overturn rates; council decisions (binding or not); the council's recommendations and the platform's answers,
overdue ones flagged; and the count of advertiser demands to remove, limit or ban content — all refused.

Time buckets are computed in Python over narrow column selections, so the same code runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from townsquare.core import clock
from townsquare.notices.expiry import expired_count
from townsquare.storage.models import (
    Action,
    AdvertiserDemand,
    Appeal,
    CouncilCase,
    CouncilDecision,
    Recommendation,
)

CATEGORY_PREFIX = "STATEMENT_CATEGORY_"


def category_name(statement: dict[str, Any] | None, rule_id: str) -> str:
    """The DSA statement category of an action in readable form; the rule family when none was recorded."""
    raw = (statement or {}).get("category")
    if isinstance(raw, str) and raw:
        return raw.removeprefix(CATEGORY_PREFIX).lower()
    return rule_id.split(".", 1)[0].split("@", 1)[0] or "other"


INTERIM_MARK = "Interim measure"
"""How a statement says its action is interim (`policy.in_force.statement_explanation`, checked by the checker)."""


def _explanation(statement: dict[str, Any] | None) -> str:
    st = statement or {}
    return str(st.get("incompatible_content_explanation") or st.get("illegal_content_explanation") or "")


def bucket_start(moment: datetime, days: int) -> datetime:
    """Start of the `days`-long bucket holding `moment` (buckets are aligned on the Unix epoch, UTC)."""
    epoch = datetime(1970, 1, 5, tzinfo=moment.tzinfo)  # a Monday, so weekly buckets start on Mondays
    span = timedelta(days=days)
    return epoch + ((moment - epoch) // span) * span


@dataclass
class ActionFigures:
    total: int = 0
    automated: int = 0
    reversed: int = 0
    interim: int = 0
    """Automated interim measures (capped at the automation ceiling while a person reviewed the proposal)."""
    by_type: dict[str, int] = field(default_factory=dict)
    by_rule: dict[str, int] = field(default_factory=dict)
    by_category: dict[str, int] = field(default_factory=dict)
    over_time: list[dict[str, Any]] = field(default_factory=list)
    """One row per bucket: {"start": iso date, "counts": {category: n}}."""

    @property
    def automated_share(self) -> float | None:
        return self.automated / self.total if self.total else None


@dataclass
class AppealFigures:
    actions: int = 0
    appeals: int = 0
    decided: int = 0
    overturned: int = 0
    modified: int = 0
    upheld: int = 0
    referred: int = 0

    @property
    def appeal_rate(self) -> float | None:
        return self.appeals / self.actions if self.actions else None

    @property
    def overturn_rate(self) -> float | None:
        return self.overturned / self.decided if self.decided else None


@dataclass
class DecisionRow:
    id: int
    case_id: int
    outcome: str
    binding: bool
    created_at: datetime
    applied_at: datetime | None
    published: dict[str, Any]


@dataclass
class RecommendationRow:
    id: int
    decision_id: int
    text: dict[str, Any]
    deadline: datetime
    answer: str | None
    answer_reason: str | None
    answered_at: datetime | None
    overdue: bool


@dataclass
class DemandFigures:
    total: int = 0
    by_demand: dict[str, int] = field(default_factory=dict)
    by_target: dict[str, int] = field(default_factory=dict)


@dataclass
class TransparencyReport:
    since: datetime | None
    until: datetime
    bucket_days: int
    actions: ActionFigures
    appeals: AppealFigures
    decisions: list[DecisionRow]
    recommendations: list[RecommendationRow]
    demands: DemandFigures
    reports_expired: int = 0
    """Reports closed as not reviewed within the service-level time (`report_expiry_days`)."""

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["actions"]["automated_share"] = self.actions.automated_share
        out["appeals"]["appeal_rate"] = self.appeals.appeal_rate
        out["appeals"]["overturn_rate"] = self.appeals.overturn_rate
        result: dict[str, Any] = _jsonable(out)
        return result


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    return value


def _window(stmt: Any, column: Any, since: datetime | None, until: datetime | None) -> Any:
    if since is not None:
        stmt = stmt.where(column >= since)
    if until is not None:
        stmt = stmt.where(column < until)
    return stmt


def action_figures(
    session: Session, *, since: datetime | None = None, until: datetime | None = None, bucket_days: int = 7
) -> ActionFigures:
    """Every action taken in the window (reversed ones included: they were taken), grouped four ways."""
    stmt = _window(
        select(
            Action.created_at,
            Action.action,
            Action.rule_id,
            Action.automated,
            Action.status,
            Action.statement,
        ),
        Action.created_at,
        since,
        until,
    )
    figures = ActionFigures()
    by_type: Counter[str] = Counter()
    by_rule: Counter[str] = Counter()
    by_category: Counter[str] = Counter()
    buckets: dict[datetime, Counter[str]] = defaultdict(Counter)
    for created_at, action, rule_id, automated, status, statement in session.execute(stmt):
        figures.total += 1
        figures.automated += bool(automated)
        figures.reversed += status == "reversed"
        figures.interim += bool(automated) and INTERIM_MARK in _explanation(statement)
        category = category_name(statement, rule_id)
        by_type[action] += 1
        by_rule[rule_id] += 1
        by_category[category] += 1
        buckets[bucket_start(created_at, bucket_days)][category] += 1
    figures.by_type = dict(by_type.most_common())
    figures.by_rule = dict(by_rule.most_common())
    figures.by_category = dict(by_category.most_common())
    figures.over_time = [
        {"start": start.date().isoformat(), "counts": dict(counts)}
        for start, counts in sorted(buckets.items())
    ]
    return figures


def appeal_figures(
    session: Session, *, since: datetime | None = None, until: datetime | None = None
) -> AppealFigures:
    """Appeals against actions taken in the window, and how those decided ended."""
    actions = session.scalar(_window(select(func.count(Action.id)), Action.created_at, since, until)) or 0
    stmt = _window(
        select(Appeal.status, func.count(Appeal.id)).join(Action, Action.id == Appeal.action_id),
        Action.created_at,
        since,
        until,
    ).group_by(Appeal.status)
    counts = {status: n for status, n in session.execute(stmt)}
    figures = AppealFigures(
        actions=actions,
        appeals=sum(counts.values()),
        overturned=counts.get("overturned", 0),
        modified=counts.get("modified", 0),
        upheld=counts.get("upheld", 0),
        referred=counts.get("referred", 0),
    )
    figures.decided = figures.overturned + figures.modified + figures.upheld
    return figures


def council_decisions(session: Session, *, limit: int = 50) -> list[DecisionRow]:
    """Published council decisions, newest first."""
    stmt = (
        select(CouncilDecision, CouncilCase.id)
        .join(CouncilCase, CouncilCase.id == CouncilDecision.council_case_id)
        .order_by(CouncilDecision.id.desc())
        .limit(limit)
    )
    return [
        DecisionRow(d.id, case_id, d.outcome, bool(d.binding), d.created_at, d.applied_at, d.published or {})
        for d, case_id in session.execute(stmt)
    ]


def recommendations(session: Session, *, now: datetime | None = None) -> list[RecommendationRow]:
    """Every recommendation with the platform's answer; unanswered past the deadline is flagged overdue."""
    moment = now or clock.now()
    rows = session.scalars(select(Recommendation).order_by(Recommendation.id.desc()))
    return [
        RecommendationRow(
            r.id,
            r.decision_id,
            r.text or {},
            r.deadline,
            r.answer,
            r.answer_reason,
            r.answered_at,
            overdue=r.answer is None and r.deadline < moment,
        )
        for r in rows
    ]


def demand_figures(
    session: Session, *, since: datetime | None = None, until: datetime | None = None
) -> DemandFigures:
    """Advertiser demands to remove, limit or ban: all refused by construction, published as counts."""
    stmt = _window(
        select(AdvertiserDemand.demand, AdvertiserDemand.target_type, func.count(AdvertiserDemand.id)),
        AdvertiserDemand.created_at,
        since,
        until,
    ).group_by(AdvertiserDemand.demand, AdvertiserDemand.target_type)
    figures = DemandFigures()
    by_demand: Counter[str] = Counter()
    by_target: Counter[str] = Counter()
    for demand, target, n in session.execute(stmt):
        figures.total += n
        by_demand[demand] += n
        by_target[target] += n
    figures.by_demand = dict(by_demand.most_common())
    figures.by_target = dict(by_target.most_common())
    return figures


def build_report(
    session: Session, *, since: datetime | None = None, until: datetime | None = None, bucket_days: int = 7
) -> TransparencyReport:
    return TransparencyReport(
        since=since,
        until=until or clock.now(),
        bucket_days=bucket_days,
        actions=action_figures(session, since=since, until=until, bucket_days=bucket_days),
        appeals=appeal_figures(session, since=since, until=until),
        decisions=council_decisions(session),
        recommendations=recommendations(session),
        demands=demand_figures(session, since=since, until=until),
        reports_expired=expired_count(session, since),
    )


def post_actions(session: Session, post_id: str) -> list[Action]:
    """Actions on one post, oldest first, for its public status page (statement of reasons included)."""
    return list(session.scalars(select(Action).where(Action.post_id == post_id).order_by(Action.id)))


def decision(session: Session, decision_id: int) -> DecisionRow | None:
    row = session.get(CouncilDecision, decision_id)
    if row is None:
        return None
    return DecisionRow(
        row.id,
        row.council_case_id,
        row.outcome,
        bool(row.binding),
        row.created_at,
        row.applied_at,
        row.published or {},
    )
