"""Rows written in bulk (Core INSERT, no ORM objects): the idempotent insert both ingest and the workers use, and
the note such a write leaves on the session, so whoever watches commits for changes (the ad feed's change capture)
still learns about it — without the writer importing the watcher (the watcher reads the note after the commit; a
rollback discards it).
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from sqlalchemy import ColumnElement, any_, bindparam, insert
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session


def insert_new(session: Session, model: Any, rows: list[dict[str, Any]], key: Any) -> set[str]:
    """INSERT … ON CONFLICT DO NOTHING RETURNING `key`: the keys of the rows this call inserted. A row created
    meanwhile by a concurrent writer is skipped, not an error, and needs no savepoint; drivers report no rowcount
    for such an insert, hence RETURNING.

    executemany: SQLAlchemy batches the rows into multi-row statements ("insertmanyvalues") from one cached
    compilation, where `.values(rows)` compiled a new statement with thousands of parameters every time."""
    if not rows:
        return set()
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        stmt: Any = postgresql.insert(model).on_conflict_do_nothing()
    elif dialect == "sqlite":
        stmt = sqlite.insert(model).on_conflict_do_nothing()
    else:  # pragma: no cover - only SQLite and PostgreSQL are supported
        stmt = insert(model)
    session.flush()
    return {str(k) for k in session.connection().execute(stmt.returning(key), rows).scalars()}


def in_values(session: Session, column: Any, values: Collection[Any]) -> ColumnElement[bool]:
    """`column IN values` for a batch's worth of values: on PostgreSQL `= ANY(%(array)s)`, one parameter.

    Why: `IN (…)` with a batch of ids renders one placeholder per value, a statement too long for psycopg's
    parse cache that it splits afresh each time (~2 ms per 100 ids on the worker's hot path)."""
    if session.get_bind().dialect.name == "postgresql":
        cond: ColumnElement[bool] = column == any_(
            bindparam(None, list(values), type_=postgresql.ARRAY(column.type))
        )
        return cond
    member: ColumnElement[bool] = column.in_(list(values))
    return member


ASSESSED = "townsquare.bulk.assessed"
"""Post ids that received a new assessment through a bulk insert in the current transaction."""


def note_assessed(session: Session, post_ids: list[str]) -> None:
    session.info.setdefault(ASSESSED, set()).update(post_ids)


def take_assessed(session: Session) -> set[str]:
    noted: set[str] = session.info.pop(ASSESSED, set())
    return noted
