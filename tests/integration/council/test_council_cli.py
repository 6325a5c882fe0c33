"""`townsquare council ...`: members, referral, draw, decisions; the CLI cannot apply a non-binding decision."""

from __future__ import annotations

import json
from typing import Any

from council_helpers import permanent_ban
from typer.testing import CliRunner

from townsquare.cli.main import app
from townsquare.council import cases
from townsquare.storage.db import Database
from townsquare.storage.models import Action

runner = CliRunner()


def run(*args: str, code: int = 0) -> Any:
    result = runner.invoke(app, ["council", *args])
    assert result.exit_code == code, result.output
    text = result.output.lstrip()
    return json.loads(result.output) if text.startswith(("{", "[")) and code == 0 else result.output


def test_cli_flow(cli_db: Database) -> None:
    for k in range(5):
        run(
            "members",
            "add",
            "--name",
            f"M{k}",
            "--key",
            f"k{k}",
            "--region",
            f"R{k}",
            "--lang",
            "fr",
            "--lang",
            "en",
        )
    assert "M4" in run("members", "list")
    ban_id = permanent_ban(cli_db, account="bob")
    c = run("refer", "--question", "Lift the ban?", "--action", str(ban_id), "--as", "admin")
    assert c["origin"] == "platform" and len(c["panel"]) == 5
    with cli_db.session() as s:  # a 3-2 split: no supermajority without history
        for k in range(5):
            cases.cast_vote(
                s, case_id=c["id"], key_name=f"k{k}", vote="overturn" if k < 3 else "uphold", rationale="r"
            )
    assert "Pas de consensus" in run("decisions", "--lang", "fr")
    d = run("decision", "1")
    assert d["binding"] is False
    assert "not binding" in run("apply", "1", code=1)
    with cli_db.session() as s:
        assert s.get(Action, ban_id).status == "active"  # type: ignore[union-attr]
    assert "no_consensus" not in run("cases")  # table renders
    assert run("show", str(c["id"]))["status"] == "decided"
    assert isinstance(run("viewpoints"), dict)
