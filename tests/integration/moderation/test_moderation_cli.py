"""`townsquare moderation ...`: the same flow through the CLI (report, queue, claim, decide, appeal, re-decide)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from typer.testing import CliRunner

from townsquare.cli.main import app
from townsquare.storage.db import Database

runner = CliRunner()


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
