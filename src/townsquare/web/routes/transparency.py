"""The public transparency page: figures from `transparency.report`, drawn as inline SVG."""

from __future__ import annotations

from datetime import datetime, timedelta

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from sqlalchemy.orm import Session

from townsquare.api.deps import SessionDep
from townsquare.api.security import allow
from townsquare.core import clock
from townsquare.core.enums import Role
from townsquare.council import cases as council_cases
from townsquare.council import charter, governance
from townsquare.policy.engine import active_policy
from townsquare.transparency.report import build_report
from townsquare.web import charts
from townsquare.web.rendering import code_name, current_lang, render
from townsquare.web.routes.common import t

router = APIRouter()

PERIODS = {"30": 30, "90": 90, "365": 365, "all": None}


def _rule_titles(session: Session, lang: str) -> dict[str, str]:
    """Rule id -> its title in `lang` (the policy in force, the strike ground included)."""
    policy = active_policy(session)
    rules = [*policy.rules, policy.strikes.as_rule()]
    return {r.id: r.title.get(lang) or r.title.get("en") or r.id for r in rules}


@router.get("/transparency", dependencies=[allow(Role.PUBLIC)], response_class=HTMLResponse)
def transparency(request: Request, session: SessionDep, period: str = "all") -> HTMLResponse:
    days = PERIODS.get(period)
    since: datetime | None = clock.now() - timedelta(days=days) if days else None
    bucket = 1 if days and days <= 30 else 7
    report = build_report(session, since=since, bucket_days=bucket)
    figures = report.actions
    lang = current_lang(request)
    titles = _rule_titles(session, lang)
    by_rule = [(titles.get(rule_id, rule_id), n) for rule_id, n in list(figures.by_rule.items())[:15]]
    by_type = [(code_name(lang, "action", kind), n) for kind, n in figures.by_type.items()]
    over_time = [
        {**row, "counts": {code_name(lang, "category", k): n for k, n in row["counts"].items()}}
        for row in figures.over_time[-26:]
    ]
    svg = {  # every bar and legend carries a name in the reader's language, never a code or a rule id
        "by_rule": charts.bar_chart(by_rule, title=t(request, "tr.by_rule")),
        "by_type": charts.bar_chart(by_type, title=t(request, "tr.by_type")),
        "over_time": charts.stacked_columns(over_time, title=t(request, "tr.by_category")),
    }
    return render(
        request,
        "transparency.html",
        {
            "report": report,
            "svg": svg,
            "period": period if period in PERIODS else "all",
            # council governance is public whatever the period: the charter, pending changes, re-referrals
            "charter": charter.current(),
            "pending_changes": [
                governance.public_view(c) for c in governance.list_changes(session, pending_only=True)
            ],
            "rereferrals": council_cases.rereferrals(session, limit=50),
        },
    )
