"""The written examples weigh a fixed share of the training mass, however many rounds of them are written."""

from __future__ import annotations

import pytest

from townsquare.classify.train import WRITTEN_SHARE, TrainRow, _share_written, written_weight


def _rows(n_public: int, n_written: int) -> list[TrainRow]:
    public = [TrainRow(f"p{i}", "en", frozenset(), "davidson", "train", 0.6) for i in range(n_public)]
    written = [TrainRow(f"w{i}", "fr", frozenset(), "written:x", "train", 1.0) for i in range(n_written)]
    return public + written


def _share(rows: list[TrainRow]) -> float:
    w = sum(r.weight for r in rows if r.source.startswith("written:"))
    return w / sum(r.weight for r in rows)


@pytest.mark.parametrize("n_written", [10, 1_000, 43_000])
def test_written_rows_weigh_the_fixed_share_whatever_their_number(n_written: int) -> None:
    rows = _share_written(_rows(500, n_written))
    assert _share(rows) == pytest.approx(WRITTEN_SHARE)
    assert [r.weight for r in rows if not r.source.startswith("written:")] == [0.6] * 500  # public untouched


def test_a_new_round_of_written_rows_lowers_each_rows_weight_not_the_public_share() -> None:
    before = written_weight(_share_written(_rows(500, 1_000)))
    after = written_weight(_share_written(_rows(500, 1_500)))
    assert after == pytest.approx(before * 1_000 / 1_500)


def test_nothing_to_share_leaves_rows_alone() -> None:
    only_written = _share_written(_rows(0, 5))
    assert [r.weight for r in only_written] == [1.0] * 5
