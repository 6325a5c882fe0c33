"""Streaming bookkeeping: which post was processed under which policy version (the idempotency key).

JetStream delivers at least once: a worker killed after committing but before acking sees its batch again. The
row here is written in the same transaction as the assessment and every enforcement effect, under a primary key
of (post, policy version), so a redelivered post finds it and produces no second action, strike, statement,
case or notice.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from townsquare.core import clock
from townsquare.storage.models.base import Base


class ProcessedPost(Base):
    __tablename__ = "processed_posts"

    post_id: Mapped[str] = mapped_column(ForeignKey("posts.id"), primary_key=True)
    policy_version: Mapped[str] = mapped_column(String(100), primary_key=True)
    assessment_id: Mapped[int | None] = mapped_column(ForeignKey("assessments.id"))
    worker: Mapped[str] = mapped_column(String(200), default="")
    """Which process did the work (host:pid, or `embedded` for in-request processing)."""
    processed_at: Mapped[datetime] = mapped_column(default=clock.now)
