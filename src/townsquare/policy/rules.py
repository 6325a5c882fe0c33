"""The policy model: rules (`id@version`), strike thresholds, lists, and how a set of rules decides.

Evaluation order (documented in docs/policy.md): every automatic rule is evaluated in file order, with no short
circuit, so every rule that fires is recorded; the strongest action wins (core.enums.STRENGTH); on equal strength
the rule that comes first in the file wins.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import timedelta

from townsquare.classify import taxonomy
from townsquare.core.enums import POST_ACTIONS, STRENGTH, ActionType
from townsquare.core.errors import Invalid
from townsquare.policy.conditions import Condition, Facts

RULE_ID = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$")
RULE_REF = re.compile(r"^(?P<id>[a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*)+)(?:@(?P<version>[1-9][0-9]*))?$")
LANGS = ("fr", "en")


@dataclass(frozen=True)
class Rule:
    """One community standard. `when` is None for rules only people apply (manual grounds)."""

    id: str
    version: int
    action: ActionType
    title: dict[str, str]
    text: dict[str, str]
    when: Condition | None = None
    strike: float = 0.0
    strike_expiry_days: int | None = None
    dsa_category: str = "STATEMENT_CATEGORY_OTHER_VIOLATION_TC"
    dsa_keyword: str = "KEYWORD_OTHER"
    ground: str = "incompatible"
    """`incompatible` (terms of service) or `illegal` (then `legal_ground` names the law)."""
    legal_ground: str = ""
    possibly_illegal: bool = False
    line: int = 0

    @property
    def ref(self) -> str:
        return f"{self.id}@{self.version}"

    @property
    def automatic(self) -> bool:
        return self.when is not None


@dataclass(frozen=True)
class Threshold:
    at: float
    action: ActionType
    hours: int | None = None


@dataclass(frozen=True)
class StrikePolicy:
    """Strikes expire after `expiry_days`; crossing a threshold triggers its account action."""

    id: str = "account.strikes"
    version: int = 1
    expiry_days: int = 90
    thresholds: tuple[Threshold, ...] = ()
    title: dict[str, str] = field(default_factory=dict)
    text: dict[str, str] = field(default_factory=dict)

    @property
    def ref(self) -> str:
        return f"{self.id}@{self.version}"

    def as_rule(self) -> Rule:
        """The threshold ground as a rule, so account actions it triggers have a citable rule."""
        return Rule(
            id=self.id,
            version=self.version,
            action=ActionType.SUSPEND,
            title=self.title,
            text=self.text,
            dsa_category="STATEMENT_CATEGORY_OTHER_VIOLATION_TC",
            dsa_keyword="KEYWORD_OTHER",
        )

    def crossed(self, before: float, after: float) -> list[Threshold]:
        """Thresholds reached by going from `before` to `after` active strike weight (weakest first)."""
        return [t for t in sorted(self.thresholds, key=lambda t: t.at) if before < t.at <= after]

    def expiry(self, rule: Rule | None) -> timedelta:
        days = rule.strike_expiry_days if rule and rule.strike_expiry_days else self.expiry_days
        return timedelta(days=days)


@dataclass(frozen=True)
class Decision:
    """Outcome of evaluating a policy on one post."""

    action: ActionType
    rule: Rule | None
    fired: tuple[Rule, ...]

    @property
    def fired_refs(self) -> list[str]:
        return [r.ref for r in self.fired]

    def to_dict(self) -> dict[str, object]:
        return {
            "action": self.action.value,
            "rule": self.rule.ref if self.rule else None,
            "fired": self.fired_refs,
        }


@dataclass(frozen=True)
class Policy:
    name: str
    version: str
    rules: tuple[Rule, ...]
    strikes: StrikePolicy
    territorial_scope: tuple[str, ...] = ()
    sha256: str = ""
    source: str = ""

    @property
    def label(self) -> str:
        """What Action.policy_version records: the declared version plus the text's hash prefix."""
        return f"{self.version}+{self.sha256[:12]}" if self.sha256 else self.version

    def all_rules(self) -> tuple[Rule, ...]:
        return (*self.rules, self.strikes.as_rule())

    def rule(self, ref: str) -> Rule:
        """Look a rule up by `id@version` or `id` (current version); Invalid when unknown."""
        m = RULE_REF.match(ref.strip())
        if not m:
            raise Invalid(f"malformed rule id {ref!r}: expected 'area.name' or 'area.name@version'", rule=ref)
        rid, version = m.group("id"), m.group("version")
        for rule in self.all_rules():
            if rule.id == rid and (version is None or rule.version == int(version)):
                return rule
        known = [r for r in self.all_rules() if r.id == rid]
        if known:
            raise Invalid(f"unknown rule version {ref!r}: the active policy has {known[0].ref}", rule=ref)
        raise Invalid(f"unknown rule {ref!r} in policy {self.label}", rule=ref)

    def evaluate(self, facts: Facts) -> Decision:
        fired = tuple(r for r in self.rules if r.when is not None and r.when.matches(facts))
        best: Rule | None = None
        for rule in fired:
            if best is None or STRENGTH[rule.action] > STRENGTH[best.action]:
                best = rule
        action = best.action if best is not None else ActionType.NONE
        return Decision(action=action, rule=best, fired=fired)


def dsa_for_labels(labels: frozenset[str]) -> tuple[str, str]:
    """DSA category/keyword of the first (table order) actionable label a rule looks at."""
    for spec in taxonomy.TABLE:
        if spec.label in labels:
            return spec.dsa_category, spec.dsa_keyword
    return "STATEMENT_CATEGORY_OTHER_VIOLATION_TC", "KEYWORD_OTHER"


def is_post_action(action: ActionType) -> bool:
    return action in POST_ACTIONS
