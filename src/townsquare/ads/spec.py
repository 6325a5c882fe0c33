"""The suitability profile as advertisers write it, validated field by field (422 names the field).

A spec is the editable form; `townsquare.ads.compiled.compile_profile` turns it into the fast form the
decision function uses. Keywords are kept as typed (for display) and normalised with the classifier's own
normaliser at compile time, so ``H4TE``, ``h a t e`` and ``hâte`` all match the same normalised post text.
"""

from __future__ import annotations

import re
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from townsquare.ads.presets import EXCLUDABLE_TIERS, PRESET_NAMES, PRESETS
from townsquare.classify.normalize import normalize
from townsquare.classify.taxonomy import GARM_CATEGORIES

MAX_KEYWORDS = 1000
_WORD_RE = re.compile(r"[a-z0-9_]")
MAX_ACCOUNTS = 10_000
MAX_POSTS = 50_000

Preset = Literal["relaxed", "standard", "conservative"]
assert set(PRESET_NAMES) == {"relaxed", "standard", "conservative"}


class ProfileSpec(BaseModel):
    """Preset plus overrides. Unknown fields are refused so a typo never silently widens a profile."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    preset: Preset = "standard"
    category_tiers: dict[str, str] = Field(
        default_factory=dict,
        description="GARM category -> lowest excluded tier (low|medium|high|floor); overrides the preset.",
    )
    keywords: list[str] = Field(default_factory=list, max_length=MAX_KEYWORDS)
    excluded_accounts: list[str] = Field(default_factory=list, max_length=MAX_ACCOUNTS)
    included_accounts: list[str] = Field(
        default_factory=list,
        max_length=MAX_ACCOUNTS,
        description="When non-empty, only posts by these accounts are eligible (an allow-list).",
    )
    languages: list[str] = Field(
        default_factory=list, max_length=50, description="When non-empty, only posts in these languages."
    )
    excluded_posts: list[str] = Field(default_factory=list, max_length=MAX_POSTS)

    @field_validator("category_tiers")
    @classmethod
    def _check_tiers(cls, value: dict[str, str]) -> dict[str, str]:
        for cat, tier in value.items():
            if cat not in GARM_CATEGORIES:
                raise ValueError(
                    f"unknown GARM category {cat!r}; expected one of {', '.join(GARM_CATEGORIES)}"
                )
            if tier not in EXCLUDABLE_TIERS:
                raise ValueError(
                    f"category {cat!r}: tier {tier!r} is not one of {', '.join(EXCLUDABLE_TIERS)}"
                )
        return dict(value)

    @field_validator("keywords")
    @classmethod
    def _check_keywords(cls, value: list[str]) -> list[str]:
        out: list[str] = []
        for i, kw in enumerate(value):
            kw = kw.strip()
            if not 1 <= len(kw) <= 200:
                raise ValueError(f"keyword #{i} must have 1 to 200 characters")
            if not _WORD_RE.search(normalize(kw).text):
                raise ValueError(f"keyword #{i} ({kw!r}) is empty once normalised")
            if kw not in out:
                out.append(kw)
        return out

    @field_validator("excluded_accounts", "included_accounts", "excluded_posts")
    @classmethod
    def _check_ids(cls, value: list[str]) -> list[str]:
        for i, v in enumerate(value):
            if not v or len(v) > 200:
                raise ValueError(f"id #{i} must have 1 to 200 characters")
        return list(dict.fromkeys(value))

    @field_validator("languages")
    @classmethod
    def _check_langs(cls, value: list[str]) -> list[str]:
        out = []
        for v in value:
            v = v.strip().lower()
            if not (2 <= len(v) <= 8 and v.replace("-", "").isalpha()):
                raise ValueError(f"language {v!r} is not a language code like 'fr' or 'en'")
            out.append(v)
        return list(dict.fromkeys(out))

    def effective_tiers(self) -> dict[str, str]:
        """Preset with the overrides applied: category -> lowest excluded tier."""
        base = dict(PRESETS[self.preset])
        base.update(self.category_tiers)
        return base

    def to_storage(self) -> dict[str, Any]:
        return self.model_dump()


def spec_from_row(row: Any) -> ProfileSpec:
    """A `SuitabilityProfile` row (or anything with the same attributes) -> its spec."""
    return ProfileSpec(
        preset=row.preset,
        category_tiers=dict(row.category_tiers or {}),
        keywords=list(row.keywords or []),
        excluded_accounts=list(row.excluded_accounts or []),
        included_accounts=list(row.included_accounts or []),
        languages=list(row.languages or []),
        excluded_posts=list(row.excluded_posts or []),
    )
