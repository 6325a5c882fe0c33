"""Rows written in bulk (Core INSERT, no ORM objects): the idempotent insert both ingest and the workers use, and
the note such a write leaves on the session, so whoever watches commits for changes (the ad feed's change capture)
still learns about it — without the writer importing the watcher (the watcher reads the note after the commit; a
rollback discards it).
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from sqlalchemy import ColumnElement, any_, bindparam, insert, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from townsquare.storage import pgbulk


def insert_new(session: Session, model: Any, rows: list[dict[str, Any]], key: Any) -> set[str]:
    """INSERT … ON CONFLICT DO NOTHING RETURNING `key`: the keys of the rows this call inserted. A row created
    meanwhile by a concurrent writer is skipped, not an error, and needs no savepoint; drivers report no rowcount
    for such an insert, hence RETURNING.

    PostgreSQL: one `INSERT … SELECT … FROM json_to_recordset(…)` (`storage.pgbulk`). SQLite: executemany, which SQLAlchemy
    batches into multi-row statements ("insertmanyvalues") from one cached compilation."""
    if not rows:
        return set()
    session.flush()
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql" and pgbulk.fits(model.__table__, rows):
        sql, params = pgbulk.statement(model.__table__, rows, returning=[key.name], on_conflict_nothing=True)
        return {str(k) for k in session.connection().execute(sql, params).scalars()}
    if dialect == "postgresql":
        stmt: Any = postgresql.insert(model).on_conflict_do_nothing()
    elif dialect == "sqlite":
        stmt = sqlite.insert(model).on_conflict_do_nothing()
    else:  # pragma: no cover - only SQLite and PostgreSQL are supported
        stmt = insert(model)
    return {str(k) for k in session.connection().execute(stmt.returning(key), rows).scalars()}


def insert_returning(session: Session, model: Any, rows: list[dict[str, Any]], *returning: Any) -> list[Any]:
    """INSERT the rows and return the `returning` columns of each (in no particular order: match them by a key).

    PostgreSQL: one `INSERT … SELECT … FROM json_to_recordset(…)`; elsewhere executemany with RETURNING."""
    if not rows:
        return []
    session.flush()
    if session.get_bind().dialect.name == "postgresql" and pgbulk.fits(model.__table__, rows):
        sql, params = pgbulk.statement(model.__table__, rows, returning=[c.name for c in returning])
        return list(session.connection().execute(sql, params).all())
    return list(session.execute(insert(model).returning(*returning), rows).all())


def update_by_key(session: Session, model: Any, rows: list[dict[str, Any]], *keys: Any) -> None:
    """UPDATE each row (found by its `keys` columns) to its other values: one statement on PostgreSQL, an ORM bulk
    UPDATE by primary key elsewhere."""
    if not rows:
        return
    if session.get_bind().dialect.name == "postgresql" and pgbulk.fits(model.__table__, rows):
        session.flush()
        sql, params = pgbulk.update_statement(model.__table__, rows, [k.name for k in keys])
        session.connection().execute(sql, params)
        return
    session.execute(update(model), rows)


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
