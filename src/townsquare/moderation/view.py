"""The case view a moderator decides from: post, evidence spans, reports, author history and strikes, and
earlier decisions on similar posts (same top label or same normalised text), so like cases are decided alike.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from townsquare.core import clock
from townsquare.core.enums import ActionStatus
from townsquare.moderation import credibility, priority, wellbeing
from townsquare.moderation.cases import case_reports, get_case, latest_assessment
from townsquare.moderation.claims import claim_active
from townsquare.moderation.decisions import decision_public
from townsquare.moderation.queues import load_queues
from townsquare.moderation.reports import report_public
from townsquare.storage.models import Account, Action, Assessment, Case, CaseDecision, Post, Strike

SIMILAR_SCAN = 300
SIMILAR_LIMIT = 5


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
    """Recent decisions on other posts whose top label or normalised text matches this post's."""
    label = top_label(assessment)
    text = (assessment.normalized or "").strip() if assessment else ""
    if not label and not text:
        return []
    rows = session.execute(
        select(CaseDecision, Case.post_id)
        .join(Case, Case.id == CaseDecision.case_id)
        .where(Case.post_id.is_not(None), Case.post_id != case.post_id, CaseDecision.outcome != "escalate")
        .order_by(CaseDecision.id.desc())
        .limit(SIMILAR_SCAN)
    ).all()
    latest = latest_assessments(session, {str(p) for _, p in rows})
    out: list[dict[str, Any]] = []
    for decision, post_id in rows:
        other = latest.get(str(post_id))
        same_text = bool(text) and other is not None and (other.normalized or "").strip() == text
        same_label = label is not None and top_label(other) == label
        if same_text or same_label:
            out.append(
                {
                    **decision_public(decision),
                    "post_id": post_id,
                    "match": "same_text" if same_text else "same_top_label",
                }
            )
        if len(out) >= SIMILAR_LIMIT:
            break
    return out


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
    }
