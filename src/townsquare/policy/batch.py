"""Automated enforcement of a batch of fresh posts in a constant number of statements.

One at a time, an automated action costs ~28 statements (its row, the post's visibility and label, a strike, two or
three audit records, and the reads that check each step): at 3 % of posts acted on, that was most of a worker's
time. Most acted posts are in the simplest situation there is — a post nobody has acted on or opened a case about,
whose author gets one strike that crosses no threshold — and for those every read is known from the batch's own
facts. This module writes them together: one INSERT of actions, one of strikes, one chained append of their audit
records, the posts' new visibility and label through the unit of work. Everything is built by the same builders as
the single door (`policy.records`, `policy.status.public_label`), so the rows, statements and audit payloads are
the ones `apply_action` writes, record for record (a test compares both paths on the same posts).

Anything else — a post with history, an author acted on twice in the batch, a strike that crosses a threshold —
is returned to the caller for the one-by-one path, which handles every case.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from townsquare import audit
from townsquare.audit.state import action_states
from townsquare.core import clock
from townsquare.core.enums import (
    POST_ACTIONS,
    STRENGTH,
    VISIBILITY_OF_ACTION,
    ActionType,
    ActorKind,
    SubjectType,
)
from townsquare.core.errors import Invalid
from townsquare.policy.ceiling import automation_ceiling, cap, refuse_above
from townsquare.policy.conditions import Facts
from townsquare.policy.in_force import InForce, automated_source, interim_for
from townsquare.policy.pipeline import AUTOMATION_ACTOR, automation_facts, propose_review, proposed_entry
from townsquare.policy.records import action_values, applied_payload, strike_payload
from townsquare.policy.rules import Decision, Policy, Rule
from townsquare.policy.status import public_label
from townsquare.policy.subjects import SYSTEM_ACTOR
from townsquare.storage.bulk import in_values, insert_returning
from townsquare.storage.models import Action, Case, Post, Strike


@dataclass(frozen=True)
class Acted:
    """A post of the batch the policy acts on, with what it was decided on."""

    post: Post
    assessment_id: int
    assessment: Any  # the stored values (tiers, scores, model): what the statement's facts describe
    facts: Facts
    decision: Decision


def with_history(session: Session, post_ids: Sequence[str]) -> set[str]:
    """Posts that have any action or any case already (a report can open one before a worker gets there)."""
    if not post_ids:
        return set()
    acted = session.scalars(select(Action.post_id).where(in_values(session, Action.post_id, post_ids)))
    cased = session.scalars(select(Case.post_id).where(in_values(session, Case.post_id, post_ids)))
    return {str(p) for p in [*acted, *cased] if p is not None}


def enforce_fresh(
    session: Session, policy: Policy, items: Sequence[Acted], *, weights: dict[str, float]
) -> list[Acted]:
    """Enforce the items in the simplest situation together; returns the others, in order, for the one-by-one path.

    `weights`: each author's active strike weight before this batch wrote anything (the batch's facts)."""
    if not items:
        return []
    ceiling = automation_ceiling(session)
    history = with_history(session, [it.post.id for it in items])
    fast: list[tuple[Acted, ActionType]] = []
    rest: list[Acted] = []
    authors: set[str] = set()
    for it in items:
        rule = it.decision.rule
        interim = cap(it.decision.action, ceiling)
        simple = rule is not None and it.post.id not in history and it.post.author_id not in authors
        if simple and rule is not None and interim is not ActionType.NONE and rule.strike > 0:
            before = weights.get(it.post.author_id, 0.0)
            simple = not policy.strikes.crossed(before, before + rule.strike)
        authors.add(it.post.author_id)
        (fast.append((it, interim)) if simple else rest.append(it))
    _apply(session, policy, [(it, i) for it, i in fast if i is not ActionType.NONE], ceiling, weights)
    _propose(
        session,
        policy,
        [(it, i) for it, i in fast if STRENGTH[it.decision.action] > STRENGTH[ceiling]],
        ceiling,
    )
    return rest


def _propose(
    session: Session, policy: Policy, items: list[tuple[Acted, ActionType]], ceiling: ActionType
) -> None:
    """Decisions above the ceiling: a case each (opened together), and the full decision in the audit chain."""
    from townsquare.moderation.fresh_cases import Proposal, open_fresh_cases

    proposals = []
    for it, _ in items:
        assert it.decision.rule is not None
        proposals.append(Proposal(it.post, it.assessment, it.decision.action, it.decision.rule.ref))
    cases = open_fresh_cases(session, proposals, actor=AUTOMATION_ACTOR)
    entries = []
    for it, interim in items:
        case_id = cases.get(it.post.id)
        if case_id is None:  # a case was opened meanwhile (a report arriving now): join it the ordinary way
            propose_review(
                session, it.post.id, it.assessment_id, it.decision, policy, ceiling=ceiling, interim=interim
            )
            continue
        entries.append(
            proposed_entry(
                it.post.id, case_id, it.assessment_id, it.decision, policy, ceiling=ceiling, interim=interim
            )
        )
    audit.append_many(session, entries)


def _apply(
    session: Session,
    policy: Policy,
    items: list[tuple[Acted, ActionType]],
    ceiling: ActionType,
    weights: dict[str, float],
) -> None:
    """The actions, the posts' visibility and label, the strikes and the audit records of `items`."""
    if not items:
        return
    now = clock.now()
    rows: list[dict[str, Any]] = []
    plans: list[tuple[Acted, ActionType, Rule, bool]] = []  # (item, action, rule, interim)
    for it, kind in items:
        rule = it.decision.rule
        assert rule is not None
        if kind not in POST_ACTIONS:
            raise Invalid(f"{kind.value} applies to accounts, not posts")
        refuse_above(kind, ceiling)  # the door's own check
        interim = _interim(kind, rule)
        plans.append((it, kind, rule, interim))
        rows.append(
            action_values(
                stype=SubjectType.POST,
                post=it.post,
                account_id=it.post.author_id,
                content_language=it.post.lang,
                kind=kind,
                rule=rule,
                policy=policy,
                fired=list(it.decision.fired_refs) or [rule.ref],
                akind=ActorKind.AUTOMATION,
                actor=AUTOMATION_ACTOR,
                source_type=automated_source(it.decision, it.facts.reports),
                machine=True,
                reason="",
                explanation="",
                case=None,
                ends_at=None,
                now=now,
                facts=automation_facts(it.assessment, it.decision, kind),
                interim=interim,
            )
        )
    ids = {str(p): int(i) for p, i in insert_returning(session, Action, rows, Action.puid, Action.id)}
    actions = [Action(id=ids[r["puid"]], **r) for r in rows]  # transient: what was written, for the records
    strikes = _strikes(session, policy, items, actions, now)
    entries: list[audit.Entry] = []
    for (it, kind, rule, interim), action in zip(plans, actions, strict=True):
        state = InForce(action, kind, interim, rule.action if interim else None, rule)
        # written by the unit of work, so the ads feed's change capture sees the new visibility
        it.post.visibility = VISIBILITY_OF_ACTION[kind].value
        it.post.label_text = public_label(session, it.post.id, state=state)
        entries.append(
            audit.Entry(
                AUTOMATION_ACTOR,
                "action.applied",
                SubjectType.POST.value,
                it.post.id,
                applied_payload(
                    action, rule=rule, policy=policy, interim=interim, states=action_states(session, action)
                ),
            )
        )
        strike = strikes.get(action.id)
        if strike is not None:
            after = weights.get(it.post.author_id, 0.0) + rule.strike
            entries.append(
                audit.Entry(
                    SYSTEM_ACTOR,
                    "strike.added",
                    SubjectType.ACCOUNT.value,
                    it.post.author_id,
                    strike_payload(strike, rule=rule, active_weight=after),
                )
            )
    session.flush()
    audit.append_many(session, entries)


def _interim(kind: ActionType, rule: Rule) -> bool:
    return interim_for(
        automated=True,
        actor_kind=ActorKind.AUTOMATION.value,
        subject_type=SubjectType.POST.value,
        applied=kind.value,
        rule=rule,
    )


def _strikes(
    session: Session, policy: Policy, items: list[tuple[Acted, ActionType]], actions: list[Action], now: Any
) -> dict[int, Strike]:
    """One strike per acted post whose rule gives one (a fresh post has none yet), keyed by action id."""
    rows = []
    for (it, _), action in zip(items, actions, strict=True):
        rule = it.decision.rule
        assert rule is not None
        if rule.strike > 0:
            rows.append(
                {
                    "account_id": it.post.author_id,
                    "action_id": action.id,
                    "rule_id": rule.ref,
                    "weight": rule.strike,
                    "created_at": now,
                    "expires_at": now + policy.strikes.expiry(rule),
                }
            )
    ids = {int(a): int(i) for a, i in insert_returning(session, Strike, rows, Strike.action_id, Strike.id)}
    return {int(r["action_id"]): Strike(id=ids[int(r["action_id"])], **r) for r in rows}
