"""Drawing a panel: maximise spread on the viewpoint axis and across declared attributes, without conflicts.

Why greedy max-min: the two members furthest apart on the axis are seated first, then each next seat goes to the
candidate that is furthest from everyone already seated (in standard deviations, capped at 2), plus a bonus for
each region, language or field of expertise the panel does not have yet, minus a small penalty per open seat the
member already holds (spreads the workload). Ties are broken by a generator seeded with the case id, so a draw is
reproducible and auditable. A member with an unknown position (too little history) counts as the centre.

Declared viewpoint groups (the charter's groups, declared at appointment): while history is thin — fewer
candidates with a known position than seats — positions say nothing, so the draw spreads the panel across declared
groups first (each seat goes to the least-represented group, a strong term); with enough history the axis leads
and groups weigh like any other attribute. Either way a packed group cannot fill a panel while other groups have
eligible members.

Conflicts of interest exclude a member whose key name reported the subject, took an enforcement action on it,
decided a moderation case about it, reviewed an appeal about it, referred the case, or is the subject itself.
For an account, its posts count as the subject too.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from townsquare.storage.models import (
    Action,
    Appeal,
    Case,
    CaseDecision,
    CouncilCase,
    CouncilMember,
    PanelSeat,
    Post,
    Report,
)

SPREAD_CAP = 2.0
ATTRIBUTE_WEIGHT = 0.35
LOAD_WEIGHT = 0.15
GROUP_WEIGHT_THIN = 5.0
GROUP_WEIGHT_RICH = 0.35


@dataclass(frozen=True)
class Candidate:
    member: CouncilMember
    position: float | None
    load: int

    @property
    def group(self) -> str:
        return self.member.viewpoint_group or ""

    @property
    def axis(self) -> float:
        return 0.0 if self.position is None else self.position

    def attributes(self) -> set[str]:
        out = {f"region:{self.member.region}"} if self.member.region else set()
        out |= {f"lang:{x}" for x in (self.member.languages or [])}
        out |= {f"exp:{x}" for x in (self.member.expertise or [])}
        return out


def conflicted_keys(session: Session, ccase: CouncilCase) -> set[str]:
    """Key names with a conflict of interest on this case's subject."""
    keys: set[str] = {ccase.referred_by} if ccase.referred_by else set()
    stype, sid = ccase.subject_type, ccase.subject_id
    if not stype or not sid:
        return keys
    post_ids: list[str] = []
    account_ids: list[str] = []
    if stype == "account":
        account_ids = [sid]
        keys.add(sid)
        post_ids = list(session.scalars(select(Post.id).where(Post.author_id == sid)))
    else:
        post_ids = [sid]
        author = session.scalar(select(Post.author_id).where(Post.id == sid))
        if author:
            keys.add(author)
    subject_ids = account_ids + post_ids
    keys |= set(session.scalars(select(Report.reporter_id).where(Report.subject_id.in_(subject_ids))))
    on_subject = or_(Action.account_id.in_(account_ids), Action.post_id.in_(post_ids))
    keys |= {a for a in session.scalars(select(Action.actor).where(on_subject)) if a}
    case_ids = list(
        session.scalars(
            select(Case.id).where(or_(Case.account_id.in_(account_ids), Case.post_id.in_(post_ids)))
        )
    )
    if case_ids:
        keys |= set(session.scalars(select(CaseDecision.moderator).where(CaseDecision.case_id.in_(case_ids))))
    action_ids = list(session.scalars(select(Action.id).where(on_subject)))
    if action_ids:
        keys |= {
            r for r in session.scalars(select(Appeal.reviewer).where(Appeal.action_id.in_(action_ids))) if r
        }
    keys.discard("")
    return keys


def candidates(
    session: Session, ccase: CouncilCase, positions: dict[int, float | None]
) -> tuple[list[Candidate], list[int]]:
    """Eligible candidates and the ids of members excluded for a conflict of interest."""
    conflicted = conflicted_keys(session, ccase)
    loads = dict(
        session.execute(
            select(PanelSeat.member_id, func.count())
            .join(CouncilCase, CouncilCase.id == PanelSeat.council_case_id)
            .where(CouncilCase.status == "open")
            .group_by(PanelSeat.member_id)
        ).all()
    )
    out: list[Candidate] = []
    excluded: list[int] = []
    for m in session.scalars(
        select(CouncilMember).where(CouncilMember.active.is_(True)).order_by(CouncilMember.id)
    ):
        if m.key_id is None and not m.key_name:
            continue  # not enrolled yet: a seat without a key could never vote
        if m.key_name in conflicted or m.name in conflicted:
            excluded.append(m.id)
            continue
        out.append(Candidate(member=m, position=positions.get(m.id), load=int(loads.get(m.id, 0))))
    return out, excluded


def choose(cands: list[Candidate], size: int, seed: int) -> list[Candidate]:
    """Greedy max-min spread with group, attribute and workload terms; deterministic for a seed."""
    if len(cands) <= size:
        return list(cands)
    rng = np.random.default_rng(seed)
    jitter = rng.random(len(cands)) * 1e-3
    order = list(range(len(cands)))
    thin = sum(1 for c in cands if c.position is not None) < size
    group_weight = GROUP_WEIGHT_THIN if thin else GROUP_WEIGHT_RICH
    if thin:
        # no usable axis: the first seat is the least loaded member of the largest group (ties by jitter)
        sizes: dict[str, int] = {}
        for c in cands:
            sizes[c.group] = sizes.get(c.group, 0) + 1
        chosen = [min(order, key=lambda i: (-sizes[cands[i].group], cands[i].load, jitter[i]))]
    else:
        # first seats: the two extremes of the axis (least loaded, then jitter, on ties)
        lo = min(order, key=lambda i: (cands[i].axis, cands[i].load, jitter[i]))
        hi = max(order, key=lambda i: (cands[i].axis, -cands[i].load, jitter[i]))
        chosen = [lo] if lo == hi else [lo, hi]
    while len(chosen) < size:
        seen: set[str] = set().union(*(cands[i].attributes() for i in chosen))
        on_panel: dict[str, int] = {}
        for j in chosen:
            on_panel[cands[j].group] = on_panel.get(cands[j].group, 0) + 1
        best, best_score = -1, -np.inf
        for i in order:
            if i in chosen:
                continue
            dist = min(abs(cands[i].axis - cands[j].axis) for j in chosen)
            new_attrs = len(cands[i].attributes() - seen)
            score = min(dist, SPREAD_CAP) + ATTRIBUTE_WEIGHT * min(new_attrs, 3) - LOAD_WEIGHT * cands[i].load
            score -= group_weight * on_panel.get(cands[i].group, 0)
            score += jitter[i]
            if score > best_score:
                best, best_score = i, score
        chosen.append(best)
    return [cands[i] for i in chosen]
