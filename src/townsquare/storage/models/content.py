"""Accounts (authors), posts and their classifier assessments."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from townsquare.core import clock
from townsquare.core.enums import AccountStatus, Visibility
from townsquare.storage.models.base import Base


class Account(Base):
    """An author on the platform, identified by the platform's own id."""

    __tablename__ = "accounts"

    id: Mapped[str] = mapped_column(String(200), primary_key=True)
    handle: Mapped[str] = mapped_column(String(200), default="")
    display_name: Mapped[str] = mapped_column(String(200), default="")
    lang: Mapped[str | None] = mapped_column(String(8))
    status: Mapped[str] = mapped_column(String(20), default=AccountStatus.ACTIVE.value)
    suspended_until: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=clock.now)
    """When the platform says the account was created (or first seen); drives poll eligibility."""
    first_seen_at: Mapped[datetime] = mapped_column(default=clock.now)


class Post(Base):
    __tablename__ = "posts"

    id: Mapped[str] = mapped_column(String(200), primary_key=True)
    author_id: Mapped[str] = mapped_column(ForeignKey("accounts.id"), index=True)
    text: Mapped[str] = mapped_column(Text)
    lang: Mapped[str | None] = mapped_column(String(8))
    """Language as sent by the platform, else as detected."""
    content_hash: Mapped[str] = mapped_column(String(64))
    """sha256 of the normalised payload; decides duplicate (no-op) vs conflicting re-send (409)."""
    reply_to: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=clock.now, index=True)
    ingested_at: Mapped[datetime] = mapped_column(default=clock.now)
    visibility: Mapped[str] = mapped_column(String(20), default=Visibility.VISIBLE.value, index=True)
    label_text: Mapped[dict[str, Any] | None]
    """Public label texts by language when visibility is `labelled` (or stronger)."""
    reach: Mapped[int] = mapped_column(default=0)
    """Impressions or views, when the platform sends them; feeds queue priority."""


class Assessment(Base):
    """One classifier run on one post. The latest row per post is the current one."""

    __tablename__ = "assessments"
    __table_args__ = (Index("ix_assessments_post_created", "post_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    post_id: Mapped[str] = mapped_column(ForeignKey("posts.id"))
    model: Mapped[str] = mapped_column(String(100))
    lang: Mapped[str] = mapped_column(String(8))
    risk: Mapped[str] = mapped_column(String(10))
    labels: Mapped[list[Any]]
    scores: Mapped[dict[str, Any]]
    tiers: Mapped[dict[str, Any]]
    garm: Mapped[dict[str, Any]]
    evidence: Mapped[list[Any]]
    normalized: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=clock.now)
