"""Moved to `townsquare.notices` (events in, rendered notices out, one outbox); kept as a re-export for callers
(API routes, CLI) that list and mark notifications."""

from __future__ import annotations

from townsquare.notices.outbox import list_for, mark_read, notification_public, notify

__all__ = ["list_for", "mark_read", "notification_public", "notify"]
