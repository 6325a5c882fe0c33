"""Deciding a case with the bridging rule, publishing the decision, and applying it only when binding.

`decide` fits the factorisation on the whole council history (this case included) for the case's bridged
support, measures how stable the panel's left/right split is with a bootstrap over past cases, and applies
`council.rule`. A binding decision is applied at once (`apply`): a binding overturn of a permanent ban calls
`policy.enforce.lift_permanent_ban` — the only code path in the product that lifts one. A non-binding decision
cannot be applied: the status quo stands.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from townsquare import audit
from townsquare.core import clock
from townsquare.core.enums import ActionStatus, ActionType, ActorKind
from townsquare.core.errors import Conflict, Forbidden, NotFound
from townsquare.council import cases as council_cases
from townsquare.council import charter, publish, rule, viewpoints
from townsquare.council.bridging import fit_keyed
from townsquare.storage.models import (
    Action,
    Appeal,
    CouncilCase,
    CouncilDecision,
    CouncilMember,
    CouncilVote,
    PanelSeat,
)

BOOTSTRAP_RUNS = 20
MIN_PAST_CASES = 5


def _panel_split(positions: Mapping[int, float | None]) -> tuple[frozenset[int], frozenset[int]]:
    votes = [rule.PanelVote(member_id=m, position=p, vote="none") for m, p in positions.items()]
    left, _, right, _ = rule.split(votes)
    return frozenset(left), frozenset(right)


def split_confidence(
    session: Session, *, case_id: int, draw_positions: dict[int, float | None]
) -> tuple[float, int, str]:
    """(share of bootstrap refits reproducing the draw-time split, runs, reason).

    Past cases are resampled with replacement; each refit re-estimates the members' positions and the panel is
    split again. A split that survives most resamples does not hang on one or two past cases.
    """
    known = {m: p for m, p in draw_positions.items() if p is not None}
    if len(known) < 2:
        return 0.0, 0, "positions unknown for most of the panel (too little voting history)"
    past = viewpoints.history(session, exclude_cases=[case_id])
    past_cases = sorted({item for _, item, _ in past})
    if len(past_cases) < MIN_PAST_CASES:
        return 0.0, 0, f"only {len(past_cases)} past cases (< {MIN_PAST_CASES}): the axis is not determined"
    target = _panel_split(known)
    by_case: dict[str, list[tuple[str, str, float]]] = {}
    for vote in past:
        by_case.setdefault(vote[1], []).append(vote)
    rng = np.random.default_rng(case_id)
    agree = 0
    for _ in range(BOOTSTRAP_RUNS):
        picks = rng.integers(0, len(past_cases), len(past_cases))
        sample = [
            (rater, f"{item}#{k}", value)
            for k, pick in enumerate(picks)
            for rater, item, value in by_case[past_cases[int(pick)]]
        ]
        kf = fit_keyed(sample, seed=viewpoints.SEED, restarts=2)
        pos = viewpoints.standardised_positions(kf)
        refit = {m: pos.get(viewpoints.member_key(m)) for m in known}
        if any(v is None for v in refit.values()):
            continue
        left, right = _panel_split(refit)
        if (left, right) in ((target[0], target[1]), (target[1], target[0])):
            agree += 1
    return agree / BOOTSTRAP_RUNS, BOOTSTRAP_RUNS, "bootstrap over past cases"


def _case_reading(session: Session, case_id: int) -> dict[str, Any]:
    """Bridged support and polarisation of the case from the fit on the whole history."""
    kf = viewpoints.fit_history(session)
    item = kf.item(viewpoints.case_key(case_id)) if kf else None
    if kf is None or item is None:
        return {"bridged_support": None, "polarisation": None}
    intercept, factor, votes = item
    members = [k for k in kf.raters if k.startswith("m")]
    idx = np.array([kf.rater_index[k] for k in members], dtype=np.int64)
    established = kf.fit.rater_votes[idx] >= viewpoints.MIN_HISTORY
    pos = kf.fit.rater_factor[idx][established]
    sigma = float(pos.std()) if pos.size >= 2 else float(np.abs(kf.fit.rater_factor[idx]).max(initial=0.0))
    return {
        "bridged_support": round(kf.fit.mu + intercept, 4),
        "mu": round(kf.fit.mu, 4),
        "intercept": round(intercept, 4),
        "factor": round(factor, 4),
        "polarisation": round(abs(factor) * sigma, 4),
        "case_votes": votes,
        "history_votes": int(kf.fit.rater_votes.sum()),
        "history_cases": len(kf.items),
    }


def _cn_reading(session: Session, case_id: int) -> dict[str, Any]:
    """The case read by the Community Notes-rigour scorer (`council.scoring`) on the whole council history.

    Published next to the rule's figures, never binding by itself: a panel of five cannot reach the scorer's
    minimum of 4 net supporters on each side, so on a panel's own votes it says `insufficient_votes`, and the
    council rule keeps its per-side quorums and declared-group fallback (`council.rule`)."""
    from townsquare.council import scoring

    item = viewpoints.case_key(case_id)
    result = scoring.score(viewpoints.history(session), contested={item})
    s = result.items.get(item)
    if s is None:
        return {"status": scoring.INSUFFICIENT, "reasons": ["the case has no counted votes"]}
    return {
        "status": s.status,
        "bridged_support": None if s.bridged_support is None else round(s.bridged_support, 4),
        "net_supporters": s.net_supporters,
        "reasons": s.reasons,
    }


def decide(session: Session, *, case_id: int, actor: str, at_deadline: bool = False) -> CouncilDecision:
    """Compute, store, publish and (when binding) apply the decision of a case."""
    ccase = council_cases.get_case(session, case_id, lock=True)
    if ccase.status != "open":
        raise Conflict(f"council case {case_id} is already {ccase.status}")
    seats = council_cases.seats(session, case_id)
    votes = {
        v.member_id: v
        for v in session.scalars(select(CouncilVote).where(CouncilVote.council_case_id == case_id))
    }
    past_deadline = clock.now() >= clock.as_utc(ccase.deadline)
    live = [s for s in seats if s.frozen_at is None]
    if not at_deadline and not past_deadline and (not seats or any(s.member_id not in votes for s in live)):
        raise Conflict(
            f"the panel of council case {case_id} is still voting (deadline {ccase.deadline.isoformat()})"
        )
    members = {m.id: m for m in session.scalars(select(CouncilMember))}
    draw_positions = {s.member_id: s.viewpoint_at_draw for s in seats}
    reading = _case_reading(session, case_id)
    reading["community_notes"] = _cn_reading(session, case_id)
    confidence, runs, reason = split_confidence(session, case_id=case_id, draw_positions=draw_positions)

    def seat_vote(s: PanelSeat) -> str:
        if s.frozen_at is not None:
            return "frozen"  # a frozen seat's vote counts as absent, whatever was cast before
        return votes[s.member_id].vote if s.member_id in votes else "none"

    panel_votes = [
        rule.PanelVote(
            member_id=s.member_id, position=s.viewpoint_at_draw, vote=seat_vote(s), group=s.group_at_draw
        )
        for s in seats
    ]
    case_charter = charter.of_case(ccase.charter)
    result = rule.evaluate(
        panel_votes,
        bridged_support=reading["bridged_support"],
        polarisation=reading["polarisation"],
        confidence=confidence,
        params=charter.rule_params(ccase.charter),
    )
    modify_to = _modify_to(votes.values()) if result.outcome == "modify" else None
    names = pseudonyms(session, [s.member_id for s in seats], members)
    bridging = {
        **reading,
        "confidence": round(confidence, 4),
        "confidence_label": rule.confidence_label(confidence),
        "confidence_reason": reason,
        "bootstrap_runs": runs,
        "rule": result.as_dict(),
        "at_deadline": bool(at_deadline or past_deadline),
        "charter": {k: case_charter.get(k) for k in ("version", "sha256", "panel_size")},
        "pseudonyms": {str(k): v for k, v in names.items()},
    }
    panel = [
        {
            "member_id": s.member_id,
            "name": names[s.member_id],
            "position_at_draw": s.viewpoint_at_draw,
            "group": s.group_at_draw,
            "frozen": s.frozen_at is not None,
        }
        for s in seats
    ]
    vote_rows = [
        {
            "member_id": s.member_id,
            "name": names[s.member_id],
            "vote": seat_vote(s),
            "modify_to": votes[s.member_id].modify_to if s.member_id in votes else None,
            "rationale": votes[s.member_id].rationale if s.member_id in votes and s.frozen_at is None else "",
        }
        for s in seats
    ]
    decision = CouncilDecision(
        council_case_id=case_id,
        outcome=result.outcome,
        binding=result.binding,
        bridging=bridging,
        published=publish.texts(
            question=ccase.question,
            outcome=result.outcome,
            binding=result.binding,
            panel=panel,
            votes=vote_rows,
            bridging=bridging,
            roster=sorted(m.name for m in members.values() if m.active),
            modify_to=modify_to,
        ),
        created_at=clock.now(),
        modify_to=modify_to,
    )
    session.add(decision)
    ccase.status = "decided"
    session.flush()
    audit.append(
        session,
        actor=actor,
        event="council.decision",
        subject_type="council_case",
        subject_id=str(case_id),
        payload={
            "decision_id": decision.id,
            "outcome": result.outcome,
            "binding": result.binding,
            "mode": result.mode,
            "bridged_support": reading["bridged_support"],
            "confidence": round(confidence, 4),
            "votes": [{k: v[k] for k in ("member_id", "vote")} for v in vote_rows],
            "states": [{"type": "council_case", "id": str(case_id), "status": ccase.status}],
        },
    )
    _close_appeal(session, ccase, decision)
    viewpoints.refresh(session)
    if decision.binding:
        apply(session, decision_id=decision.id, actor="council")
    return decision


def pseudonyms(
    session: Session, member_ids: list[int], members: Mapping[int, CouncilMember]
) -> dict[int, str]:
    """Per-decision pseudonyms ("member A"…) in an order drawn fresh for each decision, so the same letter does
    not follow a member from one decision to the next; a member who opted in is published under their name."""
    order = list(member_ids)
    secrets.SystemRandom().shuffle(order)
    out: dict[int, str] = {}
    for k, mid in enumerate(order):
        m = members.get(mid)
        out[mid] = m.name if m is not None and m.publish_name else f"member {chr(ord('A') + k % 26)}"
    return out


def _modify_to(votes: Iterable[CouncilVote]) -> str:
    """What replaces the ban: the modify voters' choice; a tie takes the stricter (a time-limited suspension)."""
    picks = [v.modify_to for v in votes if v.vote == "modify"]
    return "label" if picks.count("label") > picks.count("suspend") else "suspend"


def _close_appeal(session: Session, ccase: CouncilCase, decision: CouncilDecision) -> None:
    """Tell the appeal how the council answered (a non-binding result leaves the action as it is)."""
    if ccase.appeal_id is None:
        return
    appeal = session.get(Appeal, ccase.appeal_id)
    if appeal is None:
        return
    appeal.status = (
        {"overturn": "overturned", "modify": "modified"}.get(decision.outcome, "upheld")
        if decision.binding
        else "upheld"
    )
    appeal.reviewer = "council"
    appeal.statement = decision.published["en"]["outcome"]
    appeal.decided_at = clock.now()
    from townsquare.notices.authors import notify_appeal  # notices, not moderation: no import circle

    session.flush()
    notify_appeal(session, appeal_id=appeal.id)


def get_decision(session: Session, decision_id: int) -> CouncilDecision:
    row = session.get(CouncilDecision, decision_id)
    if row is None:
        raise NotFound(f"council decision {decision_id} not found", decision_id=decision_id)
    return row


def apply(session: Session, *, decision_id: int, actor: str) -> CouncilDecision:
    """Carry out a binding decision. Non-binding decisions cannot be applied: the status quo stands."""
    decision = get_decision(session, decision_id)
    if not decision.binding:
        raise Forbidden(f"council decision {decision_id} is not binding; the status quo stands")
    if decision.applied_at is not None:
        raise Conflict(f"council decision {decision_id} was already applied")
    ccase = council_cases.get_case(session, decision.council_case_id)
    action = session.get(Action, ccase.action_id) if ccase.action_id is not None else None
    applied: Action | None = None
    if (
        decision.outcome in ("overturn", "modify")
        and action is not None
        and action.status == ActionStatus.ACTIVE.value
    ):
        from townsquare.policy import enforce

        if action.action == ActionType.PERMANENT_BAN.value:
            applied = enforce.lift_permanent_ban(session, decision=decision, actor=actor)
        else:
            applied = enforce.reverse_action(
                session,
                action_id=action.id,
                actor=actor,
                reason=f"Binding council decision {decision.id} (council case {ccase.id}): {decision.outcome}",
            )
        if decision.outcome == "modify":
            applied = _replace(session, decision, action, actor=actor) or applied
    decision.applied_at = clock.now()
    decision.applied_action_id = applied.id if applied is not None else None
    if applied is not None and action is not None:
        from townsquare.notices.reporters import action_reversed  # reporters hear the council's answer

        replacement = (
            applied if applied.id != action.id else None
        )  # `modify` replaced it with a milder action
        action_reversed(session, action, by="council", replacement=replacement)
    session.flush()
    audit.append(
        session,
        actor=actor,
        event="council.decision_applied",
        subject_type="council_decision",
        subject_id=str(decision.id),
        payload={
            "outcome": decision.outcome,
            "council_case_id": ccase.id,
            "action_id": ccase.action_id,
            "applied_action_id": decision.applied_action_id,
        },
    )
    return decision


def _replace(session: Session, decision: CouncilDecision, action: Action, *, actor: str) -> Action | None:
    """What a binding `modify` puts in place of the reversed measure, through the same enforcement function (with
    its own statement of reasons): a time-limited suspension of the account, or a label on the post(s)."""
    from townsquare.policy import enforce

    reason = (
        f"Binding council decision {decision.id} (council case {decision.council_case_id}): modify — the "
        f"{action.action} is replaced by {'a time-limited suspension' if decision.modify_to == 'suspend' else 'a label'}."
    )
    common: dict[str, Any] = {
        "rule_id": action.rule_id,
        "actor": actor or "council",
        "actor_kind": ActorKind.COUNCIL,
        "reason": reason,
    }
    if decision.modify_to == "suspend" and action.account_id:
        return enforce.apply_action(
            session, subject_type="account", subject_id=action.account_id, action=ActionType.SUSPEND, **common
        )
    posts = [action.post_id] if action.post_id else _actioned_posts(session, action)
    out: Action | None = None
    for post_id in posts:
        out = enforce.apply_action(
            session, subject_type="post", subject_id=post_id, action=ActionType.LABEL, **common
        )
    return out


def _actioned_posts(session: Session, ban: Action) -> list[str]:
    """The account's posts acted on under the ban's rule: what a 'restore with a label' labels."""
    rows = session.scalars(
        select(Action.post_id)
        .where(
            Action.account_id == ban.account_id, Action.post_id.is_not(None), Action.rule_id == ban.rule_id
        )
        .distinct()
    )
    return sorted(p for p in rows if p)


def public_view(session: Session, decision: CouncilDecision, *, lang: str | None = None) -> dict[str, Any]:
    ccase = council_cases.get_case(session, decision.council_case_id)
    out: dict[str, Any] = {
        "id": decision.id,
        "council_case_id": decision.council_case_id,
        "origin": ccase.origin,
        "outcome": decision.outcome,
        "binding": decision.binding,
        "created_at": clock.as_utc(decision.created_at).isoformat(),
        "applied_at": clock.as_utc(decision.applied_at).isoformat() if decision.applied_at else None,
        "applied_action_id": decision.applied_action_id,
        "bridging": public_bridging(decision.bridging),
        "published": decision.published if lang is None else {lang: decision.published.get(lang, {})},
    }
    from townsquare.council import recommendations

    out["recommendations"] = [
        recommendations.public_view(r) for r in recommendations.for_decision(session, decision.id)
    ]
    return out


def public_bridging(bridging: dict[str, Any] | None) -> dict[str, Any]:
    """The decision's figures with members' ids replaced by the decision's pseudonyms (panelists' safety)."""
    out = dict(bridging or {})
    names = out.pop("pseudonyms", None) or {}
    rule_out = dict(out.get("rule") or {})
    sides = dict(rule_out.get("sides") or {})
    for key in ("left", "middle", "right"):
        if key in sides:
            sides[key] = [names.get(str(m), "member") for m in sides[key]]
    if "groups" in sides:
        sides["groups"] = {
            g: [names.get(str(m), "member") for m in ids] for g, ids in sides["groups"].items()
        }
    if rule_out:
        rule_out["sides"] = sides
        out["rule"] = rule_out
    return out


def list_decisions(session: Session, *, limit: int = 50, offset: int = 0) -> list[CouncilDecision]:
    return list(
        session.scalars(
            select(CouncilDecision).order_by(CouncilDecision.id.desc()).limit(limit).offset(offset)
        )
    )
