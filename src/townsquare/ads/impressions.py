"""Served impressions, recorded in batches with the decision as it stood when the ad was served.

Idempotent on the impression id: re-sending the same impression is a no-op; the same id with a different
campaign, post or time is a conflict (409) and the whole batch is refused, so a retried batch never half
applies. The snapshot is computed here, server side, from the same decision core the ad server asked — the
client's own copy of the decision, if sent, is kept beside it, never trusted instead of it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from townsquare.ads.decide import decide
from townsquare.ads.decisions import load_candidates
from townsquare.ads.risk import load_posts
from townsquare.core import clock
from townsquare.core.errors import Conflict, Invalid
from townsquare.storage.models import Impression

MAX_BATCH = 5000


@dataclass(frozen=True)
class ImpressionIn:
    id: str
    campaign_id: str
    post_id: str
    served_at: datetime | None = None
    client_decision: dict[str, Any] | None = field(default=None)


def _same(row: Impression, item: ImpressionIn, served_at: datetime) -> bool:
    return (
        row.campaign_id == item.campaign_id
        and row.post_id == item.post_id
        and abs((clock.as_utc(row.served_at) - served_at).total_seconds()) < 1e-3
    )


def record(session: Session, items: Sequence[ImpressionIn], *, scope: str | None = None) -> dict[str, Any]:
    """Store a batch; returns created / duplicate counts and ids. All-or-nothing on any error."""
    if not items:
        raise Invalid("the batch is empty", field="impressions")
    if len(items) > MAX_BATCH:
        raise Invalid(f"at most {MAX_BATCH} impressions per batch", field="impressions")
    now = clock.now()
    for i, it in enumerate(items):
        if not it.id or len(it.id) > 200:
            raise Invalid(f"impressions[{i}].id must have 1 to 200 characters", field=f"impressions.{i}.id")
    candidates, unknown = load_candidates(session, [it.campaign_id for it in items], scope=scope)
    if unknown:
        idx = next(i for i, it in enumerate(items) if it.campaign_id in unknown)
        raise Invalid(f"unknown campaign {unknown[0]!r}", field=f"impressions.{idx}.campaign_id")
    posts = load_posts(session, [it.post_id for it in items])
    for i, it in enumerate(items):
        if it.post_id not in posts:
            raise Invalid(f"unknown post {it.post_id!r}", field=f"impressions.{i}.post_id")
    by_campaign = {c.campaign_id: c for c in candidates}
    existing = {
        row.id: row
        for row in session.scalars(select(Impression).where(Impression.id.in_({it.id for it in items})))
    }
    created: list[str] = []
    duplicates: list[str] = []
    for it in items:
        served_at = clock.as_utc(it.served_at) if it.served_at is not None else now
        prior = existing.get(it.id)
        if prior is not None:
            if not _same(prior, it, served_at) and not (it.served_at is None and _same_but_time(prior, it)):
                raise Conflict(f"impression {it.id!r} was already recorded with different content", id=it.id)
            duplicates.append(it.id)
            continue
        cand = by_campaign[it.campaign_id]
        loaded = posts[it.post_id]
        d = decide(loaded.risk, cand.profile, cand.campaign_id, active=cand.active)
        snapshot: dict[str, Any] = {
            "eligible": d.eligible,
            "reasons": list(d.reasons),
            "garm": loaded.risk.garm,
            "visibility": loaded.risk.visibility,
            "lang": loaded.risk.lang,
            "author_id": loaded.risk.author_id,
            "assessment_id": loaded.assessment_id,
            "profile_id": cand.profile.profile_id,
            "profile_version": cand.profile.version,
        }
        if it.client_decision is not None:
            snapshot["client_decision"] = it.client_decision
        row = Impression(
            id=it.id,
            advertiser_id=cand.advertiser_id,
            campaign_id=it.campaign_id,
            post_id=it.post_id,
            served_at=served_at,
            snapshot=snapshot,
        )
        session.add(row)
        existing[it.id] = row
        created.append(it.id)
    session.flush()
    return {
        "created": len(created),
        "duplicates": len(duplicates),
        "created_ids": created,
        "duplicate_ids": duplicates,
    }


def _same_but_time(row: Impression, item: ImpressionIn) -> bool:
    """A re-send without ``served_at`` matches on campaign and post alone."""
    return row.campaign_id == item.campaign_id and row.post_id == item.post_id
