"""The council's decision rule: bridged support plus explicit per-side quorums, with a stated confidence.

Why both: on a panel of five, one latent factor fitted on a few dozen past cases is poorly determined, so the
factorisation alone must not decide. The rule therefore asks two independent questions and binds only when both
say yes:

1. Factorisation: the case's bridged support μ + i_case (the vote predicted for a member at the centre of the
   axis) is at least `support_threshold`, and the case is not polarised (|f_case| · σ < `max_polarisation`).
2. Explicit quorums: the panel is split by the positions fixed when it was drawn (before anyone voted) into a
   lower half and an upper half (the median member of an odd panel sits in the middle); each half needs at least
   `min_per_side` supporters and at least `side_share` of its non-abstaining votes.

When the split cannot be trusted — positions unknown, halves closer than `min_side_gap` standard deviations, or a
bootstrap `confidence` below `min_confidence` — the rule falls back to a supermajority (`fallback_share` of the
non-abstaining votes) **that must also have supporters in at least `fallback_min_groups` of the charter's declared
viewpoint groups** (the groups members declared at appointment, fixed on the seat at the draw) — or, for seats
without a declared group, supporters in both halves of the draw-time split. A supermajority alone is not enough:
with no history, four members of one camp were a 4-1 "supermajority" (issue 11). When neither declared groups nor
positions can tell the sides apart the mode is `no_decision`: nothing can bind. Every path needs `min_votes`
non-abstaining votes. Anything else is `no_consensus`, and the status quo stands (a permanent ban stays).

Frozen seats (a compromised seat frozen by an admin) count as absent: their vote is never counted. Absent seats —
frozen, or silent until the deadline (a revoked key, say) — stay in every share's denominator as "not supporting",
so silencing a dissenter can never raise anyone's share; only an explicit `abstain` leaves the denominator. `modify` (replace the ban
with a lesser measure) is supported by `modify` and `overturn` voters alike (both want the ban gone), and binds
only when `overturn` itself does not.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

OUTCOMES = ("overturn", "modify", "uphold")
SUPPORTERS = {"overturn": ("overturn",), "modify": ("modify", "overturn"), "uphold": ("uphold",)}
MODES = ("bridged", "fallback", "no_decision")


@dataclass(frozen=True)
class RuleParams:
    min_votes: int = 3
    support_threshold: float = 0.60
    max_polarisation: float = 0.25
    min_per_side: int = 1
    side_share: float = 0.5
    min_side_gap: float = 0.5
    min_confidence: float = 0.7
    fallback_share: float = 0.8
    fallback_min_groups: int = 2


@dataclass(frozen=True)
class PanelVote:
    member_id: int
    position: float | None
    """Standardised position when the panel was drawn; None when the member had too little history."""
    vote: str
    """uphold | overturn | modify | abstain | none (did not vote) | frozen (seat frozen: counts as absent)"""
    group: str | None = None
    """The declared viewpoint group fixed on the seat at the draw (None for members without one)."""


@dataclass(frozen=True)
class RuleResult:
    outcome: str
    binding: bool
    mode: str
    """bridged | fallback | no_decision"""
    sides: dict[str, Any]
    checks: dict[str, dict[str, Any]]
    counts: dict[str, int]
    params: RuleParams = field(default_factory=RuleParams)

    def as_dict(self) -> dict[str, Any]:
        return {
            "outcome": self.outcome,
            "binding": self.binding,
            "mode": self.mode,
            "sides": self.sides,
            "checks": self.checks,
            "counts": self.counts,
            "params": asdict(self.params),
        }


def split(votes: Sequence[PanelVote]) -> tuple[list[int], list[int], list[int], float | None]:
    """Lower half, middle, upper half (member ids) by draw-time position, and the gap between the halves."""
    known = sorted((v for v in votes if v.position is not None), key=lambda v: (v.position, v.member_id))
    half = len(known) // 2
    left = [v.member_id for v in known[:half]]
    right = [v.member_id for v in known[len(known) - half :]] if half else []
    middle = [v.member_id for v in votes if v.member_id not in left and v.member_id not in right]
    if not half:
        return left, middle, right, None
    lo = known[half - 1].position
    hi = known[len(known) - half].position
    assert lo is not None and hi is not None
    return left, middle, right, float(hi - lo)


def _groups(votes: Sequence[PanelVote]) -> dict[str, list[int]]:
    out: dict[str, list[int]] = {}
    for v in votes:
        if v.group:
            out.setdefault(v.group, []).append(v.member_id)
    return out


def evaluate(
    votes: Sequence[PanelVote],
    *,
    bridged_support: float | None,
    polarisation: float | None,
    confidence: float,
    params: RuleParams | None = None,
) -> RuleResult:
    """Apply the rule to a panel's votes and the factorisation's reading of the case."""
    p = params or RuleParams()
    left, middle, right, gap = split(votes)
    cast = [v for v in votes if v.vote in OUTCOMES]
    # seats that cast nothing (frozen, or silent until the deadline — e.g. a revoked key) count as not supporting:
    # silencing a dissenter must never raise a share
    absent = [v for v in votes if v.vote in ("frozen", "none")]
    counts = {
        k: sum(1 for v in votes if v.vote == k)
        for k in ("overturn", "modify", "uphold", "abstain", "none", "frozen")
    }
    groups = _groups(votes)
    trusted = (
        gap is not None
        and gap >= p.min_side_gap
        and confidence >= p.min_confidence
        and bridged_support is not None
    )
    # the fallback tells sides apart by declared groups when every seat has one, otherwise by the halves
    by_groups = bool(votes) and all(v.group for v in votes) and len(groups) >= 2
    by_halves = bool(left) and bool(right)
    mode = "bridged" if trusted else "fallback" if (by_groups or by_halves) else "no_decision"
    by_id = {v.member_id: v for v in votes}
    checks: dict[str, dict[str, Any]] = {}
    outcome = "no_consensus"
    for option in OUTCOMES:
        backers = SUPPORTERS[option]
        c: dict[str, Any] = {"quorum": len(cast) >= p.min_votes}
        if mode == "bridged":
            assert bridged_support is not None
            support = bridged_support if option != "uphold" else 1.0 - bridged_support
            c["bridged_support"] = round(support, 4)
            c["support_ok"] = support >= p.support_threshold
            c["not_polarised"] = polarisation is not None and polarisation < p.max_polarisation
            for name, members in (("left", left), ("right", right)):
                side_cast = [by_id[m] for m in members if by_id[m].vote in (*OUTCOMES, "frozen", "none")]
                supporters = sum(1 for v in side_cast if v.vote in backers)
                share = supporters / len(side_cast) if side_cast else 0.0
                c[f"{name}_supporters"] = supporters
                c[f"{name}_ok"] = supporters >= p.min_per_side and share >= p.side_share
            passed = all(c[k] for k in ("quorum", "support_ok", "not_polarised", "left_ok", "right_ok"))
        elif mode == "fallback":
            supporters_ids = [v.member_id for v in cast if v.vote in backers]
            denominator = len(cast) + len(absent)
            share = len(supporters_ids) / denominator if denominator else 0.0
            c["share"] = round(share, 4)
            c["supermajority_ok"] = share >= p.fallback_share
            if by_groups:
                backing = sorted({by_id[m].group or "" for m in supporters_ids})
                c["basis"] = "declared_groups"
                c["supporting_groups"] = backing
                c["sides_ok"] = len(backing) >= p.fallback_min_groups
            else:
                c["basis"] = "halves"
                c["left_supporters"] = sum(1 for m in supporters_ids if m in left)
                c["right_supporters"] = sum(1 for m in supporters_ids if m in right)
                c["sides_ok"] = c["left_supporters"] >= 1 and c["right_supporters"] >= 1
            passed = bool(c["quorum"] and c["supermajority_ok"] and c["sides_ok"])
        else:
            c["reason"] = "neither declared groups nor positions tell the panel's sides apart"
            passed = False
        c["passed"] = passed
        checks[option] = c
        if passed and outcome == "no_consensus":
            outcome = option
    sides: dict[str, Any] = {"left": left, "middle": middle, "right": right}
    if groups:
        sides["groups"] = groups
    return RuleResult(
        outcome=outcome,
        binding=outcome != "no_consensus",
        mode=mode,
        sides=sides,
        checks=checks,
        counts=counts,
        params=p,
    )


def confidence_label(confidence: float) -> str:
    return "high" if confidence >= 0.9 else "medium" if confidence >= 0.7 else "low"
