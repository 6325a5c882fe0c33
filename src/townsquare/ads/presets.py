"""Suitability presets: the one mapping of `relaxed` / `standard` / `conservative` onto GARM categories × tiers.

A profile stores, per GARM category, the *lowest excluded tier*; exclusion is cumulative upwards (excluding
``medium`` excludes medium, high and floor). The presets follow X's sensitivity settings and Meta's inventory
filter (see docs/ads.md for the table and its sources):

- ``relaxed``  ≈ X Relaxed / Meta Expanded: everything that meets the content standards, except targeted hate
  and explicit sexual content at ``high``.
- ``standard`` ≈ X Standard / Meta Moderate: ``high`` excluded in every category (adds gratuitous gore and
  excessive profanity to relaxed).
- ``conservative`` ≈ X Conservative / Meta Limited: ``medium`` excluded everywhere, and ``low`` for sexual
  content, obscenity, spam, drugs/alcohol (X's additions) plus hate/aggression and terrorism.

The GARM floor and the post's policy state (labelled, limited, age-restricted, removed) are not part of any
preset: they are enforced by the decision function for every profile and cannot be relaxed.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Final

from townsquare.classify.taxonomy import GARM_CATEGORIES, TIERS

EXCLUDABLE_TIERS: Final = ("low", "medium", "high", "floor")
"""Values a profile may give a category: the lowest tier it excludes. ``floor`` = only the floor (the minimum)."""

PRESET_NAMES: Final = ("relaxed", "standard", "conservative")

TIER_RANK: Final = MappingProxyType({t: i for i, t in enumerate(TIERS)})
FLOOR_RANK: Final = TIER_RANK["floor"]

INELIGIBLE_VISIBILITY: Final = frozenset({"labelled", "limited_reach", "age_restricted", "removed"})
"""Post states (from label / limit_reach / age_restrict / remove actions) that are never next to any ad."""


def _preset(default: str, **overrides: str) -> MappingProxyType[str, str]:
    for cat in overrides:
        assert cat in GARM_CATEGORIES, cat
    return MappingProxyType({c: overrides.get(c, default) for c in GARM_CATEGORIES})


PRESETS: Final[MappingProxyType[str, MappingProxyType[str, str]]] = MappingProxyType(
    {
        "relaxed": _preset("floor", hate_speech_aggression="high", adult_sexual="high"),
        "standard": _preset("high"),
        "conservative": _preset(
            "medium",
            adult_sexual="low",
            obscenity_profanity="low",
            spam_harmful="low",
            drugs_tobacco_alcohol="low",
            hate_speech_aggression="low",
            terrorism="low",
        ),
    }
)

ADJACENCY_FEEDBACK: Final = ("exclude_post", "exclude_account", "exclude_keyword")
"""What an advertiser may ask: changes to its own exclusions, nothing else."""

VISIBILITY_DEMANDS: Final = frozenset(
    {
        "remove",
        "delete",
        "takedown",
        "hide",
        "label",
        "limit",
        "limit_reach",
        "demote",
        "downrank",
        "age_restrict",
        "suspend",
        "ban",
        "permanent_ban",
        "block",
        "shadowban",
        "restrict",
        "report",
    }
)
"""Requests to act on content or accounts: always refused for advertisers, recorded and published in counts."""
