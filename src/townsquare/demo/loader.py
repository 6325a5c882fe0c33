"""Idempotent demo data: posts through the real ingest path, one advertiser, demo API keys (dev mode only)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from townsquare.access.keys import create_key
from townsquare.posts.ingest import ingest
from townsquare.storage.models import Advertiser, ApiKey

DEMO_ADVERTISER = ("adv-demo", "Maison Lumière (demo advertiser)")
DEMO_KEYS = (
    ("admin", "demo-admin", None),
    ("moderator", "demo-moderator", None),
    ("moderator", "demo-moderator-2", None),
    ("ingest", "demo-ingest", None),
    ("auditor", "demo-auditor", None),
    ("advertiser", "demo-advertiser", DEMO_ADVERTISER[0]),
    *(("council", f"demo-council-{n}", None) for n in range(1, 8)),
)


@dataclass
class DemoResult:
    accepted: int = 0
    duplicate: int = 0
    keys: dict[str, str] = field(default_factory=dict)


def demo_posts() -> list[dict[str, Any]]:
    text = resources.files("townsquare.demo").joinpath("posts.jsonl").read_text(encoding="utf-8")
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def load(session: Session, *, with_keys: bool = True) -> DemoResult:
    """Load once; running again changes nothing (posts are idempotent, keys and advertiser kept)."""
    result = DemoResult()
    if session.get(Advertiser, DEMO_ADVERTISER[0]) is None:
        session.add(Advertiser(id=DEMO_ADVERTISER[0], name=DEMO_ADVERTISER[1]))
        session.flush()
    summary = ingest(session, demo_posts())
    result.accepted = summary.count("accepted")
    result.duplicate = summary.count("duplicate")
    if with_keys:
        for role, name, adv in DEMO_KEYS:
            if session.scalar(select(ApiKey).where(ApiKey.name == name)) is None:
                _, token = create_key(session, role=role, name=name, advertiser_id=adv, actor="demo")
                result.keys[name] = token
    session.flush()
    _extend(session)
    return result


def _extend(session: Session) -> None:
    """Domain packages add their demo fixtures here (campaigns, council members, reports)."""
    for module in ("townsquare.ads.demo", "townsquare.council.demo", "townsquare.moderation.demo"):
        try:
            mod = __import__(module, fromlist=["load"])
        except ModuleNotFoundError as exc:
            if exc.name and (module == exc.name or module.startswith(exc.name + ".")):
                continue  # that domain ships no demo fixtures (yet)
            raise
        mod.load(session)
