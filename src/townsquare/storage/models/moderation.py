"""Reports, cases and queues, decisions, appeals, reporter notifications, moderator wellbeing."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Date, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from townsquare.core import clock
from townsquare.storage.models.base import Base


class Case(Base):
    """A subject awaiting human review, in one queue at a time."""

    __tablename__ = "cases"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    subject_type: Mapped[str] = mapped_column(String(10))
    post_id: Mapped[str | None] = mapped_column(ForeignKey("posts.id"), index=True)
    account_id: Mapped[str | None] = mapped_column(ForeignKey("accounts.id"), index=True)
    queue: Mapped[str] = mapped_column(String(60), index=True)
    status: Mapped[str] = mapped_column(String(20), default="open", index=True)
    origin: Mapped[str] = mapped_column(String(20))
    """report | automation | appeal | council_referral"""
    priority: Mapped[float] = mapped_column(Float, default=0.0)
    proposed_action: Mapped[str | None] = mapped_column(String(20))
    proposed_rule: Mapped[str | None] = mapped_column(String(100))
    claimed_by: Mapped[str | None] = mapped_column(String(200))
    claim_expires_at: Mapped[datetime | None]
    escalated: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=clock.now, index=True)
    first_action_at: Mapped[datetime | None]
    decided_at: Mapped[datetime | None]
    version: Mapped[int] = mapped_column(Integer, default=0)
    """Optimistic lock counter: a claim or decision updates only the version it read."""
    open_key: Mapped[str | None] = mapped_column(String(220), unique=True)
    """`<subject_type>:<subject_id>` while the case is undecided, NULL after: at most one open case per subject."""
    rank_key: Mapped[float] = mapped_column(Float, default=0.0, index=True)
    """priority minus the age credit of its creation time: ordering by it = ordering by priority + age."""
    escalated_by: Mapped[str | None] = mapped_column(String(200))
    escalation_note: Mapped[str | None] = mapped_column(Text)


class Report(Base):
    """One reporter's report on one subject; repeats add to it (count, texts) instead of a new row."""

    __tablename__ = "reports"
    __table_args__ = (
        UniqueConstraint("reporter_id", "subject_type", "subject_id", name="uq_reports_subject"),
    )

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    reporter_id: Mapped[str] = mapped_column(String(200), index=True)
    subject_type: Mapped[str] = mapped_column(String(10))
    subject_id: Mapped[str] = mapped_column(String(200), index=True)
    post_id: Mapped[str | None] = mapped_column(ForeignKey("posts.id"))
    account_id: Mapped[str | None] = mapped_column(ForeignKey("accounts.id"))
    reason: Mapped[str] = mapped_column(String(40))
    legal_ground: Mapped[str | None] = mapped_column(Text)
    texts: Mapped[list[Any]] = mapped_column(default=list)
    count: Mapped[int] = mapped_column(Integer, default=1)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), index=True)
    outcome: Mapped[str | None] = mapped_column(String(20))
    """pending (NULL) | upheld | rejected | overturned | modified | expired: the current outcome, told to the
    reporter on every change (townsquare.notices.reporters)"""
    created_at: Mapped[datetime] = mapped_column(default=clock.now)
    updated_at: Mapped[datetime] = mapped_column(default=clock.now)


class CaseDecision(Base):
    __tablename__ = "case_decisions"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    moderator: Mapped[str] = mapped_column(String(200))
    outcome: Mapped[str] = mapped_column(String(20))
    """action | no_action | escalate | refer_council"""
    action: Mapped[str | None] = mapped_column(String(20))
    action_id: Mapped[int | None] = mapped_column(ForeignKey("actions.id"))
    rule_id: Mapped[str | None] = mapped_column(String(100))
    note: Mapped[str] = mapped_column(Text, default="")
    """The moderator's private note (moderators, panel, auditors only)."""
    explanation: Mapped[str] = mapped_column(Text, default="", server_default="")
    """The public explanation for the author (and, for the outcome, the reporters)."""
    created_at: Mapped[datetime] = mapped_column(default=clock.now)


class Appeal(Base):
    """An author's appeal against one action (once per action)."""

    __tablename__ = "appeals"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("actions.id"), unique=True)
    author_id: Mapped[str] = mapped_column(ForeignKey("accounts.id"), index=True)
    text: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default="pending")
    """pending | upheld | overturned | modified | referred"""
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"))
    reviewer: Mapped[str | None] = mapped_column(String(200))
    statement: Mapped[str | None] = mapped_column(Text)
    """The reviewer's public explanation to the appellant."""
    private_note: Mapped[str | None] = mapped_column(Text, nullable=True)
    """The reviewer's private note (moderators, panel, auditors only)."""
    new_action_id: Mapped[int | None] = mapped_column(ForeignKey("actions.id"))
    """The replacing action when the outcome is `modified`."""
    council_case_id: Mapped[int | None] = mapped_column(Integer)
    """The council case when a permanent-ban appeal was referred."""
    created_at: Mapped[datetime] = mapped_column(default=clock.now)
    decided_at: Mapped[datetime | None]


class Notification(Base):
    """What a reporter (or author) is told; also the outbox of the webhook."""

    __tablename__ = "notifications"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    recipient_id: Mapped[str] = mapped_column(String(200), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    report_id: Mapped[int | None] = mapped_column(ForeignKey("reports.id"))
    payload: Mapped[dict[str, Any]]
    created_at: Mapped[datetime] = mapped_column(default=clock.now)
    read_at: Mapped[datetime | None]
    webhook_status: Mapped[str] = mapped_column(String(12), default="none")
    """none | pending | delivered | failed"""
    webhook_attempts: Mapped[int] = mapped_column(Integer, default=0)
    webhook_next_at: Mapped[datetime | None]
    webhook_error: Mapped[str | None] = mapped_column(Text)


class ModeratorSettings(Base):
    __tablename__ = "moderator_settings"

    moderator: Mapped[str] = mapped_column(String(200), primary_key=True)
    blur_severe: Mapped[bool] = mapped_column(default=True)
    hide_severe: Mapped[bool] = mapped_column(default=False)
    updated_at: Mapped[datetime] = mapped_column(default=clock.now)


class Exposure(Base):
    """Severe items shown to a moderator per day (wellbeing)."""

    __tablename__ = "exposures"
    __table_args__ = (UniqueConstraint("moderator", "day", name="uq_exposures_moderator_day"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    moderator: Mapped[str] = mapped_column(String(200))
    day: Mapped[date] = mapped_column(Date)
    severe_count: Mapped[int] = mapped_column(Integer, default=0)
    case_ids: Mapped[list[Any]] = mapped_column(default=list)
    """Cases counted today, so opening the same case twice counts once."""


class ModerationNote(Base):
    """A moderator's internal note on a case or an account: private to staff (never on public pages, the public
    API, the DSA statements export or notifications)."""

    __tablename__ = "moderation_notes"
    __table_args__ = (Index("ix_moderation_notes_subject", "subject_type", "subject_id"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    subject_type: Mapped[str] = mapped_column(String(10))
    """case | account"""
    subject_id: Mapped[str] = mapped_column(String(200))
    author: Mapped[str] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=clock.now)


class SavedView(Base):
    """A moderator's named queue filter (the query string of the queue page)."""

    __tablename__ = "moderation_saved_views"
    __table_args__ = (UniqueConstraint("moderator", "name", name="uq_saved_views_moderator_name"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    moderator: Mapped[str] = mapped_column(String(200), index=True)
    name: Mapped[str] = mapped_column(String(80))
    query: Mapped[str] = mapped_column(String(1000))
    created_at: Mapped[datetime] = mapped_column(default=clock.now)
