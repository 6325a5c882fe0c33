"""`townsquare export statements --check`: does every statement of reasons say what actually happened?

Each stored statement is compared with the action and the state it describes: the decision type is the action
taken; the explanation names that action (and an interim measure says so), never another one; the private note
appears nowhere; the DSA source is a notice when reports led to the action; the automation fields match the actor;
end dates match; and the statement validates against the DSA schema. Each post's public label and visibility are
compared with the action in force (`policy.in_force`). A finding is a sentence naming the puid or post.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from townsquare.core import clock
from townsquare.core.enums import VISIBILITY_OF_ACTION, ActionType
from townsquare.notices import texts
from townsquare.policy.in_force import is_interim, post_in_force
from townsquare.storage.models import Action, Post, Report
from townsquare.transparency.statements import ACCOUNT_DECISIONS, VISIBILITY_DECISIONS, validate_statement

NOTICE_SOURCES = ("SOURCE_ARTICLE_16", "SOURCE_TRUSTED_FLAGGER", "SOURCE_TYPE_OTHER_NOTIFICATION")
MIN_PRIVATE = 6
"""Shorter private notes ("ok", "spam") are ordinary words; searching for them would only find coincidences."""


@dataclass
class CheckResult:
    statements: int = 0
    posts: int = 0
    findings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"statements": self.statements, "posts": self.posts, "findings": list(self.findings)}


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def _explanation(st: dict[str, Any]) -> str:
    return str(st.get("incompatible_content_explanation") or st.get("illegal_content_explanation") or "")


def check_action(session: Session, action: Action) -> list[str]:
    """The findings on one action's statement (empty when it is true)."""
    st = action.statement or {}
    out: list[str] = []
    ref = action.puid
    kind = ActionType(action.action)
    if st.get("puid") != action.puid:
        out.append(f"{ref}: statement puid {st.get('puid')!r} is not the action's")
    if kind in VISIBILITY_DECISIONS and st.get("decision_visibility") != VISIBILITY_DECISIONS[kind]:
        out.append(
            f"{ref}: decision_visibility {st.get('decision_visibility')} but the action is {kind.value}"
        )
    if kind in ACCOUNT_DECISIONS and st.get("decision_account") != ACCOUNT_DECISIONS[kind]:
        out.append(f"{ref}: decision_account {st.get('decision_account')} but the action is {kind.value}")
    explanation = _explanation(st)
    said = texts.text("en", f"done.{kind.value}")
    if said not in explanation:
        out.append(f"{ref}: the explanation does not state the action taken ({kind.value})")
    for other in ActionType:
        if other in (kind, ActionType.NONE):
            continue
        if texts.text("en", f"done.{other.value}") in explanation:
            out.append(f"{ref}: the explanation claims {other.value} but the action is {kind.value}")
    if "We remove it" in explanation and kind is not ActionType.REMOVE:
        out.append(f"{ref}: the explanation says 'We remove it' but the action is {kind.value}")
    interim_said = "Interim measure" in explanation
    interim = is_interim(session, action)
    if interim and not interim_said:
        out.append(f"{ref}: an interim measure that does not say so")
    if interim_said and not interim:
        out.append(f"{ref}: says interim but a decided action")
    private = (action.reason or "").strip()
    if len(private) >= MIN_PRIVATE and any(private in s for s in _strings(st)):
        out.append(f"{ref}: the private note appears in the statement")
    out.extend(_source_findings(session, action, st))
    automated = st.get("automated_decision")
    if action.automated and automated != "AUTOMATED_DECISION_FULLY":
        out.append(f"{ref}: automated action declared {automated}")
    if not action.automated and automated == "AUTOMATED_DECISION_FULLY":
        out.append(f"{ref}: a person's decision declared fully automated")
    end = st.get("end_date_account_restriction") or st.get("end_date_visibility_restriction")
    expected = clock.as_utc(action.ends_at).strftime("%Y-%m-%d") if action.ends_at else None
    if kind in (ActionType.SUSPEND, *VISIBILITY_DECISIONS) and end != expected:
        out.append(f"{ref}: end date {end} but the action ends {expected}")
    out.extend(f"{ref}: schema: {e}" for e in validate_statement(st)[:3])
    return out


def _source_findings(session: Session, action: Action, st: dict[str, Any]) -> list[str]:
    """User notices led to a person's action on a report case → SOURCE_ARTICLE_16 (or another notice source)."""
    if action.automated or action.case_id is None:
        return []
    reported = session.scalar(
        select(func.count())
        .select_from(Report)
        .where(
            Report.case_id == action.case_id,
            Report.created_at <= action.created_at,
            # an expired notice was answered "expired" (SLA); a later action on the case did not respond to it
            or_(Report.outcome.is_(None), Report.outcome != "expired"),
        )
    )
    source = st.get("source_type")
    if reported and source not in NOTICE_SOURCES:
        return [f"{action.puid}: {reported} report(s) led to it but source_type is {source}"]
    return []


def check_post(session: Session, post: Post) -> list[str]:
    """A post's visibility and public label are those of the action in force."""
    from townsquare.policy.status import public_label

    state = post_in_force(session, post.id)
    out = []
    expected = VISIBILITY_OF_ACTION[state.kind].value
    if post.visibility != expected:
        out.append(f"post {post.id}: visibility {post.visibility} but {state.kind.value} is in force")
    label = public_label(session, post.id) if state.action is not None else None
    if (post.label_text or None) != label:
        out.append(f"post {post.id}: the public label does not describe what is in force")
    return out


def check_all(session: Session, since: datetime | None = None) -> CheckResult:
    """Every statement (of actions taken at or after `since`) and every post that has actions."""
    result = CheckResult()
    query = select(Action).order_by(Action.id)
    if since is not None:
        query = query.where(Action.created_at >= since)
    for action in session.scalars(query):
        if not action.statement:
            continue
        result.statements += 1
        result.findings.extend(check_action(session, action))
    post_ids = session.scalars(select(Action.post_id).where(Action.post_id.is_not(None)).distinct())
    for post_id in sorted(p for p in post_ids if p):
        post = session.get(Post, post_id)
        if post is None:
            continue
        result.posts += 1
        result.findings.extend(check_post(session, post))
    return result
