"""`townsquare moderation ...`: the same flow through the CLI (report, queue, claim, decide, appeal, re-decide)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from townsquare.cli.main import app
from townsquare.settings import get_settings
from townsquare.storage import migrate
from townsquare.storage.db import Database, get_database

runner = CliRunner()


@pytest.fixture
def cli_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Database]:
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


def run(*args: str) -> Any:
    result = runner.invoke(app, ["moderation", *args])
    assert result.exit_code == 0, result.output
    return json.loads(result.output) if result.output.lstrip().startswith("{") else result.output


def test_cli_flow(cli_db: Database, seed: Callable[..., str]) -> None:
    seed(cli_db, "p9", author="bob")
    assert "illegal" in run("reasons")
    rep = run("report", "--reporter", "u1", "--post", "p9", "--reason", "hate", "--text", "awful")
    case_id = rep["case_id"]
    assert "hate_harassment" in run("queue", "list")
    assert str(case_id) in run("queue", "list", "hate_harassment")
    run("claim", str(case_id), "--as", "mod-a")
    shown = run("show", str(case_id), "--as", "mod-a")
    assert shown["display"]["severe"] is True
    bad = runner.invoke(app, ["moderation", "claim", str(case_id), "--as", "mod-b"])
    assert bad.exit_code == 1 and "claimed by another moderator" in bad.output.replace("\n", " ")
    dec = run("decide", str(case_id), "--as", "mod-a", "--action", "remove", "--rule", "hate.dehumanisation")
    notes = run("notifications", "u1")
    assert notes["total"] == 1 and notes["notifications"][0]["payload"]["outcome"] == "upheld"
    ap = run("appeal", str(dec["action_id"]), "--author", "bob", "--text", "context matters")
    out = run("appeal-decide", str(ap["id"]), "--as", "mod-b", "--outcome", "uphold", "--statement", "stays")
    assert out["status"] == "upheld" and out["reviewer"] == "mod-b"
    stats = run("stats")
    assert stats["queues"]["hate_harassment"]["decisions_per_rule"] == {"hate.dehumanisation": 1}
    assert run("reporter", "u1")["upheld"] == 1
    assert run("settings", "--as", "mod-a")["severe_exposure_today"] == 1
