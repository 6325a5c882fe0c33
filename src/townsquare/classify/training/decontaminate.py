"""Written examples that coincide with a case of the blind suite are dropped before training.

The blind suite's authors and the training data's authors never saw each other's sentences, yet short, common
sentences can still come out identical ("I want to disappear" written twice). A test case that is also a training
row measures memory, not the model, so such rows are removed, counted, and the count recorded in the model's
metadata. Only exact matches after folding case and punctuation are removed; the code reads the cases, nobody
who writes training data does. Outside a checkout (no `tests/blind/`), nothing is dropped and the metadata says so.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Protocol, TypeVar

BLIND_DIR = Path(__file__).resolve().parents[4] / "tests" / "blind"
_WORD = re.compile(r"\w+")


class _HasText(Protocol):
    @property
    def text(self) -> str: ...


T = TypeVar("T", bound=_HasText)


def fold(text: str) -> str:
    """Lower case, words only: the comparison key."""
    return " ".join(_WORD.findall(text.lower()))


def blind_keys(directory: Path = BLIND_DIR) -> set[str] | None:
    """The folded texts of every blind case, or None when the suite is not there."""
    files = sorted(directory.glob("cases_*.jsonl")) if directory.is_dir() else []
    if not files:
        return None
    keys: set[str] = set()
    for path in files:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                keys.add(fold(str(json.loads(line)["text"])))
    return keys


def drop_blind(items: Iterable[T], keys: set[str] | None) -> tuple[list[T], int]:
    """(the items whose text is no blind case, how many were dropped)."""
    kept = list(items)
    if not keys:
        return kept, 0
    out = [x for x in kept if fold(x.text) not in keys]
    return out, len(kept) - len(out)
