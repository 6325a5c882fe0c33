"""Moderation API: reports, queues, cases, claims, decisions, escalation, appeals, notifications, wellbeing.

Reporter identity: the platform calls with its ingest key and names its own user in the body
(``reporter_id`` / ``appellant_id``) or the ``X-Reporter-Id`` header; staff (moderator/admin keys) report as
``staff:<key name>`` unless they name a user. Moderators act as their key name. See docs/moderation.md.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Header, Query
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from townsquare.access.keys import KeyInfo
from townsquare.api.deps import CallerDep, DatabaseDep, SessionDep
from townsquare.api.security import Role, allow
from townsquare.api.types import MAX_OFFSET, BoundedDatetime, Count, IntId
from townsquare.core.errors import Invalid, NotFound
from townsquare.moderation import (
    appeals,
    cases,
    claims,
    credibility,
    decisions,
    notifications,
    reach,
    reports,
    review,
    stats,
    view,
    webhooks,
    wellbeing,
)
from townsquare.moderation.queues import load_queues
from townsquare.moderation.taxonomy import REASONS
from townsquare.storage.models import Report

router = APIRouter(prefix="/api/v1", tags=["moderation"])

STAFF = (Role.MODERATOR, Role.ADMIN)
PLATFORM = (Role.INGEST, Role.ADMIN)


class ReportCreate(BaseModel):
    subject_type: str = "post"
    subject_id: str
    reason: str = ""
    text: str = ""
    legal_ground: str | None = None
    reporter_id: str | None = Field(None, description="The platform's id of the reporting user.")


class DecisionCreate(BaseModel):
    """`explanation` is public (the author's notice, the statement of reasons) and required unless the action is
    `none`; `private_note` stays with moderators, the council panel and auditors (`note` is its old name)."""

    action: str
    rule_id: str = ""
    explanation: str = Field("", max_length=5000)
    private_note: str = Field("", max_length=5000)
    note: str = Field("", max_length=5000, description="Old name of `private_note` (never published).")
    ends_at: BoundedDatetime | None = None


class EscalationCreate(BaseModel):
    note: str = ""


class AppealCreate(BaseModel):
    action_id: IntId
    text: str = ""
    appellant_id: str | None = Field(None, description="The platform's id of the author appealing.")


class AppealDecisionCreate(BaseModel):
    """`explanation` (old name `statement`) is public, for the appellant; `private_note` is not."""

    outcome: str
    explanation: str = Field("", max_length=5000)
    private_note: str = Field("", max_length=5000)
    statement: str = Field("", max_length=5000, description="Old name of `explanation` (public).")
    new_action: str | None = None
    rule_id: str | None = None


class ReachItem(BaseModel):
    id: str
    reach: Count


class ReachUpdate(BaseModel):
    posts: list[ReachItem]


class ModeratorSettingsUpdate(BaseModel):
    blur_severe: bool | None = None
    hide_severe: bool | None = None


def _platform_user(caller: KeyInfo, body_value: str | None, header_value: str | None) -> str:
    """The platform user acting: body field, else X-Reporter-Id; staff default to their own key name."""
    if body_value and header_value and body_value.strip() != header_value.strip():
        raise Invalid("reporter identity given twice with different values (body and X-Reporter-Id)")
    value = (body_value or header_value or "").strip()
    if value and caller.role in (Role.INGEST, Role.ADMIN):
        return value
    if caller.role in STAFF:
        return f"staff:{caller.name}"
    raise Invalid("reporter_id (or the X-Reporter-Id header) is required: the platform's id of its user")


@router.get("/report-reasons", dependencies=[allow(Role.PUBLIC)])
def report_reasons() -> dict[str, Any]:
    """The reason taxonomy with French and English labels."""
    return {"reasons": [r.to_dict() for r in REASONS]}


@router.post("/reports", dependencies=[allow(Role.INGEST, *STAFF)], response_model=None)
def create_report(
    body: ReportCreate,
    session: SessionDep,
    caller: CallerDep,
    x_reporter_id: str | None = Header(None),
) -> JSONResponse:
    """201 new report; 200 when it adds to (or exactly repeats) the reporter's report on that subject."""
    reporter = _platform_user(caller, body.reporter_id, x_reporter_id)
    existed = reports.find_report(session, reporter, body.subject_type, body.subject_id) is not None
    report, _changed = reports.submit_report(
        session,
        reporter_id=reporter,
        subject_type=body.subject_type,
        subject_id=body.subject_id,
        reason=body.reason,
        text=body.text,
        legal_ground=body.legal_ground,
    )
    return JSONResponse(reports.report_public(report), status_code=200 if existed else 201)


@router.get("/reports", dependencies=[allow(*PLATFORM)])
def list_reports(
    session: SessionDep,
    reporter_id: str | None = None,
    limit: int = Query(100, ge=1, le=500),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
    x_reporter_id: str | None = Header(None),
) -> dict[str, Any]:
    """One platform user's reports with their status (``X-Reporter-Id`` header or ``reporter_id``)."""
    reporter = (reporter_id or x_reporter_id or "").strip()
    rows = reports.reports_of(session, reporter_id=reporter, limit=limit, offset=offset)
    return {"reporter_id": reporter, "reports": [reports.report_public(r) for r in rows]}


@router.get("/reports/{report_id}", dependencies=[allow(Role.INGEST, *STAFF)])
def get_report(report_id: IntId, session: SessionDep) -> dict[str, Any]:
    report = session.get(Report, report_id)
    if report is None:
        raise NotFound(f"report {report_id} not found")
    return reports.report_public(report)


@router.get("/reporters/{reporter_id:path}", dependencies=[allow(*STAFF)])
def get_reporter(reporter_id: str, session: SessionDep) -> dict[str, Any]:
    """A reporter's record: reports, upheld, rejected, credibility."""
    return credibility.reporter_profile(session, reporter_id)


@router.get("/queues", dependencies=[allow(*STAFF, Role.AUDITOR)])
def list_queues(session: SessionDep) -> dict[str, Any]:
    figures = stats.queue_stats(session)["queues"]
    return {
        "queues": [
            {**q.to_dict(), "backlog": figures[q.name]["backlog"], "unclaimed": figures[q.name]["unclaimed"]}
            for q in load_queues().queues.values()
        ]
    }


@router.get("/queues/stats", dependencies=[allow(*STAFF, Role.AUDITOR)])
def queue_statistics(session: SessionDep, since: BoundedDatetime | None = None) -> dict[str, Any]:
    """Backlog, time to first action, decisions per rule and outcome, per queue."""
    return stats.queue_stats(session, since=since)


@router.get("/queues/{queue}/cases", dependencies=[allow(*STAFF)])
def queue_cases(
    queue: str,
    session: SessionDep,
    limit: int = Query(50, ge=1, le=500),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
) -> dict[str, Any]:
    """Undecided cases of a queue, most urgent first."""
    rows = cases.list_queue(session, queue=queue, limit=limit, offset=offset)
    return {"queue": queue, "cases": [view.case_public(c) for c in rows]}


@router.post("/queues/{queue}/next", dependencies=[allow(*STAFF)])
def claim_next(queue: str, session: SessionDep, caller: CallerDep) -> dict[str, Any]:
    """Claim the most urgent unclaimed case of a queue (404 when there is none)."""
    return view.case_public(review.claim_next(session, queue=queue, moderator=caller.name))


@router.get("/cases", dependencies=[allow(*STAFF, Role.AUDITOR)])
def list_cases(
    session: SessionDep,
    queue: str | None = None,
    status: str | None = None,
    limit: int = Query(50, ge=1, le=500),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
) -> dict[str, Any]:
    rows = cases.list_queue(session, queue=queue, status=status, limit=limit, offset=offset)
    return {"cases": [view.case_public(c) for c in rows]}


@router.get("/cases/{case_id}", dependencies=[allow(*STAFF)])
def get_case(case_id: IntId, session: SessionDep, caller: CallerDep, reveal: bool = False) -> dict[str, Any]:
    """The case view (post, evidence, reports, author history, similar decisions); severe items count toward
    the caller's daily exposure and are blurred or hidden per their settings unless ``reveal=true``."""
    return view.case_view(session, case_id=case_id, moderator=caller.name, reveal=reveal)


@router.post("/cases/{case_id}/claim", dependencies=[allow(*STAFF)])
def claim_case(case_id: IntId, session: SessionDep, caller: CallerDep) -> dict[str, Any]:
    """Claim (or extend one's claim); 409 when another moderator holds it, 403 for an appeal of your own
    decision (a colleague reviews it)."""
    return view.case_public(review.claim(session, case_id=case_id, moderator=caller.name))


@router.post("/cases/{case_id}/release", dependencies=[allow(*STAFF)])
def release_case(case_id: IntId, session: SessionDep, caller: CallerDep) -> dict[str, Any]:
    return view.case_public(claims.release(session, case_id=case_id, moderator=caller.name))


@router.post("/cases/{case_id}/escalate", dependencies=[allow(*STAFF)])
def escalate_case(
    case_id: IntId, body: EscalationCreate, session: SessionDep, caller: CallerDep
) -> dict[str, Any]:
    """Move a claimed case to the senior queue."""
    return view.case_public(claims.escalate(session, case_id=case_id, moderator=caller.name, note=body.note))


@router.post("/cases/{case_id}/decision", dependencies=[allow(*STAFF)], status_code=201)
def decide_case(
    case_id: IntId, body: DecisionCreate, session: SessionDep, caller: CallerDep
) -> dict[str, Any]:
    """Decide a case you hold: a rule, an action (``none`` = no action), a public explanation for the author and
    an optional private note; reporters are notified."""
    if body.action != "none" and not body.explanation.strip():
        raise Invalid("an action needs a public explanation for the author (explanation)")
    decision = decisions.decide(
        session,
        case_id=case_id,
        moderator=caller.name,
        action=body.action,
        rule_id=body.rule_id,
        explanation=body.explanation,
        private_note=body.private_note or body.note,
        ends_at=body.ends_at,
    )
    return decisions.decision_public(decision)


@router.post("/appeals", dependencies=[allow(*PLATFORM)], response_model=None)
def create_appeal(
    body: AppealCreate, session: SessionDep, caller: CallerDep, x_reporter_id: str | None = Header(None)
) -> JSONResponse:
    """The author appeals an action (once per action): 201, or 200 for an identical retry."""
    appellant = _platform_user(caller, body.appellant_id, x_reporter_id)
    appeal, created = appeals.file_appeal(
        session, action_id=body.action_id, appellant_id=appellant, text=body.text
    )
    return JSONResponse(appeals.appeal_public(appeal), status_code=201 if created else 200)


@router.get("/appeals/{appeal_id}", dependencies=[allow(*PLATFORM, Role.MODERATOR)])
def get_appeal(appeal_id: IntId, session: SessionDep) -> dict[str, Any]:
    return appeals.appeal_public(appeals.get_appeal(session, appeal_id))


@router.post("/appeals/{appeal_id}/decision", dependencies=[allow(*STAFF)])
def decide_appeal(
    appeal_id: IntId, body: AppealDecisionCreate, session: SessionDep, caller: CallerDep
) -> dict[str, Any]:
    """Uphold, overturn or modify (claim the appeal's case first; not the moderator who decided)."""
    appeal = appeals.decide_appeal(
        session,
        appeal_id=appeal_id,
        moderator=caller.name,
        outcome=body.outcome,
        statement=body.explanation or body.statement,
        new_action=body.new_action,
        rule_id=body.rule_id,
        private_note=body.private_note,
    )
    return appeals.appeal_public(appeal)


@router.get("/notifications", dependencies=[allow(*PLATFORM)])
def list_notifications(
    session: SessionDep,
    recipient_id: str | None = None,
    unread_only: bool = False,
    limit: int = Query(100, ge=1, le=500),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
    x_reporter_id: str | None = Header(None),
) -> dict[str, Any]:
    """A platform user's notifications (``X-Reporter-Id`` header or ``recipient_id``), newest first."""
    recipient = (recipient_id or x_reporter_id or "").strip()
    rows, total = notifications.list_for(
        session, recipient_id=recipient, unread_only=unread_only, limit=limit, offset=offset
    )
    return {
        "recipient_id": recipient,
        "total": total,
        "notifications": [notifications.notification_public(n) for n in rows],
    }


@router.post("/notifications/{notification_id}/read", dependencies=[allow(*PLATFORM)])
def read_notification(
    notification_id: IntId,
    session: SessionDep,
    recipient_id: str | None = None,
    x_reporter_id: str | None = Header(None),
) -> dict[str, Any]:
    recipient = (recipient_id or x_reporter_id or "").strip()
    note = notifications.mark_read(session, recipient_id=recipient, notification_id=notification_id)
    return notifications.notification_public(note)


@router.post("/reach", dependencies=[allow(*PLATFORM)])
def update_reach(body: ReachUpdate, session: SessionDep) -> dict[str, Any]:
    """The platform's current impression/view counts per post (feeds queue priority); all or nothing."""
    return {"updated": reach.update_reach(session, [item.model_dump() for item in body.posts])}


@router.get("/moderators/me/settings", dependencies=[allow(*STAFF)])
def my_settings(session: SessionDep, caller: CallerDep) -> dict[str, Any]:
    """Blur/hide settings for severe content and today's severe exposure count."""
    return wellbeing.wellbeing_public(session, caller.name)


@router.put("/moderators/me/settings", dependencies=[allow(*STAFF)])
def update_my_settings(
    body: ModeratorSettingsUpdate, session: SessionDep, caller: CallerDep
) -> dict[str, Any]:
    wellbeing.update_settings(
        session, moderator=caller.name, blur_severe=body.blur_severe, hide_severe=body.hide_severe
    )
    return wellbeing.wellbeing_public(session, caller.name)


@router.get("/moderators/{moderator:path}/exposure", dependencies=[allow(Role.ADMIN)])
def moderator_exposure(moderator: str, session: SessionDep) -> dict[str, Any]:
    return wellbeing.wellbeing_public(session, moderator)


@router.post("/moderation/expire-claims", dependencies=[allow(Role.ADMIN)])
def expire_claims(session: SessionDep) -> dict[str, Any]:
    """Return timed-out claims to their queues (the server loop also does it)."""
    return {"expired": claims.expire_claims(session)}


@router.post("/moderation/webhooks/deliver", dependencies=[allow(Role.ADMIN)])
def deliver_webhooks(database: DatabaseDep) -> dict[str, Any]:
    """Send due webhook notifications now (normally `townsquare moderation deliver-webhooks --loop`)."""
    return webhooks.deliver_pending(database).to_dict()
