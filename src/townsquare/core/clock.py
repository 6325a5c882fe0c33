"""One source of time, so tests can move it and every timestamp is timezone-aware UTC."""

from __future__ import annotations

from datetime import UTC, datetime

_offset_seconds: float = 0.0


def now() -> datetime:
    from datetime import timedelta

    return datetime.now(UTC) + timedelta(seconds=_offset_seconds)


def advance(seconds: float) -> None:
    """Move the clock forward (tests of expiry, lock time-outs and deadlines)."""
    global _offset_seconds
    _offset_seconds += seconds


def reset() -> None:
    global _offset_seconds
    _offset_seconds = 0.0


def as_utc(value: datetime) -> datetime:
    """Naive datetimes are taken as UTC (SQLite drops the zone)."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
