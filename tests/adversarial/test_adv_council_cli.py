"""The same single admin with the CLI (issue 11): no founding-roster seat once the council heard a case, no
self-approval, no panel size, no second case on the ban, no way to apply a non-binding decision."""

from __future__ import annotations

import json
from typing import Any

from adv_council_world import ban, bind_keys, seat_council
from typer.testing import CliRunner

from townsquare.cli.main import app
from townsquare.storage.db import Database
from townsquare.storage.models import Account, Action

runner = CliRunner()


def run(*args: str, code: int = 0) -> Any:
    result = runner.invoke(app, ["council", *args])
    assert result.exit_code == code, result.output
    text = result.output.lstrip()
    return json.loads(result.output) if text.startswith(("{", "[")) and code == 0 else result.output


def test_one_admin_with_the_cli_cannot_lift_the_ban(cli_db: Database) -> None:
    ids = seat_council(cli_db, 7)
    bind_keys(cli_db, ids)
    ban_id = ban(cli_db)
    case = run("refer", "--question", "Lift the ban?", "--action", str(ban_id), "--as", "admin-mallory")
    assert len(case["panel"]) == 5
    # the founding roster is closed once the council has heard a case
    out = run("members", "add", "--name", "Puppet", "--key", "puppet", "--group", "industry", code=1)
    assert "founding roster is closed" in out
    change = run(
        "members",
        "propose",
        "add",
        "--changes",
        '{"name": "Puppet", "viewpoint_group": "industry"}',
        "--as",
        "admin-mallory",
    )["change"]
    assert "second, different admin" in run(
        "members", "approve", str(change["id"]), "--as", "admin-mallory", code=1
    )
    assert "effective: []" in run("members", "apply-due")
    # no size to choose, no redraw, no second case on the ban
    assert "No such option" in run("draw", str(case["id"]), "--size", "3", code=2)
    assert "already has a panel" in run("draw", str(case["id"]), code=1)
    assert "one case per action" in run("refer", "--question", "Again", "--action", str(ban_id), code=1)
    with cli_db.session() as s:
        assert s.get(Action, ban_id).status == "active"  # type: ignore[union-attr]
        assert s.get(Account, "appellant").status == "banned"  # type: ignore[union-attr]
