"""Written training examples identical to a blind case are dropped (the suite must measure the model, not memory)."""

from __future__ import annotations

import json
from pathlib import Path

from townsquare.classify.training import Example, generate
from townsquare.classify.training.decontaminate import BLIND_DIR, blind_keys, drop_blind, fold


def _suite(tmp_path: Path, texts: list[str]) -> Path:
    (tmp_path / "cases_en.jsonl").write_text(
        "".join(json.dumps({"text": t, "phenomenon": "x"}) + "\n" for t in texts), encoding="utf-8"
    )
    return tmp_path


def test_identical_texts_are_dropped_whatever_their_case_and_punctuation(tmp_path: Path) -> None:
    keys = blind_keys(_suite(tmp_path, ["I just want to disappear.", "Nice weather today"]))
    ex = [
        Example("i just want to DISAPPEAR!!", "en", frozenset({"self_harm"}), "p"),
        Example("I just want to disappear for a while to rest", "en", frozenset(), "p"),
    ]
    kept, dropped = drop_blind(ex, keys)
    assert dropped == 1 and [e.text for e in kept] == [ex[1].text]


def test_no_suite_drops_nothing(tmp_path: Path) -> None:
    assert blind_keys(tmp_path / "absent") is None
    ex = [Example("anything", "en", frozenset(), "p")]
    assert drop_blind(ex, None) == (ex, 0)


def test_the_training_rows_share_no_sentence_with_the_blind_suite() -> None:
    """Checked by code only: no one who writes training data reads the cases."""
    keys = blind_keys(BLIND_DIR)
    assert keys, "the blind suite is part of the checkout"
    from townsquare.classify.train import written_examples

    notes: dict[str, int | None] = {}
    written = written_examples(notes=notes)
    assert notes["blind_dropped"] is not None
    assert not {fold(e.text) for e in written} & keys
    assert len(generate()) - notes["blind_dropped"] == len(written)
