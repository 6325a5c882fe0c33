"""The greedy draw: extremes first, attribute diversity, workload, determinism."""

from __future__ import annotations

from townsquare.council.panel import Candidate, choose
from townsquare.storage.models import CouncilMember


def cand(
    mid: int, pos: float | None, region: str = "EU", load: int = 0, langs: list[str] | None = None
) -> Candidate:
    m = CouncilMember(id=mid, name=f"m{mid}", region=region, languages=langs or [], expertise=[])
    return Candidate(member=m, position=pos, load=load)


def test_extremes_and_the_centre_are_seated() -> None:
    cands = [cand(i, p) for i, p in enumerate([-2.0, -1.9, -0.1, 0.0, 0.1, 1.8, 2.1, 1.0, -1.0])]
    ids = {c.member.id for c in choose(cands, 3, seed=1)}
    assert ids == {0, 6, 3}


def test_attribute_diversity_breaks_near_ties() -> None:
    cands = [cand(0, -2), cand(1, 2), cand(2, 0.0, region="EU"), cand(3, 0.05, region="Africa")]
    cands[0].member.region = "EU"
    cands[1].member.region = "EU"
    ids = {c.member.id for c in choose(cands, 3, seed=1)}
    assert 3 in ids


def test_workload_is_spread() -> None:
    cands = [cand(0, -2), cand(1, 2), cand(2, 0.0, load=5), cand(3, 0.0, load=0)]
    assert 3 in {c.member.id for c in choose(cands, 3, seed=1)}


def test_deterministic_and_small_pools_taken_whole() -> None:
    cands = [cand(i, None) for i in range(8)]
    a = [c.member.id for c in choose(cands, 5, seed=42)]
    b = [c.member.id for c in choose(cands, 5, seed=42)]
    assert a == b and len(set(a)) == 5
    assert len(choose(cands[:3], 5, seed=1)) == 3
