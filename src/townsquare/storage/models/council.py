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
    key_id: Mapped[int | None] = mapped_column(ForeignKey("api_keys.id"), nullable=True)
    """The one council key bound to this member (issued to the member at enrolment, rotated by the member)."""
    viewpoint_group: Mapped[str | None] = mapped_column(String(60), nullable=True)
    """The charter's viewpoint group the member declared at appointment."""
    enrolment_hash: Mapped[str | None] = mapped_column(String(64), nullable=True)
    """SHA-256 of the one-time enrolment code (two halves, one per approving admin); cleared when used."""
    publish_name: Mapped[bool] = mapped_column(default=False, server_default="0")
    """Opt-in: published decisions tie this member's name to their rationale (pseudonyms otherwise)."""


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
    charter: Mapped[dict[str, Any] | None] = mapped_column(nullable=True)
    """The charter in force at referral (version, digest, panel size, rule parameters): the case keeps it."""
    rereferral_of: Mapped[int | None] = mapped_column(ForeignKey("council_cases.id"), nullable=True)
    new_evidence: Mapped[str | None] = mapped_column(Text, nullable=True)
    """Why a decided question is asked again (required for a re-referral; published)."""


class PanelSeat(Base):
    __tablename__ = "panel_seats"
    __table_args__ = (UniqueConstraint("council_case_id", "member_id", name="uq_panel_seats_case_member"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    council_case_id: Mapped[int] = mapped_column(ForeignKey("council_cases.id"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("council_members.id"))
    viewpoint_at_draw: Mapped[float | None] = mapped_column(Float)
    drawn_at: Mapped[datetime] = mapped_column(default=clock.now)
    group_at_draw: Mapped[str | None] = mapped_column(String(60), nullable=True)
    """The member's declared viewpoint group when the panel was drawn."""
    frozen_at: Mapped[datetime | None] = mapped_column(nullable=True)
    """A compromised seat is frozen at once: its vote counts as absent and it is never refilled for the case."""
    frozen_reason: Mapped[str | None] = mapped_column(Text, nullable=True)


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
    key_id: Mapped[int | None] = mapped_column(nullable=True)
    """The API key the vote was cast with (audit: one member, one key)."""
    modify_to: Mapped[str | None] = mapped_column(String(20), nullable=True)
    """For a `modify` vote: suspend (time-limited suspension) | label (restore with a label)."""


class CouncilMemberChange(Base):
    """A proposed change to the council's membership: effective only after a second admin's approval AND the
    public notice period (both), listed publicly while pending."""

    __tablename__ = "council_member_changes"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(20))
    """add | update | deactivate | reactivate | remove | reissue_key"""
    member_id: Mapped[int | None] = mapped_column(ForeignKey("council_members.id"), nullable=True)
    changes: Mapped[dict[str, Any]]
    reason: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default="pending")
    """pending | approved | effective | cancelled"""
    proposed_by: Mapped[str] = mapped_column(String(200))
    proposed_at: Mapped[datetime] = mapped_column(default=clock.now)
    effective_after: Mapped[datetime]
    approved_by: Mapped[str | None] = mapped_column(String(200), nullable=True)
    approved_at: Mapped[datetime | None] = mapped_column(nullable=True)
    effective_at: Mapped[datetime | None] = mapped_column(nullable=True)
    code_hash_a: Mapped[str | None] = mapped_column(String(64), nullable=True)
    """SHA-256 of the proposer's half of the enrolment code (add / reissue_key)."""
    code_hash_b: Mapped[str | None] = mapped_column(String(64), nullable=True)


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
    modify_to: Mapped[str | None] = mapped_column(String(20), nullable=True)
    """For a `modify` outcome: suspend | label (what replaces the ban)."""


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
