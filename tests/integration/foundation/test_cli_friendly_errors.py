"""A missing or unmigrated database gets one line saying what to run, never a traceback or a stray ./var/."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from townsquare.cli.main import app


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    from townsquare.settings import get_settings
    from townsquare.storage.db import get_database

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("TOWNSQUARE_DEV_MODE", "true")
    get_settings.cache_clear()
    yield tmp_path
    get_database.cache_clear()
    get_settings.cache_clear()


def _set_url(monkeypatch: pytest.MonkeyPatch, url: str) -> None:
    from townsquare.settings import get_settings

    monkeypatch.setenv("TOWNSQUARE_DATABASE_URL", url)
    get_settings.cache_clear()


def test_missing_sqlite_file_says_run_db_upgrade_and_creates_nothing(
    env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _set_url(monkeypatch, "sqlite:///./var/none.db")
    result = CliRunner().invoke(app, ["council", "cases"])
    assert result.exit_code == 1
    assert "townsquare db upgrade" in result.output
    assert "Traceback" not in result.output
    assert not (env / "var").exists()


def test_unmigrated_database_says_run_db_upgrade(env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    sqlite3.connect(env / "empty.db").execute("CREATE TABLE unrelated (a INTEGER)").connection.close()
    _set_url(monkeypatch, f"sqlite:///{env / 'empty.db'}")
    result = CliRunner().invoke(app, ["council", "cases"])
    assert result.exit_code == 1
    assert "not migrated" in result.output and "townsquare db upgrade" in result.output


def test_db_upgrade_still_creates_the_database(env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _set_url(monkeypatch, "sqlite:///./var/new.db")
    assert CliRunner().invoke(app, ["db", "upgrade"]).exit_code == 0
    assert (env / "var" / "new.db").exists()
    assert CliRunner().invoke(app, ["council", "cases"]).exit_code == 0
