"""The ads engine's only door to the classifier: re-assess texts (pre-bid checks, report-time verification).

Kept behind one function so the rest of the package depends on the contract
``townsquare.classify.classify(texts, langs=None) -> list[Assessment]`` (fields ``garm``, ``normalized``,
``lang``, ``model``) and nothing else. When the classifier (or its model file) is not available the function
returns None and callers fall back to what is stored — they never invent a risk vector.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Reassessment:
    garm: dict[str, str]
    normalized: str
    lang: str | None
    model: str


def reassess(texts: Sequence[str], langs: Sequence[str | None] | None = None) -> list[Reassessment] | None:
    """Classify texts now; None when no classifier can run here."""
    if not texts:
        return []
    try:
        from townsquare.classify import classify
    except ImportError:
        return None
    try:
        results: list[Any] = list(classify(list(texts), langs=list(langs) if langs is not None else None))
    except (FileNotFoundError, OSError, ImportError, NotImplementedError):
        return None
    return [
        Reassessment(
            garm=dict(getattr(r, "garm", {}) or {}),
            normalized=str(getattr(r, "normalized", "") or ""),
            lang=getattr(r, "lang", None),
            model=str(getattr(r, "model", "")),
        )
        for r in results
    ]
