"""Adjacency feedback is accepted; demands to act on content or accounts are refused, recorded and counted.

An advertiser may say "don't place me next to this" — that edits its own profile(s) and nothing else. "Remove
this", "ban them", "limit that" are refused with 403 every time; the refusal is stored in
`AdvertiserDemand` and committed before the error goes back, so the public transparency figures
(`refused_counts`) include it.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from typing import Any, NoReturn

from sqlalchemy import select
from sqlalchemy.orm import Session

from townsquare.ads.presets import ADJACENCY_FEEDBACK, VISIBILITY_DEMANDS
from townsquare.ads.spec import ProfileSpec
from townsquare.ads.store import get_advertiser, get_campaign, list_profiles, profile_spec, update_profile
from townsquare.core.errors import Forbidden, Invalid
from townsquare.storage.models import AdvertiserDemand, SuitabilityProfile

TARGET_TYPES = ("post", "account", "keyword")


def refuse(
    session: Session, *, advertiser_id: str, demand: str, target_type: str, target_id: str
) -> NoReturn:
    """Record the refused demand, commit it, and raise Forbidden (403).

    Committing here is deliberate: the error response rolls the request's transaction back, and the refusal
    must survive it to be counted.
    """
    session.add(
        AdvertiserDemand(
            advertiser_id=advertiser_id,
            target_type=target_type[:10],
            target_id=target_id[:200],
            demand=demand[:40],
        )
    )
    session.commit()
    raise Forbidden(
        "advertisers choose where their ads appear; they cannot ask for content or accounts to be removed, "
        "limited or banned. This request was refused and is counted in the public transparency figures.",
        demand=demand,
    )


def feedback(
    session: Session,
    *,
    advertiser_id: str,
    action: str,
    target_type: str,
    target_id: str,
    campaign_id: str | None = None,
    scope: str | None = None,
    actor: str = "",
) -> list[SuitabilityProfile]:
    """Apply adjacency feedback to the advertiser's own profile(s); refuse anything else."""
    get_advertiser(session, advertiser_id, scope=scope)
    if not target_id or len(target_id) > 200:
        raise Invalid("target_id must have 1 to 200 characters", field="target_id")
    if action.lower() in VISIBILITY_DEMANDS:
        refuse(
            session,
            advertiser_id=advertiser_id,
            demand=action.lower(),
            target_type=target_type,
            target_id=target_id,
        )
    if action not in ADJACENCY_FEEDBACK:
        raise Invalid(f"action must be one of {', '.join(ADJACENCY_FEEDBACK)}", field="action")
    if campaign_id is not None:
        camp = get_campaign(session, campaign_id, scope=scope)
        check = camp.advertiser_id == advertiser_id
        if not check:
            raise Forbidden("campaign belongs to another advertiser")
        profiles = [p for p in list_profiles(session, advertiser_id) if p.id == camp.profile_id]
    else:
        profiles = list(list_profiles(session, advertiser_id))
    field_name = {
        "exclude_post": "excluded_posts",
        "exclude_account": "excluded_accounts",
        "exclude_keyword": "keywords",
    }[action]
    out = []
    for prof in profiles:
        data = profile_spec(prof).model_dump()
        if target_id not in data[field_name]:
            data[field_name].append(target_id)
            out.append(
                update_profile(
                    session, profile_id=prof.id, spec=ProfileSpec.model_validate(data), actor=actor
                )
            )
        else:
            out.append(prof)
    return out


def refused_counts(session: Session, since: datetime | None = None) -> dict[str, Any]:
    """Public figures: refused advertiser demands, total and by demand and target type (no advertiser names)."""
    q = select(AdvertiserDemand.demand, AdvertiserDemand.target_type, AdvertiserDemand.advertiser_id)
    if since is not None:
        q = q.where(AdvertiserDemand.created_at >= since)
    rows = session.execute(q).all()
    return {
        "since": since.isoformat() if since is not None else None,
        "total": len(rows),
        "by_demand": dict(sorted(Counter(r[0] for r in rows).items())),
        "by_target_type": dict(sorted(Counter(r[1] for r in rows).items())),
        "advertisers": len({r[2] for r in rows}),
        "complied": 0,
    }
