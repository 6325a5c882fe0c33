"""Every reporter, every change: a report's outcome is set only here, and each change is told to its reporter.

Outcomes (`Report.outcome`): NULL while pending, then `upheld`, `rejected`, `overturned` (reversed on appeal or by
the council), `modified` (replaced by a milder action on appeal) or `expired` (not reviewed within the
service-level time). The reporter's latest notice always carries the report's current outcome (a property test
drives random histories to check it). A notice names no person: no moderator, no other reporter, no private note.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from townsquare.core import clock
from townsquare.core.enums import ActionType
from townsquare.notices import outbox, texts
from townsquare.notices.outbox import latest_for_report
from townsquare.settings import get_settings
from townsquare.storage.models import Account, Action, Notification, Post, Report

PENDING = "pending"
OUTCOMES = ("upheld", "rejected", "overturned", "modified", "expired")


def recipient_language(session: Session, report: Report) -> str:
    """The reporter's account language when the reporter is a known account, else the reported post's."""
    account = session.get(Account, report.reporter_id)
    post = session.get(Post, report.post_id) if report.post_id else None
    subject_account = session.get(Account, report.account_id) if report.account_id else None
    return texts.language(
        account.lang if account else None,
        post.lang if post else None,
        subject_account.lang if subject_account else None,
    )


def _what(lang: str, action: Action | None) -> str:
    return texts.text(lang, f"done.{action.action}") if action is not None else ""


def message(session: Session, report: Report, key: str, action: Action | None, lang: str) -> str:
    """The reporter's notice text in `lang` for a template key (`report.upheld`, `report.expired`...)."""
    if key == "report.expired":
        return texts.text(lang, key, days=get_settings().report_expiry_days)
    if "{what}" in texts.templates()["en"][key]:
        return texts.text(lang, key, what=_what(lang, action))
    return texts.text(lang, key)


def _payload(
    session: Session, report: Report, *, event: str, key: str, previous: str | None, action: Action | None
) -> dict[str, Any]:
    from townsquare.moderation.taxonomy import BY_CODE  # pure data: the reason labels

    spec = BY_CODE.get(report.reason)
    lang = recipient_language(session, report)
    return {
        "report_id": report.id,
        "case_id": report.case_id,
        "subject_type": report.subject_type,
        "subject_id": report.subject_id,
        "reason": report.reason,
        "reason_label": {"en": spec.en, "fr": spec.fr} if spec else None,
        "outcome": report.outcome or PENDING,
        "previous_outcome": previous or PENDING,
        "event": event,
        "action": action.action if action else None,
        "action_id": action.id if action else None,
        "puid": action.puid if action else None,
        "rule_id": action.rule_id if action else None,
        "decided_at": clock.now().isoformat(),
        "lang": lang,
        "text": message(session, report, key, action, lang),
        "message": {code: message(session, report, key, action, code) for code in texts.LANGS},
    }


def set_outcome(
    session: Session,
    report: Report,
    outcome: str,
    *,
    event: str,
    action: Action | None = None,
    key: str | None = None,
    extra: dict[str, Any] | None = None,
) -> Notification | None:
    """Set a report's outcome and tell its reporter; nothing (no notice) when the outcome does not change."""
    if outcome not in OUTCOMES:
        raise ValueError(f"unknown report outcome {outcome!r}")
    previous = report.outcome
    if previous == outcome:
        return None
    report.outcome = outcome
    report.updated_at = clock.now()
    session.flush()
    payload = _payload(
        session, report, event=event, key=key or f"report.{outcome}", previous=previous, action=action
    )
    payload.update({k: v for k, v in (extra or {}).items() if k not in payload or payload[k] is None})
    return outbox.notify(
        session, recipient_id=report.reporter_id, kind="report_outcome", payload=payload, report_id=report.id
    )


def reopen(session: Session, report: Report) -> Notification:
    """An expired report submitted again goes back to review: pending again, and the reporter is told so."""
    previous = report.outcome
    report.outcome = None
    report.updated_at = clock.now()
    session.flush()
    payload = _payload(
        session, report, event="reopened", key="report.pending", previous=previous, action=None
    )
    return outbox.notify(
        session, recipient_id=report.reporter_id, kind="report_outcome", payload=payload, report_id=report.id
    )


def notify_repeat(session: Session, report: Report) -> Notification:
    """A repeat on a report already answered: the reporter is told the current outcome again (nothing reopens)."""
    last = latest_for_report(session, report.id)
    payload = dict(last.payload) if last is not None else {}
    payload.update({"report_id": report.id, "outcome": report.outcome or PENDING, "event": "repeat"})
    return outbox.notify(
        session,
        recipient_id=report.reporter_id,
        kind="report_repeat_decided",
        payload=payload,
        report_id=report.id,
    )


def reports_for_case(session: Session, case_id: int | None) -> list[Report]:
    if case_id is None:
        return []
    return list(session.scalars(select(Report).where(Report.case_id == case_id).order_by(Report.id)))


def case_decided(
    session: Session, *, reports: list[Report], action: Action | None, extra: dict[str, Any] | None = None
) -> None:
    """First decision on a report case: `upheld` when an action was taken, `rejected` otherwise."""
    for report in reports:
        outcome = "upheld" if action else "rejected"
        set_outcome(session, report, outcome, event="decision", action=action, extra=extra)


def action_reversed(session: Session, action: Action, *, by: str, replacement: Action | None = None) -> None:
    """An appeal or the council reversed (or, with `replacement`, softened) an action: its reporters hear it."""
    for report in reports_for_case(session, action.case_id):
        if report.outcome is None:
            continue  # never decided for this reporter (e.g. expired before): nothing of theirs changed
        if replacement is not None:
            set_outcome(session, report, "modified", event=by, action=replacement)
        else:
            key = "report.overturned_council" if by == "council" else "report.overturned"
            set_outcome(session, report, "overturned", event=by, action=action, key=key)


def outcome_of(action: Action | None) -> str:
    return "upheld" if action is not None and action.action != ActionType.NONE.value else "rejected"
