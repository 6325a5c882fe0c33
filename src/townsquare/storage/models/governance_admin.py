"""Changes that take two admins: one proposes, a second, different admin approves (policy texts, the automation
ceiling). The proposal keeps what the approver is shown (check messages, replay diff) so both read the same."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from townsquare.core import clock
from townsquare.storage.models.base import Base


class AdminChange(Base):
    """A proposed policy activation or runtime-setting change, pending until a second admin approves it."""

    __tablename__ = "admin_changes"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(30), index=True)
    """`policy` (activate `source`) or `automation_ceiling` (set `value`)."""
    status: Mapped[str] = mapped_column(String(12), default="pending", index=True)
    """pending -> activated | cancelled | superseded (the state the approver acted on changed)."""
    value: Mapped[str] = mapped_column(String(200), default="")
    """The policy label (version+sha prefix) or the new setting value."""
    source: Mapped[str | None] = mapped_column(Text, nullable=True)
    sha256: Mapped[str | None] = mapped_column(String(64), nullable=True)
    base: Mapped[str] = mapped_column(String(200), default="")
    """What was in force when proposed (policy sha256 or the old value): approval refuses if it changed since."""
    summary: Mapped[dict[str, Any]]
    """Check messages and replay diff (policy) or old/new values (setting), as the approver is shown them."""
    reason: Mapped[str] = mapped_column(Text, default="")
    proposed_by: Mapped[str] = mapped_column(String(200))
    proposed_at: Mapped[datetime] = mapped_column(default=clock.now)
    decided_by: Mapped[str | None] = mapped_column(String(200), nullable=True)
    decided_at: Mapped[datetime | None] = mapped_column(nullable=True)
