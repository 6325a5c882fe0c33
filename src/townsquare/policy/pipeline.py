"""Ingest -> classify -> evaluate -> enforce (up to the automation ceiling) -> cases for the rest.

Automation applies the policy's decision itself only up to the ceiling (default `limit_reach`). A stronger
proposal (`age_restrict`, `remove`) does two things: the ceiling action is applied at once as an interim measure,
and a case proposing the full action opens for a person to decide. Account actions never come from this path
except through strike thresholds (suspension; a permanent-ban threshold only opens a case).
"""

from __future__ import annotations

from typing import Any, Protocol

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from townsquare import audit
from townsquare.classify import taxonomy
from townsquare.core.enums import STRENGTH, ActionStatus, ActionType, ActorKind, SubjectType
from townsquare.policy import strikes
from townsquare.policy.cases import propose
from townsquare.policy.ceiling import automation_ceiling, cap
from townsquare.policy.conditions import Facts
from townsquare.policy.engine import active_policy
from townsquare.policy.rules import Decision, Policy
from townsquare.storage.bulk import insert_returning, note_assessed
from townsquare.storage.models import Action, Assessment, Post, Report

AUTOMATION_ACTOR = "automation"


def report_count(session: Session, post_id: str) -> int:
    """Distinct reporters of a post."""
    n = session.scalar(
        select(func.count(func.distinct(Report.reporter_id))).where(
            Report.subject_type == SubjectType.POST.value, Report.subject_id == post_id
        )
    )
    return int(n or 0)


def facts_from(assessment: Any, *, text: str, lang: str | None, strike_weight: float, reports: int) -> Facts:
    """Facts from an Assessment row or anything with labels/scores/tiers/normalized attributes."""
    return Facts(
        labels=frozenset(str(x) for x in (assessment.labels or [])),
        scores={str(k): float(v) for k, v in (assessment.scores or {}).items()},
        tiers={str(k): str(v) for k, v in (assessment.tiers or {}).items()},
        text=text,
        normalized=str(getattr(assessment, "normalized", "") or ""),
        lang=lang or getattr(assessment, "lang", None),
        strikes=strike_weight,
        reports=reports,
    )


def facts_for(session: Session, post: Post, assessment: Assessment) -> Facts:
    return facts_from(
        assessment,
        text=post.text,
        lang=post.lang,
        strike_weight=strikes.active_weight(session, post.author_id),
        reports=report_count(session, post.id),
    )


def describe_facts(assessment: Assessment, decision: Decision) -> str:
    """What automation relied on, for the statement's decision facts (scores and tiers, no text)."""
    looked = decision.rule.when.labels() if decision.rule and decision.rule.when else frozenset()
    tiers = assessment.tiers or {}
    shown = [
        lab
        for lab in taxonomy.LABELS
        if lab in looked
        or (taxonomy.tier_rank(str(tiers.get(lab, "none"))) >= 2 and taxonomy.is_actionable(lab))
    ]
    parts = [
        f"{lab} tier {tiers.get(lab, 'none')} (score {float((assessment.scores or {}).get(lab, 0.0)):.2f})"
        for lab in shown
    ]
    summary = "; ".join(parts) if parts else "no label above the low tier"
    return f"Automated classification of the text (model {assessment.model}): {summary}."


def strongest_in_force(session: Session, post_id: str) -> ActionType:
    acts = session.scalars(
        select(Action.action).where(Action.post_id == post_id, Action.status == ActionStatus.ACTIVE.value)
    ).all()
    return max((ActionType(a) for a in acts), key=STRENGTH.__getitem__, default=ActionType.NONE)


def enforce_assessment(
    session: Session,
    post: Post,
    assessment: Assessment,
    policy: Policy | None = None,
    *,
    facts: Facts | None = None,
) -> Decision:
    """Evaluate the active policy on one assessed post and act on it (ceiling, interim action, case).

    `facts` when the caller fetched them for a whole batch and nothing has changed them since."""
    policy = policy or active_policy(session)
    facts = facts or facts_for(session, post, assessment)
    decision = policy.evaluate(facts)
    if decision.action is ActionType.NONE or decision.rule is None:
        return decision
    ceiling = automation_ceiling(session)
    interim = cap(decision.action, ceiling)
    if interim is not ActionType.NONE and STRENGTH[strongest_in_force(session, post.id)] < STRENGTH[interim]:
        from townsquare.policy.enforce import apply_action
        from townsquare.policy.in_force import automated_source

        apply_action(
            session,
            subject_type=SubjectType.POST.value,
            subject_id=post.id,
            action=interim,
            rule_id=decision.rule.ref,
            actor=AUTOMATION_ACTOR,
            actor_kind=ActorKind.AUTOMATION,
            automated=True,
            source_type=automated_source(decision, facts.reports),
            fired_rules=decision.fired_refs,
            facts=automation_facts(assessment, decision, interim),
        )
    if STRENGTH[decision.action] > STRENGTH[ceiling]:
        propose_review(session, post.id, assessment.id, decision, policy, ceiling=ceiling, interim=interim)
    return decision


def automation_facts(assessment: Any, decision: Decision, interim: ActionType) -> str:
    """The decision facts of an automated action: the scores relied on, and the proposal when capped."""
    note = ""
    if interim is not decision.action:
        note = f" Interim measure up to the automation ceiling; {decision.action.value} proposed for human review."
    return describe_facts(assessment, decision) + note


def propose_review(
    session: Session,
    post_id: str,
    assessment_id: int,
    decision: Decision,
    policy: Policy,
    *,
    ceiling: ActionType,
    interim: ActionType,
) -> None:
    """A decision above the automation ceiling: a case proposing it, and the full decision in the audit chain."""
    assert decision.rule is not None
    case = propose(
        session,
        subject_type=SubjectType.POST.value,
        subject_id=post_id,
        proposed_action=decision.action,
        proposed_rule=decision.rule.ref,
    )
    audit.append_many(
        session,
        [proposed_entry(post_id, case.id, assessment_id, decision, policy, ceiling=ceiling, interim=interim)],
    )


def proposed_entry(
    post_id: str,
    case_id: int,
    assessment_id: int,
    decision: Decision,
    policy: Policy,
    *,
    ceiling: ActionType,
    interim: ActionType,
) -> audit.Entry:
    """The `policy.proposed` record: the full decision behind a case, whatever the interim measure was."""
    assert decision.rule is not None
    return audit.Entry(
        AUTOMATION_ACTOR,
        "policy.proposed",
        SubjectType.POST.value,
        post_id,
        {
            "case_id": case_id,
            "proposed_action": decision.action.value,
            "rule": decision.rule.ref,
            "fired": decision.fired_refs,
            "policy": policy.label,
            "ceiling": ceiling.value,
            "interim": interim.value,
            "assessment_id": assessment_id,
        },
    )


class PostKey(Protocol):
    """What an assessment row takes from its post (an ORM row or a worker's plain reference)."""

    @property
    def id(self) -> str: ...

    @property
    def lang(self) -> str | None: ...


def assessment_values(post: PostKey, result: Any) -> dict[str, Any]:
    """The column values of one classifier result (the contract's Assessment, via `to_dict()`)."""
    data = result.to_dict() if hasattr(result, "to_dict") else dict(result)
    return {
        "post_id": post.id,
        "model": str(data.get("model", "")),
        "lang": str(data.get("lang") or post.lang or ""),
        "risk": str(data.get("risk", "none")),
        "labels": list(data.get("labels", [])),
        "scores": dict(data.get("scores", {})),
        "tiers": dict(data.get("tiers", {})),
        "garm": dict(data.get("garm", {})),
        "evidence": list(data.get("evidence", [])),
        # `to_dict()` (the API's output shape) leaves the normalised text out; rules match on it (de-obfuscated)
        "normalized": str(getattr(result, "normalized", "") or data.get("normalized", "")),
    }


def store_assessment(session: Session, post: Post, result: Any, *, flush: bool = True) -> Assessment:
    """Persist one classifier result as an ORM row (``flush=False``: the caller flushes a batch)."""
    row = Assessment(**assessment_values(post, result))
    session.add(row)
    if flush:
        session.flush()
    return row


def insert_assessments(session: Session, values: list[dict[str, Any]]) -> list[int]:
    """Persist a batch of results (one post each) in one executemany INSERT .. RETURNING id (ids in input order).

    Why not ORM rows: the unit of work cost ~0.5 ms per row, more than classifying the post; a batch needs ORM
    rows only for the few posts the policy acts on (`session.get` by id)."""
    if not values:
        return []
    # Returned rows are matched by post id (a batch assesses each post once), not by parameter order: ordered
    # RETURNING needs a sentinel column, and without one SQLite falls back to one INSERT per row.
    returned = insert_returning(session, Assessment, values, Assessment.post_id, Assessment.id)
    by_post = {str(pid): int(aid) for pid, aid in returned}
    ids = [by_post[str(v["post_id"])] for v in values]
    note_assessed(session, [str(v["post_id"]) for v in values])  # change capture sees no ORM object here
    return ids


def assess_and_enforce_batch(session: Session, posts: list[Post]) -> list[Assessment]:
    """Classify the posts in one call, store each assessment, then enforce post by post."""
    if not posts:
        return []
    from townsquare.classify import classify

    results = classify([p.text for p in posts], langs=[p.lang for p in posts])
    policy = active_policy(session)
    from townsquare.policy.subjects import expire_due

    expire_due(session)  # ended suspensions first, so strike thresholds see today's account states
    rows = []
    for post, result in zip(posts, results, strict=True):
        row = store_assessment(session, post, result)
        enforce_assessment(session, post, row, policy)
        rows.append(row)
    return rows


def assess_and_enforce(session: Session, post: Post) -> Assessment:
    """Contract entry point for one post (ingest calls the batch form)."""
    return assess_and_enforce_batch(session, [post])[0]
