"""The one migration history runs on SQLite and PostgreSQL; the audit chain is append-only and verifiable."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import inspect, select, text
from sqlalchemy.exc import DatabaseError

from townsquare.audit import Entry, append, append_many, verify
from townsquare.storage import migrate
from townsquare.storage.db import Database
from townsquare.storage.models import Account, AuditRecord, Base, Post


def test_migrations_create_every_model_table(db: Database) -> None:
    tables = set(inspect(db.engine).get_table_names())
    assert set(Base.metadata.tables) <= tables
    assert migrate.current_revision(db) == migrate.head_revision()


def test_migrations_match_models(db: Database) -> None:
    """Autogenerate finds nothing to add: models and migrations agree."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []


def test_downgrade_and_upgrade_again(db_url: str) -> None:
    migrate.downgrade(db_url, "base")
    db = Database(db_url)
    try:
        assert "posts" not in inspect(db.engine).get_table_names()
    finally:
        db.dispose()
    migrate.upgrade(db_url)
    db = Database(db_url)
    try:
        assert "posts" in inspect(db.engine).get_table_names()
    finally:
        db.dispose()


def test_sqlite_runs_in_wal_mode(sqlite_url: str) -> None:
    db = Database(sqlite_url)
    with db.engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
    db.dispose()


def test_timestamps_round_trip_as_aware_utc(db: Database) -> None:
    with db.session() as s:
        s.add(Account(id="a1"))
        s.add(Post(id="p1", author_id="a1", text="hi", content_hash="h"))
    with db.session() as s:
        post = s.get(Post, "p1")
        assert post is not None and post.created_at.tzinfo is not None


def test_audit_chain_appends_and_verifies(db: Database) -> None:
    with db.session() as s:
        for i in range(5):
            append(
                s,
                actor="tester",
                event="test.event",
                subject_type="post",
                subject_id=f"p{i}",
                payload={"i": i, "text": "é"},
            )
    with db.session() as s:
        count, problem = verify(s)
    assert count == 5 and problem is None


def test_audit_append_many_chains_like_single_appends(db: Database) -> None:
    """A batch of records is one link after another, between single appends, in and across transactions."""
    with db.session() as s:
        append(s, actor="tester", event="test.one", payload={"i": 0})
        append_many(s, [Entry("tester", "test.many", "post", f"p{i}", {"i": i}) for i in range(1, 4)])
        append(s, actor="tester", event="test.one", payload={"i": 4})
    with db.session() as s:
        append_many(s, [Entry("tester", "test.many", "post", "p5", {"i": 5})])
        append_many(s, [])
    with db.session() as s:
        count, problem = verify(s)
        rows = s.execute(select(AuditRecord.seq, AuditRecord.payload).order_by(AuditRecord.seq)).all()
    assert count == 6 and problem is None
    assert [(seq, p["i"]) for seq, p in rows] == [(i + 1, i) for i in range(6)]


def test_audit_records_refuse_update_and_delete(db: Database) -> None:
    with db.session() as s:
        append(s, actor="tester", event="test.event", payload={})
    for statement in ("UPDATE audit_records SET actor = 'mallory'", "DELETE FROM audit_records"):
        with pytest.raises(DatabaseError), db.session() as s:
            s.execute(text(statement))
    with db.session() as s:
        assert s.scalar(select(AuditRecord.actor)) == "tester"


def test_audit_rolls_back_with_its_transaction(db: Database) -> None:
    class Boom(Exception):
        pass

    with pytest.raises(Boom), db.session() as s:
        append(s, actor="tester", event="test.event", payload={})
        raise Boom
    with db.session() as s:
        count, problem = verify(s)
    assert (count, problem) == (0, None)


def test_concurrent_appends_never_fork_the_chain(db: Database) -> None:
    import threading

    errors: list[Any] = []

    def worker(n: int) -> None:
        try:
            for i in range(5):
                with db.session() as s:
                    append(s, actor=f"w{n}", event="test.concurrent", payload={"i": i})
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    with db.session() as s:
        count, problem = verify(s)
    assert count == 20 and problem is None


def test_read_sessions_do_not_queue_behind_a_writer_on_sqlite(sqlite_url: str) -> None:
    import threading

    from sqlalchemy import func

    db = Database(sqlite_url)
    seen: list[int] = []
    try:
        with db.session() as writer:
            writer.add(Account(id="w1"))
            writer.flush()  # the writer holds SQLite's write lock until commit

            def read() -> None:
                with db.read_session() as reader:
                    seen.append(int(reader.scalar(select(func.count()).select_from(Account)) or 0))

            t = threading.Thread(target=read)
            t.start()
            t.join(timeout=10)
            assert seen == [0]  # answered at once from the last committed snapshot, not after the writer
    finally:
        db.dispose()


def test_read_session_commits_nothing(db: Database) -> None:
    with db.read_session() as s:
        s.add(Account(id="ghost"))
        s.flush()
    with db.session() as s:
        assert s.get(Account, "ghost") is None
