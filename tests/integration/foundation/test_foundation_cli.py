"""The operator commands: db upgrade, demo load (idempotent), keys, config show, ingest."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from townsquare.cli.main import app
from townsquare.settings import get_settings

runner = CliRunner()


@pytest.fixture
def cli_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    db = tmp_path / "cli.db"
    monkeypatch.setenv("TOWNSQUARE_DATABASE_URL", f"sqlite:///{db}")
    monkeypatch.setenv("TOWNSQUARE_DEV_MODE", "true")
    monkeypatch.setenv("TOWNSQUARE_SECRET_KEY", "cli-test-secret")
    get_settings.cache_clear()
    yield tmp_path
    get_settings.cache_clear()


def invoke(*args: str, input: str | None = None) -> object:
    result = runner.invoke(app, list(args), input=input)
    return result


def test_upgrade_demo_keys_config(cli_env: Path) -> None:
    r = runner.invoke(app, ["db", "upgrade"])
    assert r.exit_code == 0, r.output
    keys_file = cli_env / "keys.txt"
    r = runner.invoke(app, ["demo", "load", "--keys-file", str(keys_file)])
    assert r.exit_code == 0, r.output
    assert "36 accepted" in r.output
    r = runner.invoke(app, ["demo", "load", "--keys-file", str(keys_file)])
    assert r.exit_code == 0 and "0 accepted, 36 already present" in r.output
    r = runner.invoke(app, ["keys", "create", "--role", "moderator", "--name", "mod-x"])
    assert r.exit_code == 0 and r.output.strip().startswith("ts_")
    r = runner.invoke(app, ["keys", "create", "--role", "advertiser", "--name", "adv-x"])
    assert r.exit_code == 1 and "--advertiser" in r.output
    r = runner.invoke(app, ["keys", "create", "--role", "wizard", "--name", "w"])
    assert r.exit_code == 1 and "unknown role" in r.output
    r = runner.invoke(app, ["config", "show"])
    assert (
        r.exit_code == 0
        and "cli-test-secret" not in r.output
        and "TOWNSQUARE_SECRET_KEY=********" in r.output
    )


def test_ingest_reports_bad_lines_and_continues(cli_env: Path) -> None:
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    f = cli_env / "posts.jsonl"
    f.write_text(
        '{"id": "c1", "author": "a", "text": "premier"}\n'
        "{broken\n"
        '{"id": "c2", "author": "a", "text": ""}\n'
        '{"id": "c1", "author": "a", "text": "premier"}\n'
        '{"id": "c3", "author": "b", "text": "third"}\n'
    )
    r = runner.invoke(app, ["ingest", str(f)])
    assert r.exit_code == 0, r.output
    assert "accepted 2, duplicate 1, conflict 0, rejected 2" in r.output
    assert "line 2" in r.output and "line 3" in r.output


def test_serve_refuses_default_secret(cli_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TOWNSQUARE_DEV_MODE", "false")
    monkeypatch.delenv("TOWNSQUARE_SECRET_KEY")
    get_settings.cache_clear()
    r = runner.invoke(app, ["serve"])
    assert r.exit_code == 1 and "SECRET_KEY" in r.output
