"""The functional cases moved from Python to data files (cases_<lang>.jsonl) unchanged.

COUNT and DIGEST were computed from ``load_suite()`` over the Python files just before the move; any change to a
case, its phenomenon, its label or the order changes the digest. Change them only with a reviewed change of cases.
"""

from __future__ import annotations

import hashlib
import json
import runpy
from pathlib import Path

import pytest

from townsquare.classify import evaluate as E

COUNT = 1460
DIGEST = "82e7d97c4ab6292ecc5c0fb9f731090389cc98672e5f1eadc89b2cf749f102cb"


def digest(cases: list[E.Case]) -> str:
    blob = json.dumps([[c.lang, c.phenomenon, c.hateful, c.text] for c in cases], ensure_ascii=False)
    return hashlib.sha256(blob.encode()).hexdigest()


def test_cases_are_those_before_the_move() -> None:
    cases = E.load_suite()
    assert len(cases) == COUNT
    assert digest(cases) == DIGEST


def test_one_changed_case_changes_the_digest() -> None:
    cases = E.load_suite()
    changed = [
        *cases[:-1],
        E.Case(cases[-1].lang, cases[-1].phenomenon, cases[-1].hateful, cases[-1].text + "."),
    ]
    assert digest(changed) != DIGEST


@pytest.mark.parametrize(
    ("line", "why"),
    [
        ('{"phenomenon": "x", "hateful": "yes", "text": "t"}', "hateful \\(bool\\)"),
        ('{"phenomenon": "x", "hateful": true}', "text \\(str\\)"),
    ],
)
def test_loader_refuses_a_malformed_line(tmp_path: Path, line: str, why: str) -> None:
    phenomena = runpy.run_path(str(Path(__file__).with_name("functional_cases.py")))["phenomena"]
    path = tmp_path / "cases_xx.jsonl"
    path.write_text('{"phenomenon": "x", "hateful": true, "text": "ok"}\n' + line + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match=rf"cases_xx\.jsonl:2: .*{why}"):
        phenomena(path)


def test_loader_refuses_a_phenomenon_with_two_labels(tmp_path: Path) -> None:
    phenomena = runpy.run_path(str(Path(__file__).with_name("functional_cases.py")))["phenomena"]
    path = tmp_path / "cases_xx.jsonl"
    rows = [
        {"phenomenon": "x", "hateful": True, "text": "a"},
        {"phenomenon": "x", "hateful": False, "text": "b"},
    ]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    with pytest.raises(ValueError, match=r"cases_xx\.jsonl:2"):
        phenomena(path)
