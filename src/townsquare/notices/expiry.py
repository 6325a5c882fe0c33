"""Reports not reviewed in time: after the service-level time (`report_expiry_days`, default 14) a pending report
is closed as `expired` and its reporter told so honestly ("not reviewed in time"); a report-only case left with no
pending report closes as `expired` too. Runs in the server's worker loop and as `townsquare notices expire`.

A case a moderator holds right now (live claim) is left alone this round: expiring it under them would turn their
decision into a conflict; the next round takes it if the claim lapses.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from townsquare.core import clock
from townsquare.notices import reporters
from townsquare.notices.manual import close_case
from townsquare.settings import get_settings
from townsquare.storage.models import Case, Report

SYSTEM = "system"


def _claimed(case: Case, now: datetime) -> bool:
    return (
        case.status == "claimed"
        and case.claim_expires_at is not None
        and clock.as_utc(case.claim_expires_at) > now
    )


def expire_reports(session: Session, *, days: int | None = None) -> int:
    """Expire every pending report older than the service-level time; returns how many."""
    now = clock.now()
    limit = now - timedelta(days=days if days is not None else get_settings().report_expiry_days)
    due = list(
        session.scalars(
            select(Report).where(Report.outcome.is_(None), Report.created_at <= limit).order_by(Report.id)
        )
    )
    expired = 0
    touched: dict[int, Case] = {}
    for report in due:
        case = session.get(Case, report.case_id) if report.case_id is not None else None
        if case is not None and (case.status not in ("open", "claimed") or _claimed(case, now)):
            continue  # decided/referred (its outcome comes from there) or held by a moderator now
        if case is not None and clock.as_utc(case.created_at) > limit:
            continue  # waiting since its case opened (a report submitted again after expiring starts anew)
        reporters.set_outcome(session, report, "expired", event="expiry")
        expired += 1
        if case is not None:
            touched[case.id] = case
    for case in touched.values():
        left = session.scalar(
            select(func.count())
            .select_from(Report)
            .where(Report.case_id == case.id, Report.outcome.is_(None))
        )
        if not left and case.origin == "report":
            close_case(
                session, case, status="expired", actor=SYSTEM, event="case.expired", extra={"reason": "sla"}
            )
    session.flush()
    return expired


def expired_count(session: Session, since: datetime | None = None) -> int:
    """Reports closed as not reviewed in time (the /transparency figure)."""
    stmt = select(func.count()).select_from(Report).where(Report.outcome == "expired")
    if since is not None:
        stmt = stmt.where(Report.updated_at >= since)
    return int(session.scalar(stmt) or 0)
