"""Moderator wellbeing: blur or hide the text of the most severe items until clicked; count daily exposure.

Severe = the post's latest assessment risk tier is ``high`` or ``floor``. Each severe case shown to a
moderator counts once per day (``Exposure.case_ids`` de-duplicates), so a lead can see who has seen too much
today and rotate them; the count is exposed to the UI with the settings.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from townsquare.core import clock
from townsquare.core.errors import Invalid
from townsquare.storage.models import Exposure, ModeratorSettings


def get_settings_for(session: Session, moderator: str) -> ModeratorSettings:
    row = session.get(ModeratorSettings, moderator)
    if row is None:
        return ModeratorSettings(moderator=moderator, blur_severe=True, hide_severe=False)
    return row


def update_settings(
    session: Session, *, moderator: str, blur_severe: bool | None = None, hide_severe: bool | None = None
) -> ModeratorSettings:
    if not moderator:
        raise Invalid("moderator identity required")
    row = session.get(ModeratorSettings, moderator)
    if row is None:
        row = ModeratorSettings(moderator=moderator, blur_severe=True, hide_severe=False)
        session.add(row)
    if blur_severe is not None:
        row.blur_severe = blur_severe
    if hide_severe is not None:
        row.hide_severe = hide_severe
    row.updated_at = clock.now()
    session.flush()
    return row


def display_mode(settings: ModeratorSettings, severe: bool) -> str:
    """How the UI shows the text: ``show``, ``blur`` (click to reveal) or ``hide`` (click to load)."""
    if not severe:
        return "show"
    if settings.hide_severe:
        return "hide"
    return "blur" if settings.blur_severe else "show"


def _today_row(session: Session, moderator: str) -> Exposure | None:
    return session.scalars(
        select(Exposure).where(Exposure.moderator == moderator, Exposure.day == clock.now().date())
    ).first()


def record_exposure(session: Session, *, moderator: str, case_id: int) -> int:
    """Count a severe case shown to a moderator today (once per case); returns today's count."""
    row = _today_row(session, moderator)
    if row is None:
        try:
            with session.begin_nested():
                row = Exposure(moderator=moderator, day=clock.now().date(), severe_count=0, case_ids=[])
                session.add(row)
                session.flush()
        except IntegrityError:
            row = _today_row(session, moderator)
            assert row is not None
    if case_id not in (row.case_ids or []):
        row.case_ids = [*(row.case_ids or []), case_id]
        row.severe_count = len(row.case_ids)
        session.flush()
    return int(row.severe_count)


def exposure_today(session: Session, moderator: str) -> int:
    row = _today_row(session, moderator)
    return int(row.severe_count) if row else 0


def wellbeing_public(session: Session, moderator: str) -> dict[str, Any]:
    s = get_settings_for(session, moderator)
    return {
        "moderator": moderator,
        "blur_severe": s.blur_severe,
        "hide_severe": s.hide_severe,
        "severe_exposure_today": exposure_today(session, moderator),
        "day": clock.now().date().isoformat(),
    }
