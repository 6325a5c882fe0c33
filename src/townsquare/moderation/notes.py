"""Internal notes on cases and accounts: what moderators tell each other, never what the public is told.

Privacy (invariant 5): notes are read only through :func:`notes_for` / :func:`notes_for_case_file`, which only
staff routes call. They are not in the case's public projection, the statement of reasons, the DSA export,
notifications or webhooks. The audit chain records that a note was written, by whom and the SHA-256 of its text
(tamper-evident: a note edited in the database no longer matches) without the text itself.
"""

from __future__ import annotations

import hashlib
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from townsquare import audit
from townsquare.core import clock
from townsquare.core.errors import Invalid, NotFound
from townsquare.storage.models import Account, Case, ModerationNote, Post

SUBJECTS = ("case", "account")
MAX_NOTE = 4000


def _check_subject(session: Session, subject_type: str, subject_id: str) -> None:
    if subject_type not in SUBJECTS:
        raise Invalid(f"a note is about one of {list(SUBJECTS)}", subject_type=subject_type)
    if subject_type == "case":
        if not subject_id.isdigit() or session.get(Case, int(subject_id)) is None:
            raise NotFound(f"case {subject_id!r} not found")
    elif session.get(Account, subject_id) is None:
        raise NotFound(f"account {subject_id!r} not found")


def add_note(
    session: Session, *, subject_type: str, subject_id: str, author: str, text: str
) -> ModerationNote:
    """Write a note (validated first: nothing is stored for an empty, oversized or orphan note)."""
    text = (text or "").strip()
    subject_id = str(subject_id).strip()
    if not author:
        raise Invalid("a note needs its author")
    if not text:
        raise Invalid("a note needs a text")
    if len(text) > MAX_NOTE:
        raise Invalid(f"a note is at most {MAX_NOTE} characters", max_chars=MAX_NOTE)
    _check_subject(session, subject_type, subject_id)
    note = ModerationNote(
        subject_type=subject_type, subject_id=subject_id, author=author, text=text, created_at=clock.now()
    )
    session.add(note)
    session.flush()
    audit.append(
        session,
        actor=author,
        event="note.added",
        subject_type=subject_type,
        subject_id=subject_id,
        payload={"note_id": note.id, "sha256": hashlib.sha256(text.encode()).hexdigest()},
    )
    return note


def notes_for(session: Session, *, subject_type: str, subject_id: str) -> list[ModerationNote]:
    return list(
        session.scalars(
            select(ModerationNote)
            .where(ModerationNote.subject_type == subject_type, ModerationNote.subject_id == str(subject_id))
            .order_by(ModerationNote.id)
        )
    )


def notes_for_account_file(session: Session, account_id: str) -> list[ModerationNote]:
    """Notes on the account and on every case about it or its posts (the account page's history)."""
    case_ids = select(Case.id).where(
        or_(
            Case.account_id == account_id,
            Case.post_id.in_(select(Post.id).where(Post.author_id == account_id)),
        )
    )
    case_keys = [str(i) for i in session.scalars(case_ids)]
    return list(
        session.scalars(
            select(ModerationNote)
            .where(
                or_(
                    (ModerationNote.subject_type == "account") & (ModerationNote.subject_id == account_id),
                    (ModerationNote.subject_type == "case") & ModerationNote.subject_id.in_(case_keys),
                )
            )
            .order_by(ModerationNote.id.desc())
        )
    )


def note_public(note: ModerationNote) -> dict[str, Any]:
    """Staff projection (the name says 'public' by the codebase's convention; it is served to staff only)."""
    return {
        "id": note.id,
        "subject_type": note.subject_type,
        "subject_id": note.subject_id,
        "author": note.author,
        "text": note.text,
        "created_at": note.created_at.isoformat(),
    }
