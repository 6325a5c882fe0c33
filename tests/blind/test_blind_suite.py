"""The blind functional suite (``tests/blind/SPEC.md``): the case files keep to the spec and stay frozen, the shipped
classifier runs over them once, and the figures are printed after the run (``tests/report_sections.py``).

The floors only guard against a collapse of the model: the figures are reported, never tuned on (tuning on the
blind cases would turn them into one more set of training templates).
"""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

import report_sections
from townsquare.classify import LABELS
from townsquare.classify.types import Assessment

_SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "blind_report.py"
FROZEN = Path(__file__).resolve().parent / "FROZEN"


def _load_runner() -> ModuleType:
    """scripts/ is not a package: load the runner by path, once (the module name must be unique in the run)."""
    name = "blind_report"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, _SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


BR = _load_runner()

# Collapse guards, set well below the model measured when the suite was frozen (see the report for the figures).
FLOORS = {
    "accuracy": 0.55,
    "binary_accuracy": 0.65,
    "hateful_recall": 0.50,
    "non_hateful_accuracy": 0.75,
}


def _assessment(
    labels: list[str], scores: dict[str, float], tiers: dict[str, str] | None = None
) -> Assessment:
    """A real Assessment as the model builds it (no stand-in object)."""
    tiers = tiers if tiers is not None else {lab: "high" for lab in labels}
    return Assessment(
        lang="en",
        labels=labels,
        risk="high" if labels else "none",
        scores=scores,
        tiers=tiers,
        garm={},
        evidence=[],
        model="test",
        normalized="",
        stage=1,
    )


# ---------- the files ----------


@pytest.mark.parametrize("lang", BR.LANGS)
def test_cases_file_meets_the_spec(lang: str) -> None:
    path = BR.cases_path(lang)
    assert path.exists(), f"{path} is missing"
    cases = BR.load_cases(path)
    problems = BR.validate(cases, lang)
    assert not problems, f"{len(problems)} problems, first: {problems[:10]}"
    assert len(cases) >= len(BR.PHENOMENA) * BR.MIN_PER_PHENOMENON
    assert len({c.text.strip().lower() for c in cases}) == len(cases), "duplicate texts"


def test_frozen_lists_both_files_with_their_hashes() -> None:
    assert FROZEN.exists(), "tests/blind/FROZEN is missing: the suite must be frozen before training"
    text = FROZEN.read_text(encoding="utf-8")
    assert re.search(r"^date: \d{4}-\d{2}-\d{2}", text, re.M), "FROZEN has no date line"
    listed = dict((name, digest) for digest, name in re.findall(r"^([0-9a-f]{64})  (\S+)$", text, re.M))
    for lang in BR.LANGS:
        path = BR.cases_path(lang)
        assert path.name in listed, f"{path.name} is not frozen"
        assert BR.sha256_of(path) == listed[path.name], f"{path.name} changed after it was frozen"


def test_validate_reports_broken_cases(tmp_path: Path) -> None:
    good = BR.load_cases(BR.cases_path("en"))
    path = tmp_path / "cases_en.jsonl"
    path.write_text(
        '{"id": "en-derog_explicit-001", "lang": "en", "phenomenon": "derog_explicit", "group": "martians", '
        '"text": "x", "expected": "none", "hateful": true}\n',
        encoding="utf-8",
    )
    problems = BR.validate(BR.load_cases(path) + good, "en")
    assert "duplicate id en-derog_explicit-001" in problems
    assert any("unknown group 'martians'" in p for p in problems)
    assert any("expected 'none'" in p for p in problems)
    assert any("hateful must be true exactly" in p for p in problems)
    assert BR.validate(good, "en") == []


def test_load_cases_names_the_bad_line(tmp_path: Path) -> None:
    path = tmp_path / "cases_en.jsonl"
    path.write_text('{"id": "en-x-001"}\nnot json\n', encoding="utf-8")
    with pytest.raises(ValueError, match=r"cases_en\.jsonl:1"):
        BR.load_cases(path)


# ---------- the verdict mapping ----------


def test_verdict_maps_the_shipped_labels() -> None:
    for label, outcome in [
        ("hate_speech", "hate"),
        ("violent_threat", "threat"),
        ("harassment", "harassment"),
        ("self_harm", "self_harm"),
    ]:
        assert label in LABELS
        assert BR.verdict(_assessment([label], {label: 0.9})) == outcome
    assert BR.verdict(_assessment([], {})) == "none"
    assert BR.verdict(_assessment(["profanity", "sensitive_social_issue"], {"profanity": 0.9})) == "none"


def test_verdict_takes_the_surest_outcome_and_ignores_tier_none() -> None:
    both = {"hate_speech": 0.6, "violent_threat": 0.8}
    assert BR.verdict(_assessment(["hate_speech", "violent_threat"], both)) == "threat"
    both = {"hate_speech": 0.9, "violent_threat": 0.8}
    assert BR.verdict(_assessment(["hate_speech", "violent_threat"], both)) == "hate"
    assert BR.verdict(_assessment(["hate_speech"], {"hate_speech": 0.6}, {"hate_speech": "none"})) == "none"


def test_verdict_accepts_labels_that_do_not_exist_yet() -> None:
    assert BR.verdict(_assessment(["suicide_risk"], {"suicide_risk": 0.7})) == "self_harm"
    assert BR.verdict(_assessment(["identity_attack"], {"identity_attack": 0.7})) == "hate"
    assert BR.verdict(_assessment(["threat_to_place"], {"threat_to_place": 0.7})) == "threat"
    assert BR.verdict(_assessment(["insult"], {"insult": 0.7})) == "harassment"
    assert BR.verdict(_assessment(["news_topic"], {"news_topic": 0.9})) == "none"


# ---------- the shipped model on the suite ----------


@pytest.fixture(scope="module")
def blind_summary() -> dict[str, Any]:
    cases = [c for lang in BR.LANGS for c in BR.load_cases(BR.cases_path(lang))]
    summary: dict[str, Any] = BR.summarise(BR.run(cases))
    report_sections.add(
        "classifier blind suite (tests/blind, frozen; reported, not tuned)", BR.markdown(summary)
    )
    return summary


def test_shipped_model_on_the_blind_suite(blind_summary: dict[str, Any]) -> None:
    """One test consumes the run, so that under xdist a single worker classifies and prints the tables."""
    for lang in BR.LANGS:
        s = blind_summary[lang]
        assert s["n"] >= len(BR.PHENOMENA) * BR.MIN_PER_PHENOMENON
        confusion = s["confusion"]
        assert sum(sum(row.values()) for row in confusion.values()) == s["n"]
        low = {k: round(s[k], 3) for k, floor in FLOORS.items() if not s[k] >= floor}
        assert not low, f"{lang}: below the collapse floors {FLOORS}: {low}"
    text = "\n".join(BR.markdown(blind_summary))
    for name in [*BR.PHENOMENA, *BR.GROUPS]:
        assert name in text
