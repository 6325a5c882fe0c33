"""Rule conditions: small immutable predicates over the facts known about a post when it is evaluated.

Each condition answers `matches(facts)` and `describe()`; the description goes into decision facts and replay
reports, so a reader sees *why* a rule fired without reading the YAML.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property

from townsquare.classify import taxonomy

_RANK: dict[str, int] = {t: taxonomy.tier_rank(t) for t in taxonomy.TIERS}


def fold(text: str) -> str:
    """Case- and accent-insensitive form used by keyword lists (the classifier's normalised text is also tried)."""
    if text.isascii():
        return " ".join(text.lower().split())
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(stripped.casefold().split())


@dataclass(frozen=True)
class Facts:
    """Everything a rule may look at. Deliberately no advertiser data: enforcement never sees ads."""

    labels: frozenset[str] = frozenset()
    scores: Mapping[str, float] = field(default_factory=dict)
    tiers: Mapping[str, str] = field(default_factory=dict)
    text: str = ""
    normalized: str = ""
    lang: str | None = None
    strikes: float = 0.0
    """Active strike weight of the author at evaluation time."""
    reports: int = 0
    """Distinct reporters of the post."""

    def tier(self, label: str) -> str:
        if label == "any":
            actionable = [
                t for lab, t in self.tiers.items() if lab in taxonomy.SPECS and taxonomy.is_actionable(lab)
            ]
            return taxonomy.max_tier(actionable)
        return self.tiers.get(label, "none")

    def score(self, label: str) -> float:
        if label == "any":
            values = [
                float(s)
                for lab, s in self.scores.items()
                if lab in taxonomy.SPECS and taxonomy.is_actionable(lab)
            ]
            return max(values, default=0.0)
        return float(self.scores.get(label, 0.0))

    @cached_property
    def searchable(self) -> tuple[str, ...]:
        """Texts patterns run on: as written, folded (no case/accents) and the classifier's normalised form."""
        texts = [self.text, fold(self.text)]
        if self.normalized:
            texts.append(fold(self.normalized))
        return tuple(texts)


class Condition:
    """Base of all conditions."""

    def matches(self, facts: Facts) -> bool:  # pragma: no cover - abstract
        raise NotImplementedError

    def describe(self) -> str:  # pragma: no cover - abstract
        raise NotImplementedError

    def labels(self) -> frozenset[str]:
        """Classifier labels the condition looks at (to pick the DSA category of a rule)."""
        return frozenset()


@dataclass(frozen=True)
class All(Condition):
    parts: tuple[Condition, ...]

    def matches(self, facts: Facts) -> bool:
        return all(p.matches(facts) for p in self.parts)

    def describe(self) -> str:
        return "(" + " and ".join(p.describe() for p in self.parts) + ")"

    def labels(self) -> frozenset[str]:
        return frozenset().union(*(p.labels() for p in self.parts))


@dataclass(frozen=True)
class Any_(Condition):
    parts: tuple[Condition, ...]

    def matches(self, facts: Facts) -> bool:
        return any(p.matches(facts) for p in self.parts)

    def describe(self) -> str:
        return "(" + " or ".join(p.describe() for p in self.parts) + ")"

    def labels(self) -> frozenset[str]:
        return frozenset().union(*(p.labels() for p in self.parts))


@dataclass(frozen=True)
class Not(Condition):
    part: Condition

    def matches(self, facts: Facts) -> bool:
        return not self.part.matches(facts)

    def describe(self) -> str:
        return f"not {self.part.describe()}"


@dataclass(frozen=True)
class Label(Condition):
    label: str

    def matches(self, facts: Facts) -> bool:
        return self.label in facts.labels

    def describe(self) -> str:
        return f"label {self.label}"

    def labels(self) -> frozenset[str]:
        return frozenset({self.label})


def _within(value: float, at_least: float | None, below: float | None) -> bool:
    """The half-open range ``[at_least, below)`` every threshold condition uses; either end may be open."""
    if at_least is not None and value < at_least:
        return False
    return not (below is not None and value >= below)


def _bounds(at_least: str | float | None, below: str | float | None, fmt: str = "") -> str:
    """``">= a and < b"`` for a rule's explanation (statements of reasons quote it)."""
    parts = []
    if at_least is not None:
        parts.append(f">= {at_least:{fmt}}")
    if below is not None:
        parts.append(f"< {below:{fmt}}")
    return " and ".join(parts)


@dataclass(frozen=True)
class Tier(Condition):
    label: str
    at_least: str | None = None
    below: str | None = None

    def __post_init__(self) -> None:
        # Ranks resolved once: this test runs for every rule on every post.
        object.__setattr__(self, "_lo", -1 if self.at_least is None else _RANK[self.at_least])
        object.__setattr__(self, "_hi", len(_RANK) if self.below is None else _RANK[self.below])

    def matches(self, facts: Facts) -> bool:
        rank = _RANK[facts.tier(self.label)]
        return bool(self._lo <= rank < self._hi)  # type: ignore[attr-defined]

    def describe(self) -> str:
        return f"tier({self.label}) {_bounds(self.at_least, self.below)}"

    def labels(self) -> frozenset[str]:
        return frozenset() if self.label == "any" else frozenset({self.label})


@dataclass(frozen=True)
class Score(Condition):
    label: str
    at_least: float | None = None
    below: float | None = None

    def matches(self, facts: Facts) -> bool:
        value = facts.score(self.label)
        return _within(value, self.at_least, self.below)

    def describe(self) -> str:
        return f"score({self.label}) {_bounds(self.at_least, self.below, 'g')}"

    def labels(self) -> frozenset[str]:
        return frozenset() if self.label == "any" else frozenset({self.label})


@dataclass(frozen=True)
class Count(Condition):
    """`strikes` (active strike weight of the author) or `reports` (distinct reporters of the post)."""

    what: str
    at_least: float | None = None
    below: float | None = None

    def matches(self, facts: Facts) -> bool:
        value = facts.strikes if self.what == "strikes" else float(facts.reports)
        return _within(value, self.at_least, self.below)

    def describe(self) -> str:
        return f"{self.what} {_bounds(self.at_least, self.below, 'g')}"


@dataclass(frozen=True)
class Keywords(Condition):
    """Whole-word, case- and accent-insensitive match of any listed phrase."""

    name: str
    words: tuple[str, ...]
    pattern: re.Pattern[str] = field(compare=False, hash=False, repr=False, default=re.compile(r"(?!x)x"))

    @staticmethod
    def build(name: str, words: tuple[str, ...]) -> Keywords:
        alternatives = "|".join(re.escape(fold(w)) for w in sorted(words, key=len, reverse=True) if fold(w))
        pattern = re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)") if alternatives else re.compile(r"(?!x)x")
        return Keywords(name, words, pattern)

    def matches(self, facts: Facts) -> bool:
        return any(self.pattern.search(t) for t in facts.searchable)

    def describe(self) -> str:
        return f"keywords {self.name}"


@dataclass(frozen=True)
class Regex(Condition):
    """Any of the patterns (Python `re`, case-insensitive) found in the folded text."""

    name: str
    patterns: tuple[str, ...]
    compiled: tuple[re.Pattern[str], ...] = field(compare=False, hash=False, repr=False, default=())

    @staticmethod
    def build(name: str, patterns: tuple[str, ...]) -> Regex:
        return Regex(name, patterns, tuple(re.compile(p, re.IGNORECASE) for p in patterns))

    def matches(self, facts: Facts) -> bool:
        return any(p.search(t) for p in self.compiled for t in facts.searchable)

    def describe(self) -> str:
        return f"regex {self.name}"


@dataclass(frozen=True)
class Lang(Condition):
    langs: tuple[str, ...]

    def matches(self, facts: Facts) -> bool:
        return (facts.lang or "").lower() in self.langs

    def describe(self) -> str:
        return f"lang in {list(self.langs)}"
