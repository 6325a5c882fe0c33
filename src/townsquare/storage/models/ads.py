"""Advertisers, campaigns, suitability profiles, placement decisions, impressions, refused demands."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from townsquare.core import clock
from townsquare.storage.models.base import Base


class Advertiser(Base):
    __tablename__ = "advertisers"

    id: Mapped[str] = mapped_column(String(100), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=clock.now)


class SuitabilityProfile(Base):
    __tablename__ = "suitability_profiles"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    advertiser_id: Mapped[str] = mapped_column(ForeignKey("advertisers.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    preset: Mapped[str] = mapped_column(String(20), default="standard")
    category_tiers: Mapped[dict[str, Any]] = mapped_column(default=dict)
    """GARM category -> lowest excluded tier (cumulative upwards)."""
    keywords: Mapped[list[Any]] = mapped_column(default=list)
    excluded_accounts: Mapped[list[Any]] = mapped_column(default=list)
    included_accounts: Mapped[list[Any]] = mapped_column(default=list)
    languages: Mapped[list[Any]] = mapped_column(default=list)
    excluded_posts: Mapped[list[Any]] = mapped_column(default=list)
    """Adjacency feedback: posts this advertiser won't appear next to (affects only its own ads)."""
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[datetime] = mapped_column(default=clock.now)


class SuitabilityProfileRevision(Base):
    """Each saved version of a profile, kept whole: reports judge an impression by the profile it was served under."""

    __tablename__ = "suitability_profile_revisions"
    __table_args__ = (
        UniqueConstraint("profile_id", "version", name="uq_suitability_profile_revisions_version"),
    )

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    profile_id: Mapped[int] = mapped_column(ForeignKey("suitability_profiles.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    spec: Mapped[dict[str, Any]]
    created_by: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(default=clock.now)


class Campaign(Base):
    __tablename__ = "campaigns"

    id: Mapped[str] = mapped_column(String(100), primary_key=True)
    advertiser_id: Mapped[str] = mapped_column(ForeignKey("advertisers.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    profile_id: Mapped[int] = mapped_column(ForeignKey("suitability_profiles.id"))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=clock.now)


class PlacementDecision(Base):
    """A sampled or requested placement decision kept for audit of the ad server."""

    __tablename__ = "placement_decisions"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    campaign_id: Mapped[str] = mapped_column(String(100), index=True)
    post_id: Mapped[str | None] = mapped_column(String(200))
    eligible: Mapped[bool]
    reasons: Mapped[list[Any]] = mapped_column(default=list)
    profile_version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(default=clock.now)


class Impression(Base):
    __tablename__ = "impressions"

    id: Mapped[str] = mapped_column(String(200), primary_key=True)
    advertiser_id: Mapped[str] = mapped_column(ForeignKey("advertisers.id"), index=True)
    campaign_id: Mapped[str] = mapped_column(ForeignKey("campaigns.id"), index=True)
    post_id: Mapped[str] = mapped_column(String(200), index=True)
    served_at: Mapped[datetime] = mapped_column(index=True)
    snapshot: Mapped[dict[str, Any]]
    """The decision as served: eligibility, reasons, post risk vector, profile version."""
    created_at: Mapped[datetime] = mapped_column(default=clock.now)


class AdvertiserDemand(Base):
    """An advertiser's request to remove, limit or ban content: refused, recorded, published in counts."""

    __tablename__ = "advertiser_demands"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    advertiser_id: Mapped[str] = mapped_column(ForeignKey("advertisers.id"), index=True)
    target_type: Mapped[str] = mapped_column(String(10))
    target_id: Mapped[str] = mapped_column(String(200))
    demand: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(default=clock.now)
