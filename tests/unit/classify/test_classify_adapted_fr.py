"""French adaptations of ToxiGen / HatemojiBuild rows (issue 14, item 2): only training-split rows, same labels.

An adapted test or calibration row would leak the held-out figures (its French twin would be trained on), so every
adapted row must name a source row that exists, carries the same label and falls in the TRAINING split.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from townsquare.classify import data as D
from townsquare.classify import taxonomy
from townsquare.classify.training import adapted as A


def _datasets() -> Path:
    path = D.default_datasets_path()
    if path is None or not (path / "toxigen-seeds").is_dir() or not (path / "hatemoji-build").is_dir():
        pytest.skip(
            "public datasets not found: set TOWNSQUARE_DATASETS or place them in <repo>/../shared/datasets"
        )
    return path


def test_adapted_file_parses_with_licence_and_both_labels_per_source() -> None:
    rows = A.adapted()
    assert len(rows) >= 300
    for src in A.SOURCES:
        mine = [r for r in rows if r.source == src]
        assert any("hate_speech" in r.labels for r in mine), src
        assert any(not r.labels for r in mine), src
    for r in rows:
        assert r.labels <= set(taxonomy.LABELS)
        assert r.labels in (
            frozenset(),
            frozenset({"hate_speech"}),
            frozenset({"hate_speech", "violent_threat"}),
        )


def test_every_adapted_row_comes_from_a_training_split_row_with_its_label() -> None:
    index = A.source_index(_datasets())
    assert set(index) == set(A.SOURCES)
    rows = A.adapted()
    for r in rows:
        src = index[r.source][r.row_id]
        assert src.split == "train", (r.source, r.row_id, src.split)
        assert src.labels == r.labels, (r.source, r.row_id)
    assert A.problems(rows, index) == []


def test_adapted_rows_train_as_french_rows_weighted_like_their_source() -> None:
    path = _datasets()
    rows = A.load_adapted(path)
    assert len(rows) == len(A.adapted())
    for r in rows:
        assert r.lang == "fr" and r.split == "train"
        assert r.dataset in ("toxigen_fr", "hatemoji_fr")
        assert r.weight == (D.TOXIGEN_WEIGHT if r.dataset == "toxigen_fr" else D.HATEMOJI_WEIGHT)
        assert r.toxic == int("hate_speech" in r.labels)
    assert sum(r.dataset in ("toxigen_fr", "hatemoji_fr") for r in D.load_all(path)) == len(rows)


def test_a_held_out_or_relabelled_source_row_is_refused() -> None:
    a = A.Adapted("hatemoji", "7", frozenset({"hate_speech"}), "texte")
    for split in ("test", "calib"):
        index = {"hatemoji": {"7": A.SourceRow(split, frozenset({"hate_speech"}))}}
        assert "split" in A.problems((a,), index)[0]
    relabelled = {"hatemoji": {"7": A.SourceRow("train", frozenset())}}
    assert "labels" in A.problems((a,), relabelled)[0]
    assert "not in the dataset" in A.problems((a,), {"hatemoji": {}})[0]
    assert A.problems((a,), {"hatemoji": {"7": A.SourceRow("train", frozenset({"hate_speech"}))}}) == []


def test_rows_of_an_absent_source_dataset_are_left_out(tmp_path: Path) -> None:
    assert A.load_adapted(tmp_path) == []


def test_malformed_rows_are_refused() -> None:
    head = {"toxigen": {"licence": "MIT", "attribution": "x", "origin": "y"}}
    row = {"src": "toxigen", "id": "abc", "labels": ["hate_speech"], "fr": "une phrase"}
    assert len(A.check({"sources": head, "rows": [row]})) == 1
    with pytest.raises(ValueError, match="duplicate"):
        A.check({"sources": head, "rows": [row, {**row, "id": "abd"}]})
    with pytest.raises(ValueError, match="twice"):
        A.check({"sources": head, "rows": [row, {**row, "fr": "autre"}]})
    with pytest.raises(ValueError, match="unknown labels"):
        A.check({"sources": head, "rows": [{**row, "labels": ["nope"]}]})
    with pytest.raises(ValueError, match="not declared"):
        A.check({"sources": head, "rows": [{**row, "src": "hatemoji"}]})
    with pytest.raises(ValueError, match="licence"):
        A.check({"sources": {"toxigen": {"attribution": "x", "origin": "y"}}, "rows": []})


def test_the_varied_hate_files_are_read_by_the_training_loader() -> None:
    """A data file is read only when its name ends with ``_<lang>.yaml`` (a ``hate_fr_more.yaml`` would be ignored)."""
    from townsquare.classify.training import generate, loader

    for lang in loader.LANGS:
        name = f"varied_hate_{lang}.yaml"
        assert name in loader.template_files(lang)
        examples = [e for e in generate(13, files={"en": (), "fr": (), lang: (name,)}) if e.lang == lang]
        mine = [e for e in examples if not e.phenomenon.startswith("compose_")]
        assert any("hate_speech" in e.labels for e in mine) and any(not e.labels for e in mine)
