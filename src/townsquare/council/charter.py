"""The council's charter: panel size, deadlines, notice period, re-referral cooldown, viewpoint groups and the
decision rule's parameters — versioned, published, and never chosen by the caller of an endpoint.

Why a charter: the attack that lifted a ban alone chose `{"size": 3}` for its panel. Every number that decides
how a case is judged now comes from here; the charter is built from the settings (a deployment change, audited
by whoever runs the platform, not an API call), published at `GET /api/v1/council/charter` and on
`/transparency` with a SHA-256 digest, and snapshotted into each case at referral, so a change of charter never
applies to a case already open.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict
from typing import Any

from townsquare.council.rule import RuleParams
from townsquare.settings import get_settings


def current() -> dict[str, Any]:
    """The charter in force: its content, version label and digest (the digest covers the content)."""
    s = get_settings()
    groups = [g.strip() for g in s.council_viewpoint_groups if g.strip()]
    content: dict[str, Any] = {
        "panel_size": s.council_panel_size,
        "deadline_days": s.council_deadline_days,
        "notice_days": s.council_notice_days,
        "rereferral_cooldown_days": s.council_rereferral_cooldown_days,
        "viewpoint_groups": groups,
        "rule": asdict(RuleParams()),
        "fallback_min_groups": 2,
    }
    digest = hashlib.sha256(json.dumps(content, sort_keys=True).encode("utf-8")).hexdigest()
    return {"version": s.council_charter_version, "sha256": digest, **content}


def of_case(snapshot: dict[str, Any] | None) -> dict[str, Any]:
    """The charter a case was referred under (cases referred before charters existed get the current one)."""
    return snapshot if snapshot else current()


def rule_params(snapshot: dict[str, Any] | None) -> RuleParams:
    known = set(RuleParams.__dataclass_fields__)
    raw = of_case(snapshot).get("rule") or {}
    return RuleParams(**{k: v for k, v in raw.items() if k in known})


def groups(snapshot: dict[str, Any] | None = None) -> list[str]:
    return list(of_case(snapshot).get("viewpoint_groups") or [])
