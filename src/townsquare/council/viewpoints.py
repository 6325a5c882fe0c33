"""Members' positions on the viewpoint axis, fitted on the whole council voting history.

Every council case is an item and every member a rater; an `overturn` vote counts 1, `uphold` 0, and `abstain`
is left out (it says nothing about the question). Positions are stored standardised (f_u / σ over members with
at least `MIN_HISTORY` votes), so 1.0 means "one standard deviation to the right of the council's centre";
members with a shorter history get `None` (unknown) — the factor says nothing reliable about them yet.
Optionally the community's poll votes on council cases are added as extra raters of the same items, which pins
the axis with far more data (they never enter a decision's support; see council.decisions).
"""

from __future__ import annotations

from collections.abc import Collection

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from townsquare.council.bridging import KeyedFit, fit_keyed
from townsquare.storage.models import CouncilMember, CouncilVote, Poll, PollVote

VOTE_VALUE = {"overturn": 1.0, "modify": 1.0, "uphold": 0.0}
"""`modify` wants the ban gone as much as `overturn` does (it replaces it with a lesser measure)."""
MIN_HISTORY = 3
SEED = 20_260_101
"""The fixed seed of every council fit: the same history always gives the same positions."""


def member_key(member_id: int) -> str:
    return f"m{member_id}"


def case_key(case_id: int) -> str:
    return f"c{case_id}"


def history(
    session: Session,
    *,
    exclude_cases: Collection[int] = (),
    only_cases: Collection[int] | None = None,
    include_community: bool = False,
) -> list[tuple[str, str, float]]:
    """(rater, item, value) triples of council votes (and optionally community poll votes on cases)."""
    rows = session.execute(
        select(CouncilVote.member_id, CouncilVote.council_case_id, CouncilVote.vote).order_by(CouncilVote.id)
    ).all()
    out = [
        (member_key(m), case_key(c), VOTE_VALUE[v])
        for m, c, v in rows
        if v in VOTE_VALUE and c not in exclude_cases and (only_cases is None or c in only_cases)
    ]
    if include_community:
        poll_rows = session.execute(
            select(PollVote.account_id, Poll.council_case_id, PollVote.value).join(
                Poll, Poll.id == PollVote.poll_id
            )
        ).all()
        out.extend(
            (f"a:{a}", case_key(c), float(v))
            for a, c, v in poll_rows
            if c not in exclude_cases and (only_cases is None or c in only_cases)
        )
    return out


def standardised_positions(kf: KeyedFit, *, min_history: int = MIN_HISTORY) -> dict[str, float | None]:
    """Member key → f_u / σ (σ over members with ≥ min_history votes), None below that history."""
    f = kf.fit
    keys = [k for k in kf.raters if k.startswith("m")]
    idx = np.array([kf.rater_index[k] for k in keys], dtype=np.int64)
    if idx.size == 0:
        return {}
    established = f.rater_votes[idx] >= min_history
    pos = f.rater_factor[idx]
    sigma = float(pos[established].std()) if established.sum() >= 2 else 0.0
    out: dict[str, float | None] = {}
    for k, p, ok in zip(keys, pos, established, strict=True):
        out[k] = round(float(p) / sigma, 4) if ok and sigma > 1e-9 else None
    return out


def fit_history(
    session: Session,
    *,
    exclude_cases: Collection[int] = (),
    include_community: bool = False,
    seed: int = SEED,
) -> KeyedFit | None:
    votes = history(session, exclude_cases=exclude_cases, include_community=include_community)
    if not votes:
        return None
    return fit_keyed(votes, seed=seed)


def refresh(session: Session, *, include_community: bool = False) -> dict[int, float | None]:
    """Refit on the whole history and store every member's standardised position; returns id → position."""
    kf = fit_history(session, include_community=include_community)
    positions = standardised_positions(kf) if kf else {}
    out: dict[int, float | None] = {}
    for member in session.scalars(select(CouncilMember).order_by(CouncilMember.id)):
        member.viewpoint = positions.get(member_key(member.id))
        out[member.id] = member.viewpoint
    session.flush()
    return out
