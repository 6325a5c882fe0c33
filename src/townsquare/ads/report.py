"""Brand-safety report: where the ads were served (adjacent GARM category × tier) and how safe that was.

Two figures, deliberately separate:

- the *served* figures come from the decision snapshots stored with each impression (what the ad server knew);
- the *brand-safety rate* comes from an independent verification sample: a random sample of impressions whose
  posts are re-assessed now with the classifier, and where a moderator (or the council) has acted on the post,
  the moderator's action is used as the label. Each sampled impression is judged against the advertiser's own
  profile as it stood when the ad was served. The rate comes with its 95 % Wilson interval, sample size and the
  random seed, so anyone can re-draw the same sample.
"""

from __future__ import annotations

import random
import secrets
from collections import Counter
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from townsquare.ads.classifier import reassess
from townsquare.ads.compiled import compile_profile, post_risk
from townsquare.ads.decide import decide
from townsquare.ads.spec import ProfileSpec
from townsquare.ads.stats import wilson
from townsquare.ads.store import get_advertiser, get_campaign, profile_spec, spec_at_version
from townsquare.classify.taxonomy import GARM_CATEGORIES
from townsquare.core import clock
from townsquare.core.enums import VISIBILITY_OF_ACTION, ActionStatus, ActionType, ActorKind
from townsquare.core.errors import Invalid
from townsquare.storage.models import Action, Assessment, Impression, Post, SuitabilityProfile

REPORT_TIERS = ("low", "medium", "high", "floor")
DEFAULT_SAMPLE = 200
_HUMAN = (ActorKind.MODERATOR.value, ActorKind.COUNCIL.value)


def _moderator_visibility(session: Session, post_ids: list[str]) -> dict[str, str]:
    """post id -> visibility implied by the latest moderator/council action on it (reversed -> visible)."""
    rows = session.execute(
        select(Action.post_id, Action.action, Action.status)
        .where(Action.post_id.in_(post_ids), Action.actor_kind.in_(_HUMAN))
        .order_by(Action.id)
    ).all()
    out: dict[str, str] = {}
    for pid, action, status in rows:
        try:
            act = ActionType(action)
        except ValueError:
            continue
        if pid is None or act not in VISIBILITY_OF_ACTION:
            continue
        out[pid] = "visible" if status == ActionStatus.REVERSED.value else VISIBILITY_OF_ACTION[act].value
    return out


def _stored_assessments(session: Session, post_ids: list[str]) -> dict[str, tuple[dict[str, Any], str]]:
    rows = session.execute(
        select(Assessment.post_id, Assessment.garm, Assessment.normalized)
        .where(Assessment.post_id.in_(post_ids))
        .order_by(Assessment.id)
    ).all()
    return {pid: (dict(garm or {}), normalized or "") for pid, garm, normalized in rows}


def _profile_for(session: Session, snap: dict[str, Any], cache: dict[tuple[int, int], Any]) -> Any:
    pid, ver = snap.get("profile_id"), snap.get("profile_version")
    key = (int(pid or 0), int(ver or 0))
    if key not in cache:
        spec: ProfileSpec | None = spec_at_version(session, key[0], key[1]) if pid else None
        if spec is None and pid:
            prof = session.get(SuitabilityProfile, key[0])
            spec = profile_spec(prof) if prof is not None else None
        cache[key] = compile_profile(spec or ProfileSpec(), profile_id=key[0], version=key[1])
    return cache[key]


def verify_sample(session: Session, sample: list[Impression]) -> list[dict[str, Any]]:
    """Re-judge each sampled impression now: classifier re-assessment, moderator labels where they exist."""
    post_ids = list(dict.fromkeys(i.post_id for i in sample))
    posts = {p.id: p for p in session.scalars(select(Post).where(Post.id.in_(post_ids)))}
    fresh = reassess([posts[p].text for p in post_ids], [posts[p].lang for p in post_ids])
    stored = _stored_assessments(session, post_ids) if fresh is None else {}
    mod = _moderator_visibility(session, post_ids)
    garm_now: dict[str, tuple[dict[str, Any], str | None]] = {}
    for i, pid in enumerate(post_ids):
        if fresh is not None:
            garm_now[pid] = (fresh[i].garm, fresh[i].normalized or None)
        else:
            g, n = stored.get(pid, ({}, ""))
            garm_now[pid] = (g, n or None)
    profiles: dict[tuple[int, int], Any] = {}
    rows = []
    for imp in sample:
        post = posts[imp.post_id]
        garm, normalized = garm_now[imp.post_id]
        risk = post_risk(
            post_id=post.id,
            author_id=post.author_id,
            lang=post.lang or imp.snapshot.get("lang"),
            visibility=mod.get(post.id, "visible"),
            garm=garm,
            normalized=normalized,
            text=post.text,
        )
        d = decide(risk, _profile_for(session, imp.snapshot, profiles), imp.campaign_id)
        rows.append(
            {
                "impression_id": imp.id,
                "campaign_id": imp.campaign_id,
                "post_id": imp.post_id,
                "served_eligible": bool(imp.snapshot.get("eligible")),
                "verified_safe": d.eligible,
                "label_source": "moderator"
                if post.id in mod
                else ("classifier" if fresh is not None else "stored_assessment"),
                "reasons": list(d.reasons),
                "garm_now": risk.garm,
            }
        )
    return rows


def brand_safety_report(
    session: Session,
    *,
    advertiser_id: str,
    since: datetime,
    until: datetime | None = None,
    campaign_id: str | None = None,
    sample_size: int = DEFAULT_SAMPLE,
    seed: int | None = None,
    scope: str | None = None,
) -> dict[str, Any]:
    """The whole report as a JSON-ready dict (rendered to CSV and a chart by `townsquare.ads.render`)."""
    adv = get_advertiser(session, advertiser_id, scope=scope)
    if campaign_id is not None:
        camp = get_campaign(session, campaign_id, scope=scope)
        if camp.advertiser_id != advertiser_id:
            raise Invalid("campaign belongs to another advertiser", field="campaign_id")
    if not 0 <= sample_size <= 10_000:
        raise Invalid("sample_size must be between 0 and 10000", field="sample_size")
    since = clock.as_utc(since)
    until = clock.as_utc(until) if until is not None else clock.now()
    if until <= since:
        raise Invalid("until must be after since", field="until")
    q = select(Impression).where(
        Impression.advertiser_id == advertiser_id, Impression.served_at >= since, Impression.served_at < until
    )
    if campaign_id is not None:
        q = q.where(Impression.campaign_id == campaign_id)
    impressions = list(session.scalars(q.order_by(Impression.id)))
    matrix = {c: dict.fromkeys(REPORT_TIERS, 0) for c in GARM_CATEGORIES}
    clean = 0
    served_eligible = 0
    by_campaign: Counter[str] = Counter()
    for imp in impressions:
        garm = imp.snapshot.get("garm") or {}
        by_campaign[imp.campaign_id] += 1
        served_eligible += bool(imp.snapshot.get("eligible"))
        touched = False
        for cat, tier in garm.items():
            if cat in matrix and tier in matrix[cat]:
                matrix[cat][tier] += 1
                touched = True
        clean += not touched
    seed = seed if seed is not None else secrets.randbits(32)
    sample = random.Random(seed).sample(impressions, min(sample_size, len(impressions)))
    verified = verify_sample(session, sample) if sample else []
    safe = sum(r["verified_safe"] for r in verified)
    low, high = wilson(safe, len(verified))
    n = len(impressions)
    return {
        "advertiser_id": adv.id,
        "advertiser_name": adv.name,
        "campaign_id": campaign_id,
        "since": since.isoformat(),
        "until": until.isoformat(),
        "generated_at": clock.now().isoformat(),
        "impressions": n,
        "by_campaign": dict(sorted(by_campaign.items())),
        "adjacent": {c: {t: v for t, v in tiers.items()} for c, tiers in matrix.items()},
        "adjacent_none": clean,
        "served_eligible_rate": (served_eligible / n) if n else None,
        "verification": {
            "method": "random sample of impressions; posts re-assessed at report time with the classifier; "
            "moderator/council actions on the post used as labels where they exist; judged against the "
            "advertiser's profile version at serve time",
            "seed": seed,
            "sample_size": len(verified),
            "safe": safe,
            "brand_safety_rate": (safe / len(verified)) if verified else None,
            "ci95": [low, high] if verified else None,
            "agreement_with_served": (
                sum(r["served_eligible"] == r["verified_safe"] for r in verified) / len(verified)
                if verified
                else None
            ),
            "label_sources": dict(Counter(r["label_source"] for r in verified)),
            "items": verified,
        },
    }
