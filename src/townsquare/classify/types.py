"""Public result types of the classifier (plain Python: no numpy in here)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Evidence:
    """A span of the ORIGINAL text that drove a label."""

    label: str
    start: int
    end: int
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {"label": self.label, "start": self.start, "end": self.end, "text": self.text}


@dataclass(frozen=True)
class Assessment:
    """The classifier's verdict on one text.

    ``garm`` lists only the GARM categories whose tier is above ``none`` (an absent category is ``none``); it
    combines the labels' tiers and the brand-safety topics' tiers.
    """

    lang: str
    labels: list[str]
    risk: str
    scores: dict[str, float]
    tiers: dict[str, str]
    garm: dict[str, str]
    evidence: list[Evidence] = field(default_factory=list)
    model: str = ""
    normalized: str = ""
    stage: int = 1  # 1: fast path only; 2: the sentence-encoder second stage was applied
    # brand-safety topics (news of crime/terrorism/war/tragedy, debates): GARM suitability only, never a policy
    # signal; their tiers are folded into ``garm``, never into ``scores``/``tiers``/``risk``
    topics: dict[str, float] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """JSON-able form: the CLI/API output object minus ``id``."""
        return {
            "lang": self.lang,
            "labels": list(self.labels),
            "risk": self.risk,
            "scores": dict(self.scores),
            "tiers": dict(self.tiers),
            "garm": dict(self.garm),
            "evidence": [e.to_dict() for e in self.evidence],
            "topics": dict(self.topics),
            "model": self.model,
        }
