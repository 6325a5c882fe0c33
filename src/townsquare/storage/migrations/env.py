"""Alembic environment: batch mode (SQLite can't ALTER), one history for SQLite and PostgreSQL."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from townsquare.storage.models import Base

config = context.config
target_metadata = Base.metadata


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:
    from townsquare.storage.db import Database

    db = Database(config.get_main_option("sqlalchemy.url") or "")
    with db.engine.connect() as conn:
        _run(conn)
        conn.commit()
