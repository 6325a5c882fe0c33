"""Connectors to real platforms (Mastodon, Bluesky/atproto): cursors, the outbound outbox, remote id links, labels.

Why tables and not memory: an outcome that must reach a platform (a Mastodon account action, an atproto label) is
decided in townsquare's database first; the connector reads it from there and keeps its own position, so a
restart resumes where it stopped and nothing decided is lost (invariant 4).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from townsquare.core import clock
from townsquare.storage.models.base import Base


class ConnectorCursor(Base):
    """How far a connector has read a source (the audit chain's seq, a Jetstream `time_us`)."""

    __tablename__ = "connector_cursors"

    name: Mapped[str] = mapped_column(String(100), primary_key=True)
    position: Mapped[int] = mapped_column(BigInteger, default=0)
    updated_at: Mapped[datetime] = mapped_column(default=clock.now)


class ConnectorOutbox(Base):
    """One call a connector owes a platform. `key` makes enqueueing idempotent (e.g. `action:12:applied`)."""

    __tablename__ = "connector_outbox"
    __table_args__ = (UniqueConstraint("connector", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    connector: Mapped[str] = mapped_column(String(40))
    key: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(40))
    payload: Mapped[dict[str, Any]]
    status: Mapped[str] = mapped_column(String(12), default="pending", index=True)
    """pending | done | skipped (no equivalent on the platform) | failed (after the last retry)."""
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_at: Mapped[datetime | None] = mapped_column(index=True)
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=clock.now)
    done_at: Mapped[datetime | None]


class ConnectorLink(Base):
    """A platform object and the townsquare row it became (a Mastodon report -> reports, a status -> a post)."""

    __tablename__ = "connector_links"
    __table_args__ = (UniqueConstraint("connector", "remote_kind", "remote_id", "local_kind", "local_id"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    connector: Mapped[str] = mapped_column(String(40))
    remote_kind: Mapped[str] = mapped_column(String(40))
    remote_id: Mapped[str] = mapped_column(String(300), index=True)
    local_kind: Mapped[str] = mapped_column(String(40))
    local_id: Mapped[str] = mapped_column(String(300), index=True)
    extra: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime] = mapped_column(default=clock.now)


class AtprotoLabel(Base):
    """A signed atproto label, in emission order: `seq` is the subscribeLabels sequence number (cursor)."""

    __tablename__ = "atproto_labels"

    seq: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    )
    src: Mapped[str] = mapped_column(String(200))
    uri: Mapped[str] = mapped_column(String(300), index=True)
    cid: Mapped[str | None] = mapped_column(String(120))
    val: Mapped[str] = mapped_column(String(128))
    neg: Mapped[bool] = mapped_column(default=False)
    cts: Mapped[str] = mapped_column(String(40))
    """Creation time exactly as signed (an ISO string: re-serialising a datetime could change the bytes)."""
    exp: Mapped[str | None] = mapped_column(String(40))
    sig: Mapped[bytes] = mapped_column(LargeBinary)
    action_id: Mapped[int | None] = mapped_column(Integer, index=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    """Idempotency: `action:<id>:<val>` or `action:<id>:<val>:neg`; the sync never signs the same label twice."""
