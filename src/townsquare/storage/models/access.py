"""API keys (hash only) and runtime settings changes."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from townsquare.core import clock
from townsquare.storage.models.base import Base


class ApiKey(Base):
    __tablename__ = "api_keys"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    role: Mapped[str] = mapped_column(String(20))
    advertiser_id: Mapped[str | None] = mapped_column(ForeignKey("advertisers.id"))
    prefix: Mapped[str] = mapped_column(String(16), unique=True)
    key_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=clock.now)
    revoked_at: Mapped[datetime | None]
    last_used_at: Mapped[datetime | None]


class RuntimeSetting(Base):
    """Settings an admin changes at run time (audited); environment settings stay in Settings."""

    __tablename__ = "runtime_settings"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[dict[str, Any]]
    updated_at: Mapped[datetime] = mapped_column(default=clock.now)
    updated_by: Mapped[str] = mapped_column(String(200), default="")


class WebSessionRecord(Base):
    """A signed-in web console session, kept server-side so that it can be ended at once.

    The browser holds only a random token; the row is found by the token's SHA-256 (a leaked database does not
    give working cookies). Logout, key revocation and an admin's "sign out everywhere" set `revoked_at`."""

    __tablename__ = "web_sessions"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    key_id: Mapped[int] = mapped_column(ForeignKey("api_keys.id"), index=True)
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)
    """Per-session state the pages need: the CSRF token and a one-shot flash message."""
    created_at: Mapped[datetime] = mapped_column(default=clock.now)
    last_seen_at: Mapped[datetime] = mapped_column(default=clock.now)
    expires_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]
