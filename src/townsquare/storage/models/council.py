"""The moderation council: members, referred cases, panels, votes, decisions, recommendations; community polls."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Float, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from townsquare.core import clock
from townsquare.storage.models.base import Base


class CouncilMember(Base):
    __tablename__ = "council_members"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(200))
    key_name: Mapped[str | None] = mapped_column(String(200), unique=True)
    """The API key name this member signs in with (role council)."""
    bio: Mapped[str] = mapped_column(Text, default="")
    region: Mapped[str | None] = mapped_column(String(60))
    languages: Mapped[list[Any]] = mapped_column(default=list)
    expertise: Mapped[list[Any]] = mapped_column(default=list)
    active: Mapped[bool] = mapped_column(default=True)
    viewpoint: Mapped[float | None] = mapped_column(Float)
    """Last estimated position on the viewpoint axis (f_member)."""
    created_at: Mapped[datetime] = mapped_column(default=clock.now)


class CouncilCase(Base):
    __tablename__ = "council_cases"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    origin: Mapped[str] = mapped_column(String(20))
    """appeal | moderator | platform"""
    question: Mapped[str] = mapped_column(Text)
    appeal_id: Mapped[int | None] = mapped_column(ForeignKey("appeals.id"))
    action_id: Mapped[int | None] = mapped_column(ForeignKey("actions.id"))
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"))
    subject_type: Mapped[str | None] = mapped_column(String(10))
    subject_id: Mapped[str | None] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(20), default="open")
    """open | decided | expired"""
    deadline: Mapped[datetime]
    created_at: Mapped[datetime] = mapped_column(default=clock.now)
    referred_by: Mapped[str] = mapped_column(String(200), default="")


class PanelSeat(Base):
    __tablename__ = "panel_seats"
    __table_args__ = (UniqueConstraint("council_case_id", "member_id", name="uq_panel_seats_case_member"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    council_case_id: Mapped[int] = mapped_column(ForeignKey("council_cases.id"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("council_members.id"))
    viewpoint_at_draw: Mapped[float | None] = mapped_column(Float)
    drawn_at: Mapped[datetime] = mapped_column(default=clock.now)


class CouncilVote(Base):
    __tablename__ = "council_votes"
    __table_args__ = (UniqueConstraint("council_case_id", "member_id", name="uq_council_votes_case_member"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    council_case_id: Mapped[int] = mapped_column(ForeignKey("council_cases.id"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("council_members.id"), index=True)
    vote: Mapped[str] = mapped_column(String(10))
    """uphold | overturn | abstain"""
    rationale: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=clock.now)


class CouncilDecision(Base):
    __tablename__ = "council_decisions"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    council_case_id: Mapped[int] = mapped_column(ForeignKey("council_cases.id"), unique=True)
    outcome: Mapped[str] = mapped_column(String(20))
    """uphold | overturn | no_consensus"""
    binding: Mapped[bool] = mapped_column(default=False)
    bridging: Mapped[dict[str, Any]]
    """Scores, per-side counts, thresholds and the confidence statement the rule used."""
    published: Mapped[dict[str, Any]]
    """Texts by language: {"fr": {...}, "en": {...}}"""
    applied_at: Mapped[datetime | None]
    applied_action_id: Mapped[int | None] = mapped_column(ForeignKey("actions.id"))
    created_at: Mapped[datetime] = mapped_column(default=clock.now)


class Recommendation(Base):
    __tablename__ = "recommendations"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    decision_id: Mapped[int] = mapped_column(ForeignKey("council_decisions.id"), index=True)
    text: Mapped[dict[str, Any]]
    deadline: Mapped[datetime]
    answer: Mapped[str | None] = mapped_column(String(10))
    """accepted | rejected"""
    answer_reason: Mapped[str | None] = mapped_column(Text)
    answered_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=clock.now)


class Poll(Base):
    """Advisory community poll attached to a council case; never decides anything by itself."""

    __tablename__ = "polls"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    council_case_id: Mapped[int] = mapped_column(ForeignKey("council_cases.id"), index=True)
    question: Mapped[str] = mapped_column(Text)
    eligibility: Mapped[dict[str, Any]]
    opens_at: Mapped[datetime] = mapped_column(default=clock.now)
    closes_at: Mapped[datetime]
    created_at: Mapped[datetime] = mapped_column(default=clock.now)


class PollVote(Base):
    __tablename__ = "poll_votes"
    __table_args__ = (UniqueConstraint("poll_id", "account_id", name="uq_poll_votes_poll_account"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    poll_id: Mapped[int] = mapped_column(ForeignKey("polls.id"), index=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id"))
    value: Mapped[float] = mapped_column(Float)
    """1 support, 0.5 partly, 0 oppose"""
    created_at: Mapped[datetime] = mapped_column(default=clock.now)


class CommunityVote(Base):
    """The community's rating history (advisory polls and other items) that the poll bridging is fitted on."""

    __tablename__ = "community_votes"
    __table_args__ = (UniqueConstraint("item", "account_id", name="uq_community_votes_item_account"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    item: Mapped[str] = mapped_column(String(200), index=True)
    account_id: Mapped[str] = mapped_column(String(200), index=True)
    value: Mapped[float] = mapped_column(Float)
    created_at: Mapped[datetime] = mapped_column(default=clock.now)
