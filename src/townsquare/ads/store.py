"""Advertisers, suitability profiles and campaigns: create, read, update, scoped to the caller's advertiser.

``scope`` is the advertiser id an advertiser key is bound to (``None`` for admins): touching another
advertiser's objects raises Forbidden. Every profile save bumps ``version`` and stores the whole spec as a
revision, which both invalidates the compiled-profile cache and lets reports judge old impressions by the
profile they were served under.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from townsquare.ads.spec import ProfileSpec, spec_from_row
from townsquare.core import clock
from townsquare.core.errors import Conflict, Forbidden, Invalid, NotFound
from townsquare.storage.models import Advertiser, Campaign, SuitabilityProfile, SuitabilityProfileRevision

Owned = TypeVar("Owned", SuitabilityProfile, Campaign)


def check_scope(scope: str | None, advertiser_id: str) -> None:
    """Refuse a bound advertiser key access to another advertiser's objects."""
    if scope is not None and scope != advertiser_id:
        raise Forbidden("this key is bound to another advertiser", advertiser_id=scope)


def _owned(row: Owned | None, scope: str | None, what: str) -> Owned:
    """A profile or campaign read by id: 404 when absent, 403 when it belongs to another advertiser."""
    if row is None:
        raise NotFound(f"{what} not found")
    check_scope(scope, row.advertiser_id)
    return row


def _of_advertiser(
    session: Session, model: type[Owned], advertiser_id: str, scope: str | None
) -> Sequence[Owned]:
    """An advertiser's profiles or campaigns, oldest first (the advertiser must exist and be in scope)."""
    get_advertiser(session, advertiser_id, scope=scope)
    q = select(model).where(model.advertiser_id == advertiser_id).order_by(model.id)
    return session.scalars(q).all()


# -- advertisers ------------------------------------------------------------------------------------------


def create_advertiser(session: Session, *, advertiser_id: str, name: str) -> Advertiser:
    if not advertiser_id or len(advertiser_id) > 100:
        raise Invalid("advertiser id must have 1 to 100 characters", field="id")
    if session.get(Advertiser, advertiser_id) is not None:
        raise Conflict(f"advertiser {advertiser_id!r} already exists")
    adv = Advertiser(id=advertiser_id, name=name or advertiser_id)
    session.add(adv)
    session.flush()
    return adv


def get_advertiser(session: Session, advertiser_id: str, *, scope: str | None = None) -> Advertiser:
    check_scope(scope, advertiser_id)
    adv = session.get(Advertiser, advertiser_id)
    if adv is None:
        raise NotFound(f"advertiser {advertiser_id!r} not found")
    return adv


def list_advertisers(session: Session, *, scope: str | None = None) -> Sequence[Advertiser]:
    q = select(Advertiser).order_by(Advertiser.id)
    if scope is not None:
        q = q.where(Advertiser.id == scope)
    return session.scalars(q).all()


# -- profiles ---------------------------------------------------------------------------------------------


def _save_revision(session: Session, profile: SuitabilityProfile, spec: ProfileSpec, actor: str) -> None:
    session.add(
        SuitabilityProfileRevision(
            profile_id=profile.id, version=profile.version, spec=spec.to_storage(), created_by=actor
        )
    )


def _apply_spec(profile: SuitabilityProfile, spec: ProfileSpec) -> None:
    profile.preset = spec.preset
    profile.category_tiers = dict(spec.category_tiers)
    profile.keywords = list(spec.keywords)
    profile.excluded_accounts = list(spec.excluded_accounts)
    profile.included_accounts = list(spec.included_accounts)
    profile.languages = list(spec.languages)
    profile.excluded_posts = list(spec.excluded_posts)


def create_profile(
    session: Session,
    *,
    advertiser_id: str,
    name: str,
    spec: ProfileSpec,
    scope: str | None = None,
    actor: str = "",
) -> SuitabilityProfile:
    get_advertiser(session, advertiser_id, scope=scope)
    profile = SuitabilityProfile(advertiser_id=advertiser_id, name=name or spec.preset, version=1)
    _apply_spec(profile, spec)
    session.add(profile)
    session.flush()
    _save_revision(session, profile, spec, actor)
    session.flush()
    return profile


def get_profile(session: Session, profile_id: int, *, scope: str | None = None) -> SuitabilityProfile:
    return _owned(session.get(SuitabilityProfile, profile_id), scope, f"profile {profile_id}")


def list_profiles(
    session: Session, advertiser_id: str, *, scope: str | None = None
) -> Sequence[SuitabilityProfile]:
    return _of_advertiser(session, SuitabilityProfile, advertiser_id, scope)


def update_profile(
    session: Session,
    *,
    profile_id: int,
    spec: ProfileSpec,
    name: str | None = None,
    scope: str | None = None,
    actor: str = "",
) -> SuitabilityProfile:
    """Replace the spec; bumps ``version`` (which invalidates every cached compiled form of it)."""
    profile = get_profile(session, profile_id, scope=scope)
    _apply_spec(profile, spec)
    if name:
        profile.name = name
    profile.version += 1
    profile.updated_at = clock.now()
    session.flush()
    _save_revision(session, profile, spec, actor)
    session.flush()
    return profile


def profile_spec(profile: SuitabilityProfile) -> ProfileSpec:
    return spec_from_row(profile)


def spec_at_version(session: Session, profile_id: int, version: int) -> ProfileSpec | None:
    """The spec a profile had at one version (None when that revision is unknown)."""
    row = session.scalar(
        select(SuitabilityProfileRevision).where(
            SuitabilityProfileRevision.profile_id == profile_id, SuitabilityProfileRevision.version == version
        )
    )
    return None if row is None else ProfileSpec.model_validate(row.spec)


# -- campaigns --------------------------------------------------------------------------------------------


def create_campaign(
    session: Session,
    *,
    campaign_id: str,
    advertiser_id: str,
    name: str,
    profile_id: int,
    active: bool = True,
    scope: str | None = None,
) -> Campaign:
    get_advertiser(session, advertiser_id, scope=scope)
    if not campaign_id or len(campaign_id) > 100:
        raise Invalid("campaign id must have 1 to 100 characters", field="id")
    if session.get(Campaign, campaign_id) is not None:
        raise Conflict(f"campaign {campaign_id!r} already exists")
    profile = session.get(SuitabilityProfile, profile_id)
    if profile is None or profile.advertiser_id != advertiser_id:
        raise Invalid(
            f"profile {profile_id} is not a profile of advertiser {advertiser_id!r}", field="profile_id"
        )
    campaign = Campaign(
        id=campaign_id,
        advertiser_id=advertiser_id,
        name=name or campaign_id,
        profile_id=profile_id,
        active=active,
    )
    session.add(campaign)
    session.flush()
    return campaign


def get_campaign(session: Session, campaign_id: str, *, scope: str | None = None) -> Campaign:
    return _owned(session.get(Campaign, campaign_id), scope, f"campaign {campaign_id!r}")


def list_campaigns(session: Session, advertiser_id: str, *, scope: str | None = None) -> Sequence[Campaign]:
    return _of_advertiser(session, Campaign, advertiser_id, scope)


def update_campaign(
    session: Session,
    *,
    campaign_id: str,
    name: str | None = None,
    profile_id: int | None = None,
    active: bool | None = None,
    scope: str | None = None,
) -> Campaign:
    campaign = get_campaign(session, campaign_id, scope=scope)
    if profile_id is not None:
        profile = session.get(SuitabilityProfile, profile_id)
        if profile is None or profile.advertiser_id != campaign.advertiser_id:
            raise Invalid(f"profile {profile_id} is not a profile of this advertiser", field="profile_id")
        campaign.profile_id = profile_id
    if name:
        campaign.name = name
    if active is not None:
        campaign.active = active
    session.flush()
    return campaign


def profile_public(profile: SuitabilityProfile) -> dict[str, Any]:
    """The stored profile with its effective per-category exclusions spelled out."""
    spec = profile_spec(profile)
    return {
        "id": profile.id,
        "advertiser_id": profile.advertiser_id,
        "name": profile.name,
        "version": profile.version,
        "updated_at": profile.updated_at.isoformat(),
        **spec.to_storage(),
        "effective_tiers": spec.effective_tiers(),
    }


def campaign_public(campaign: Campaign) -> dict[str, Any]:
    return {
        "id": campaign.id,
        "advertiser_id": campaign.advertiser_id,
        "name": campaign.name,
        "profile_id": campaign.profile_id,
        "active": campaign.active,
        "created_at": campaign.created_at.isoformat(),
    }
