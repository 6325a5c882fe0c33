"""Enforcement records: actions with their statements of reasons, strikes, policy versions, the audit chain."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from townsquare.core import clock
from townsquare.core.enums import ActionStatus
from townsquare.storage.models.base import Base


class Action(Base):
    """An enforcement action on a post or an account. Never deleted; reversal is a new state plus audit."""

    __tablename__ = "actions"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    puid: Mapped[str] = mapped_column(String(100), unique=True)
    """Public unique id of the decision (DSA `puid`)."""
    subject_type: Mapped[str] = mapped_column(String(10))
    post_id: Mapped[str | None] = mapped_column(ForeignKey("posts.id"), index=True)
    account_id: Mapped[str | None] = mapped_column(ForeignKey("accounts.id"), index=True)
    action: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(12), default=ActionStatus.ACTIVE.value, index=True)
    rule_id: Mapped[str] = mapped_column(String(100))
    rule_version: Mapped[int] = mapped_column(Integer, default=1)
    policy_version: Mapped[str] = mapped_column(String(100), default="")
    fired_rules: Mapped[list[Any]] = mapped_column(default=list)
    """Every rule id@version that fired in the evaluation that produced this action."""
    actor_kind: Mapped[str] = mapped_column(String(12))
    actor: Mapped[str] = mapped_column(String(200), default="")
    source_type: Mapped[str] = mapped_column(String(40))
    """DSA source: SOURCE_ARTICLE_16 (user notice) or SOURCE_VOLUNTARY (own initiative)..."""
    automated: Mapped[bool] = mapped_column(default=False)
    reason: Mapped[str] = mapped_column(Text, default="")
    """The actor's private note (moderators, council panel, auditors): never in a statement, page or notice."""
    explanation: Mapped[str] = mapped_column(Text, default="", server_default="")
    """The actor's public explanation, written for the author (quoted in the statement and the notice)."""
    statement: Mapped[dict[str, Any]]
    """The statement of reasons (DSA submission fields) as recorded at decision time."""
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"))
    ends_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=clock.now, index=True)
    reversed_at: Mapped[datetime | None]
    reversed_by: Mapped[str | None] = mapped_column(String(200))
    reversal_reason: Mapped[str | None] = mapped_column(Text)


class Strike(Base):
    __tablename__ = "strikes"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id"), index=True)
    action_id: Mapped[int | None] = mapped_column(ForeignKey("actions.id"))
    rule_id: Mapped[str] = mapped_column(String(100))
    weight: Mapped[float] = mapped_column(default=1.0)
    created_at: Mapped[datetime] = mapped_column(default=clock.now)
    expires_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]


class PolicyVersion(Base):
    """Each activated policy text, kept whole so any past decision can be explained."""

    __tablename__ = "policy_versions"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    version: Mapped[str] = mapped_column(String(100))
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    source: Mapped[str] = mapped_column(Text)
    activated_at: Mapped[datetime] = mapped_column(default=clock.now)
    activated_by: Mapped[str] = mapped_column(String(200), default="")


class AuditHead(Base):
    """A single row holding the chain head; appenders lock it so the chain never forks."""

    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger, default=0)
    hash: Mapped[str] = mapped_column(String(64))


class AuditRecord(Base):
    """Append-only, hash-chained. Database triggers refuse UPDATE and DELETE."""

    __tablename__ = "audit_records"

    seq: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=clock.now)
    actor: Mapped[str] = mapped_column(String(200))
    event: Mapped[str] = mapped_column(String(60), index=True)
    subject_type: Mapped[str] = mapped_column(String(20), default="")
    subject_id: Mapped[str] = mapped_column(String(200), default="", index=True)
    payload: Mapped[dict[str, Any]]
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)
