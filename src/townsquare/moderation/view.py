"""The case view a moderator decides from: post, evidence spans, reports (with the reporters' own words), author
history and strikes, precedents found by meaning (so like cases are decided alike), the terms of its priority and
the action in force; and the queue rows' previews (snippet, author, reports, language, age, action in force).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from townsquare.core import clock
from townsquare.core.enums import ActionStatus, ActionType
from townsquare.moderation import credibility, precedents, priority, wellbeing
from townsquare.moderation.cases import case_reports, get_case, latest_assessment
from townsquare.moderation.claims import claim_active
from townsquare.moderation.decisions import decision_public
from townsquare.moderation.queues import load_queues
from townsquare.moderation.reports import report_public
from townsquare.moderation.taxonomy import BY_CODE
from townsquare.storage.models import Account, Action, Assessment, Case, CaseDecision, Post, Report, Strike

SNIPPET = 160


def top_label(assessment: Assessment | None) -> str | None:
    if assessment is None or not assessment.scores:
        return None
    label, score = max(assessment.scores.items(), key=lambda kv: float(kv[1]))
    return str(label) if float(score) > 0 else None


def is_severe(assessment: Assessment | None) -> bool:
    return assessment is not None and assessment.risk in priority.SEVERE_TIERS


def case_public(case: Case) -> dict[str, Any]:
    active = claim_active(case)
    return {
        "id": case.id,
        "subject_type": case.subject_type,
        "subject_id": case.post_id or case.account_id,
        "post_id": case.post_id,
        "account_id": case.account_id,
        "queue": case.queue,
        "status": case.status,
        "origin": case.origin,
        "priority": case.priority,
        "effective_priority": priority.effective(case.priority, case.created_at),
        "proposed_action": case.proposed_action,
        "proposed_rule": case.proposed_rule,
        "claimed_by": case.claimed_by if active else None,
        "claim_expires_at": case.claim_expires_at.isoformat() if active and case.claim_expires_at else None,
        "escalated": case.escalated,
        "escalated_by": case.escalated_by,
        "escalation_note": case.escalation_note,
        "created_at": case.created_at.isoformat(),
        "first_action_at": case.first_action_at.isoformat() if case.first_action_at else None,
        "decided_at": case.decided_at.isoformat() if case.decided_at else None,
        "version": case.version,
    }


def author_history(session: Session, author_id: str) -> dict[str, Any]:
    account = session.get(Account, author_id)
    now = clock.now()
    strikes = list(
        session.scalars(
            select(Strike)
            .where(Strike.account_id == author_id, Strike.revoked_at.is_(None))
            .order_by(Strike.id)
        )
    )
    active_strikes = [s for s in strikes if clock.as_utc(s.expires_at) > now]
    post_ids = select(Post.id).where(Post.author_id == author_id)
    actions = list(
        session.scalars(
            select(Action)
            .where((Action.account_id == author_id) | Action.post_id.in_(post_ids))
            .order_by(Action.id.desc())
            .limit(20)
        )
    )
    posts = session.scalar(select(func.count()).select_from(Post).where(Post.author_id == author_id)) or 0
    return {
        "account_id": author_id,
        "handle": account.handle if account else None,
        "status": account.status if account else None,
        "posts": int(posts),
        "active_strikes": len(active_strikes),
        "strike_weight": round(sum(s.weight for s in active_strikes), 3),
        "strikes": [
            {
                "rule_id": s.rule_id,
                "weight": s.weight,
                "created_at": s.created_at.isoformat(),
                "expires_at": s.expires_at.isoformat(),
            }
            for s in strikes[-20:]
        ],
        "actions": [
            {
                "id": a.id,
                "action": a.action,
                "rule_id": a.rule_id,
                "status": a.status,
                "post_id": a.post_id,
                "actor_kind": a.actor_kind,
                "created_at": a.created_at.isoformat(),
            }
            for a in actions
        ],
        "actions_in_force": sum(1 for a in actions if a.status == ActionStatus.ACTIVE.value),
    }


def latest_assessments(session: Session, post_ids: set[str]) -> dict[str, Assessment]:
    """The current assessment of each post, in one query."""
    if not post_ids:
        return {}
    newest = (
        select(func.max(Assessment.id))
        .where(Assessment.post_id.in_(sorted(post_ids)))
        .group_by(Assessment.post_id)
    )
    return {a.post_id: a for a in session.scalars(select(Assessment).where(Assessment.id.in_(newest)))}


def similar_decisions(session: Session, case: Case, assessment: Assessment | None) -> list[dict[str, Any]]:
    """Precedents by meaning (``moderation.precedents``); the name is kept for the API's `similar_decisions`."""
    return precedents.precedents(session, case)


def priority_terms(session: Session, case: Case, assessment: Assessment | None) -> dict[str, Any]:
    """The terms of the case's stored priority (see priority.py), for the "why this rank" line."""
    post = session.get(Post, case.post_id) if case.post_id else None
    reports = case_reports(session, case.id)
    creds = credibility.credibilities(session, [r.reporter_id for r in reports])
    return priority.breakdown(
        risk=assessment.risk if assessment else None,
        scores=assessment.scores if assessment else None,
        reach=post.reach if post else 0,
        credibilities=creds.values(),
        proposed=case.proposed_action is not None,
        claims=[(r.reason, creds.get(r.reporter_id, 0.5)) for r in reports],
    )


def suggested_rule(case: Case, assessment: Assessment | None, reasons: list[str]) -> str | None:
    """The rule the decision form preselects: automation's proposed rule; else, for the labels of the reports'
    reasons and the assessment's top label, the rule whose tier band holds the assessment's tier for that label
    (else the first rule reading that label). Never a fixed default whatever the report says."""
    if case.proposed_rule:
        return case.proposed_rule
    from townsquare.policy.engine import load_policy

    wanted: list[str] = []
    for code in reasons:
        spec = BY_CODE.get(code)
        wanted.extend(spec.labels if spec else ())
    label = top_label(assessment)
    if label in wanted:  # the label both the reporter and the classifier name comes first
        wanted.remove(label)
        wanted.insert(0, label)
    elif label:
        wanted.append(label)
    tiers = assessment.tiers if assessment and isinstance(assessment.tiers, dict) else {}
    rules = list(load_policy().all_rules())
    for want in wanted:
        bands = [(rule, band) for rule in rules for lbl, band in rule_bands(rule.when) if lbl == want]
        if not bands:
            continue
        tier = priority.TIER_RANK.get(str(tiers.get(want, "none")), 0)
        for rule, (low, high) in bands:
            if low <= tier < high:
                return str(rule.ref)
        return str(bands[0][0].ref)
    return None


def rule_bands(condition: Any) -> list[tuple[str, tuple[int, int]]]:
    """(label, [at_least, below) tier ranks) of every tier test in a rule's condition tree."""
    if condition is None:
        return []
    found: list[tuple[str, tuple[int, int]]] = []
    label = getattr(condition, "label", None)
    if isinstance(label, str):
        low = priority.TIER_RANK.get(str(getattr(condition, "at_least", "none")), 0)
        below = getattr(condition, "below", None)
        found.append((label, (low, priority.TIER_RANK.get(str(below), 5) if below else 5)))
    for part in getattr(condition, "parts", ()) or ():
        found.extend(rule_bands(part))
    return found


def in_force_of(session: Session, case: Case) -> dict[str, Any]:
    """The action in force on the case's subject now (not the proposal): kind, interim flag, rule."""
    from townsquare.policy.in_force import account_in_force, post_in_force

    state = (
        post_in_force(session, case.post_id)
        if case.post_id
        else account_in_force(session, str(case.account_id))
    )
    return {
        "action": state.kind.value,
        "interim": state.interim,
        "rule_id": state.action.rule_id if state.action else None,
    }


def queue_rows(session: Session, cases: list[Case], *, severe_hidden: bool = False) -> list[dict[str, Any]]:
    """Queue previews: snippet, author, reports (people and submissions), reasons, language, age in hours, risk
    and the action in force. ``severe_hidden`` drops the snippet of severe posts (the moderator's hide setting)."""
    post_ids = {c.post_id for c in cases if c.post_id}
    posts = (
        {p.id: p for p in session.scalars(select(Post).where(Post.id.in_(sorted(post_ids))))}
        if post_ids
        else {}
    )
    latest = latest_assessments(session, {str(p) for p in post_ids})
    by_case: dict[int, list[Report]] = {}
    if cases:
        for r in session.scalars(select(Report).where(Report.case_id.in_([c.id for c in cases]))):
            by_case.setdefault(int(r.case_id or 0), []).append(r)
    acted = set(
        session.scalars(
            select(Action.post_id)
            .where(Action.post_id.in_(sorted(post_ids)), Action.status == ActionStatus.ACTIVE.value)
            .distinct()
        )
        if post_ids
        else []
    )
    nothing = {"action": ActionType.NONE.value, "interim": False, "rule_id": None}
    now = clock.now()
    rows: list[dict[str, Any]] = []
    for case in cases:
        post = posts.get(case.post_id or "")
        assessment = latest.get(case.post_id or "")
        reps = by_case.get(case.id, [])
        severe = is_severe(assessment)
        text = post.text if post else ""
        rows.append(
            {
                **case_public(case),
                "snippet": None
                if severe and severe_hidden
                else (text[:SNIPPET] + ("…" if len(text) > SNIPPET else "")),
                "severe": severe,
                "author_id": post.author_id if post else case.account_id,
                "lang": post.lang if post else None,
                "reporters": len(reps),
                "submissions": sum(r.count or 1 for r in reps),
                "reasons": sorted({r.reason for r in reps}),
                "risk": assessment.risk if assessment else None,
                "top_label": top_label(assessment),
                "age_hours": round((now - clock.as_utc(case.created_at)).total_seconds() / 3600.0, 1),
                "in_force": in_force_of(session, case)
                if case.post_id in acted or not case.post_id
                else nothing,
            }
        )
    return rows


def case_view(
    session: Session, *, case_id: int, moderator: str | None = None, reveal: bool = False
) -> dict[str, Any]:
    """Everything needed to decide; counts a severe item toward the moderator's daily exposure."""
    case = get_case(session, case_id)
    post = session.get(Post, case.post_id) if case.post_id else None
    assessment = latest_assessment(session, case.post_id)
    severe = is_severe(assessment)
    mode = "show"
    if moderator:
        mode = wellbeing.display_mode(wellbeing.get_settings_for(session, moderator), severe)
        if severe:
            wellbeing.record_exposure(session, moderator=moderator, case_id=case.id)
    reports = case_reports(session, case.id)
    creds = credibility.credibilities(session, [r.reporter_id for r in reports])
    reasons = [r.reason for r in reports]
    author_id = post.author_id if post else case.account_id
    queue = load_queues().get(case.queue)
    decisions = session.scalars(
        select(CaseDecision).where(CaseDecision.case_id == case.id).order_by(CaseDecision.id)
    )
    return {
        "case": case_public(case),
        "queue": queue.to_dict(),
        "post": None
        if post is None
        else {
            "id": post.id,
            "author_id": post.author_id,
            "text": None if mode == "hide" and not reveal else post.text,
            "lang": post.lang,
            "visibility": post.visibility,
            "reach": post.reach,
            "created_at": post.created_at.isoformat(),
        },
        "display": {"severe": severe, "mode": "show" if reveal else mode},
        "assessment": None
        if assessment is None
        else {
            "model": assessment.model,
            "risk": assessment.risk,
            "labels": assessment.labels,
            "scores": assessment.scores,
            "tiers": assessment.tiers,
            "evidence": assessment.evidence,
            "top_label": top_label(assessment),
        },
        "reports": [
            {**report_public(r), "reporter_credibility": round(creds.get(r.reporter_id, 0.5), 4)}
            for r in reports
        ],
        "author": author_history(session, author_id) if author_id else None,
        "decisions": [decision_public(d) for d in decisions],
        "similar_decisions": similar_decisions(session, case, assessment),
        "priority_terms": priority_terms(session, case, assessment),
        "suggested_rule": suggested_rule(case, assessment, reasons),
        "in_force": in_force_of(session, case),
    }
