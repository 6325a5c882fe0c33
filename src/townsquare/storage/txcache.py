"""Values remembered for the rest of the current transaction, on the session.

An enforcement batch asks the same questions (the active policy, the automation ceiling, the audit chain's head)
at every step of every action; within one transaction the answers change only where this code changes them, and
those writers `forget` or `put` the new value. Entries are keyed by the innermost transaction: a savepoint, a
rolled-back one or the next transaction starts from the database again.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session


def _innermost(session: Session) -> object:
    return session.get_nested_transaction() or session.get_transaction()


def get(session: Session, key: str) -> Any:
    """The value `put` under `key` in this very transaction, else None."""
    entry = session.info.get(key)
    if entry is not None and entry[0] is _innermost(session):
        return entry[1]
    return None


def put(session: Session, key: str, value: Any) -> None:
    session.info[key] = (_innermost(session), value)


def forget(session: Session, key: str) -> None:
    session.info.pop(key, None)
