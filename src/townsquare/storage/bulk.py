"""Rows written in bulk (Core INSERT, no ORM objects) leave a note on the session, so whoever watches commits for
changes (the ad feed's change capture) still learns about them — without the writer importing the watcher.

The watcher reads the note after the commit; a rollback discards it.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

ASSESSED = "townsquare.bulk.assessed"
"""Post ids that received a new assessment through a bulk insert in the current transaction."""


def note_assessed(session: Session, post_ids: list[str]) -> None:
    session.info.setdefault(ASSESSED, set()).update(post_ids)


def take_assessed(session: Session) -> set[str]:
    noted: set[str] = session.info.pop(ASSESSED, set())
    return noted
