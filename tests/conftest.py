"""Fixtures shared by every test layer.

Tests never touch the developer's ./var database: each test gets a fresh migrated database. `db_url` runs the same
test on SQLite (a copied, pre-migrated file) and on the real PostgreSQL server (a private schema per pytest
process, truncated between tests). Without a PostgreSQL server the postgres half is skipped with a reason,
except under CI=true, where it fails.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

os.environ.setdefault("TOWNSQUARE_DEV_MODE", "true")
os.environ.setdefault("TOWNSQUARE_DATABASE_URL", "sqlite:///:memory:")

import report_sections  # noqa: E402
from townsquare.core import clock  # noqa: E402

PG_BASE = os.environ.get("TOWNSQUARE_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def _pg_available() -> str | None:
    """None when the server answers, else the reason."""
    try:
        import psycopg

        url = PG_BASE.replace("postgresql+psycopg://", "postgresql://")
        with psycopg.connect(url, connect_timeout=3) as conn:
            conn.execute("SELECT 1")
        return None
    except Exception as exc:  # noqa: BLE001 - any failure means "not available"
        return f"no PostgreSQL at {PG_BASE} ({type(exc).__name__})"


@pytest.fixture(autouse=True)
def _reset_clock() -> Iterator[None]:
    clock.reset()
    yield
    clock.reset()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from townsquare.storage import migrate

    path = tmp_path_factory.mktemp("tpl") / "template.db"
    migrate.upgrade(f"sqlite:///{path}")
    import sqlite3

    con = sqlite3.connect(path)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.execute("PRAGMA journal_mode=DELETE")
    con.close()
    return path


class _PgSchema:
    def __init__(self) -> None:
        self.schema = f"ts_test_{os.getpid()}"
        self.url = f"{PG_BASE}?options=-csearch_path%3D{self.schema}"
        self.ready = False
        self.tables: list[str] = []

    def setup(self) -> None:
        import psycopg

        from townsquare.storage import migrate

        raw = PG_BASE.replace("postgresql+psycopg://", "postgresql://")
        with psycopg.connect(raw, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA IF EXISTS "{self.schema}" CASCADE')
            conn.execute(f'CREATE SCHEMA "{self.schema}"')
        migrate.upgrade(self.url)
        from townsquare.storage.models import Base

        self.tables = [t.name for t in Base.metadata.sorted_tables]
        self.ready = True

    def truncate(self) -> None:
        import psycopg

        raw = PG_BASE.replace("postgresql+psycopg://", "postgresql://")
        with psycopg.connect(raw, autocommit=True) as conn:
            names = ", ".join(f'"{self.schema}"."{t}"' for t in self.tables)
            conn.execute(f"TRUNCATE {names} RESTART IDENTITY CASCADE")

    def drop(self) -> None:
        import psycopg

        raw = PG_BASE.replace("postgresql+psycopg://", "postgresql://")
        with psycopg.connect(raw, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA IF EXISTS "{self.schema}" CASCADE')


@pytest.fixture(scope="session")
def pg_schema() -> Iterator[_PgSchema]:
    reason = _pg_available()
    if reason:
        if IN_CI:
            pytest.fail(f"CI=true but PostgreSQL is not available: {reason}")
        pytest.skip(reason)
    schema = _PgSchema()
    schema.setup()
    yield schema
    from townsquare.storage.db import get_database

    get_database.cache_clear()
    schema.drop()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: Path) -> Iterator[str]:
    if request.param == "sqlite":
        path = tmp_path / "test.db"
        shutil.copy(sqlite_template, path)
        yield f"sqlite:///{path}"
        return
    schema: _PgSchema = request.getfixturevalue("pg_schema")
    schema.truncate()
    yield schema.url


@pytest.fixture
def sqlite_url(tmp_path: Path, sqlite_template: Path) -> str:
    """SQLite only (tests of SQLite specifics, e.g. tampering with a copied file)."""
    path = tmp_path / "test.db"
    shutil.copy(sqlite_template, path)
    return f"sqlite:///{path}"


@pytest.fixture
def db(db_url: str) -> Iterator[object]:
    from townsquare.storage.db import Database

    database = Database(db_url)
    yield database
    database.dispose()


@pytest.fixture
def settings(db_url: str) -> object:
    from townsquare.settings import Settings

    return Settings(database_url=db_url, dev_mode=True, secret_key="test-secret-key-not-default")  # type: ignore[arg-type]


@pytest.fixture
def app(settings: object, db: object) -> object:
    from townsquare.api.app import create_app

    return create_app(settings, db)  # type: ignore[arg-type]


@pytest.fixture
def client(app: object) -> Iterator[object]:
    from fastapi.testclient import TestClient

    with TestClient(app, raise_server_exceptions=False) as c:  # type: ignore[arg-type]
        yield c


@pytest.fixture
def api_key(db: object) -> Callable[..., str]:
    """api_key(role, name=None, advertiser_id=None) -> raw token (creates the advertiser row if needed)."""
    from townsquare.access.keys import create_key
    from townsquare.storage.models import Advertiser

    counter = {"n": 0}

    def make(role: str, name: str | None = None, advertiser_id: str | None = None) -> str:
        counter["n"] += 1
        with db.session() as s:  # type: ignore[attr-defined]
            if advertiser_id and s.get(Advertiser, advertiser_id) is None:
                s.add(Advertiser(id=advertiser_id, name=advertiser_id))
                s.flush()
            _, token = create_key(
                s, role=role, name=name or f"{role}-{counter['n']}", advertiser_id=advertiser_id
            )
        return token

    return make


@pytest.fixture
def auth(api_key: Callable[..., str]) -> Callable[..., dict[str, str]]:
    """auth(role, name=None, advertiser_id=None) -> headers with a fresh key of that role."""

    def make(role: str, name: str | None = None, advertiser_id: str | None = None) -> dict[str, str]:
        return {"Authorization": f"Bearer {api_key(role, name, advertiser_id)}"}

    return make


@pytest.fixture
def cli_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[object]:
    """A migrated SQLite file that the CLI (which reads settings from the environment) works on."""
    from townsquare.settings import get_settings
    from townsquare.storage import migrate
    from townsquare.storage.db import Database, get_database

    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("TOWNSQUARE_DATABASE_URL", url)
    monkeypatch.setenv("TOWNSQUARE_DEV_MODE", "true")
    get_settings.cache_clear()
    migrate.upgrade(url)
    db = Database(url)
    yield db
    db.dispose()
    get_database.cache_clear()
    get_settings.cache_clear()


def pytest_sessionfinish(session: pytest.Session) -> None:
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:
        import json

        workeroutput["report_sections"] = json.dumps(report_sections.SECTIONS)


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: object, error: object) -> None:
    import json

    raw = getattr(node, "workeroutput", {}).get("report_sections")
    if raw:
        report_sections.SECTIONS.extend((title, lines) for title, lines in json.loads(raw))


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if getattr(terminalreporter.config, "workeroutput", None) is not None:
        return
    for title, lines in report_sections.SECTIONS:
        terminalreporter.section(title)
        for line in lines:
            terminalreporter.write_line(line)
