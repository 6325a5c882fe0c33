"""Where each public transparency figure comes from: the filter in words and the rows it counts.

The /transparency page publishes counts computed by `transparency.report`; an auditor must be able to see which
rows make each number and recount them. Each source here applies the same filter as the report and returns the
rows (capped for display; the count is always the full one) so the figure and its rows can be compared.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from townsquare.storage.models import Action, AdvertiserDemand, Appeal, CouncilDecision
from townsquare.transparency.report import INTERIM_MARK, _explanation, build_report

SHOWN = 200


@dataclass
class Source:
    """One published figure: its key, the value published, the rows' count and (up to SHOWN) the rows."""

    key: str
    published: int
    table: str
    filter: str
    columns: tuple[str, ...]
    rows: list[tuple[Any, ...]] = field(default_factory=list)
    count: int = 0

    @property
    def agrees(self) -> bool:
        return self.published == self.count


def _actions(session: Session) -> list[Action]:
    return list(session.scalars(select(Action).order_by(Action.id)))


def _row(a: Action) -> tuple[Any, ...]:
    return (a.id, a.puid, a.action, a.rule_id, "yes" if a.automated else "no", a.status, a.created_at)


def figure_sources(session: Session) -> list[Source]:
    """Every headline figure of the public page next to the rows it counts (all time, as the page shows)."""
    report = build_report(session)
    actions = _actions(session)
    cols = ("id", "puid", "action", "rule", "automated", "status", "created")
    picks: list[tuple[str, int, str, list[Action]]] = [
        ("actions", report.actions.total, "every action taken (reversed ones included)", actions),
        (
            "automated",
            report.actions.automated,
            "actions.automated = true",
            [a for a in actions if a.automated],
        ),
        (
            "reversed",
            report.actions.reversed,
            "actions.status = 'reversed'",
            [a for a in actions if a.status == "reversed"],
        ),
        (
            "interim",
            report.actions.interim,
            "automated actions whose statement says the measure is interim (awaiting a person)",
            [a for a in actions if a.automated and INTERIM_MARK in _explanation(a.statement)],
        ),
    ]
    out = [
        Source(key, published, "actions", where, cols, [_row(a) for a in rows[:SHOWN]], len(rows))
        for key, published, where, rows in picks
    ]
    appeals = list(
        session.execute(
            select(Appeal.id, Appeal.action_id, Appeal.status, Appeal.created_at).order_by(Appeal.id)
        )
    )
    out.append(
        Source(
            "appeals",
            report.appeals.appeals,
            "appeals",
            "appeals against any action (joined on appeals.action_id)",
            ("id", "action", "status", "created"),
            [tuple(r) for r in appeals[:SHOWN]],
            len(appeals),
        )
    )
    demands = list(
        session.execute(
            select(
                AdvertiserDemand.id,
                AdvertiserDemand.advertiser_id,
                AdvertiserDemand.demand,
                AdvertiserDemand.target_type,
                AdvertiserDemand.created_at,
            ).order_by(AdvertiserDemand.id)
        )
    )
    out.append(
        Source(
            "demands",
            report.demands.total,
            "advertiser_demands",
            "every advertiser demand to remove, limit or ban (all refused)",
            ("id", "advertiser", "demand", "target", "created"),
            [tuple(r) for r in demands[:SHOWN]],
            len(demands),
        )
    )
    n_decisions = session.scalar(select(func.count(CouncilDecision.id))) or 0
    decisions = list(
        session.execute(
            select(
                CouncilDecision.id,
                CouncilDecision.council_case_id,
                CouncilDecision.outcome,
                CouncilDecision.binding,
                CouncilDecision.created_at,
            )
            .order_by(CouncilDecision.id.desc())
            .limit(SHOWN)
        )
    )
    out.append(
        Source(
            "decisions",
            len(report.decisions),
            "council_decisions",
            "published council decisions (the page lists the newest 50)",
            ("id", "case", "outcome", "binding", "created"),
            [tuple(r) for r in decisions],
            min(n_decisions, 50),
        )
    )
    return out
