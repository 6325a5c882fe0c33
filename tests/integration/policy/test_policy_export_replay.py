"""`export statements` validates against the DSA schema; `policy replay` on the database never writes."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from policy_helpers import add_post, enforce_post, human_action, snapshot
from typer.testing import CliRunner

from townsquare.cli.main import app
from townsquare.core import clock
from townsquare.settings import get_settings
from townsquare.storage.db import Database, get_database

runner = CliRunner()
REPO = Path(__file__).resolve().parents[3]


def reference_schema() -> dict[str, object]:
    """The shared reference text itself (not the packaged copy): $TOWNSQUARE_SHARED or <repo>/../shared."""
    base = (
        Path(os.environ["TOWNSQUARE_SHARED"])
        if os.environ.get("TOWNSQUARE_SHARED")
        else REPO.parent / "shared"
    )
    path = base / "reference" / "dsa-statement-of-reasons.schema.json"
    if not path.is_file():
        pytest.skip(f"reference schema not found at {path}")
    schema: dict[str, object] = json.loads(path.read_text(encoding="utf-8"))
    return schema


@pytest.fixture
def cli_db(db_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Database]:
    monkeypatch.setenv("TOWNSQUARE_DATABASE_URL", db_url)
    get_settings.cache_clear()
    get_database.cache_clear()
    yield get_database(db_url)
    get_settings.cache_clear()
    get_database.cache_clear()


def seed_everything(db: Database) -> None:
    with db.session() as s:
        enforce_post(s, "p1", scores={"hate_speech": 0.92}, lang="fr")  # interim limit_reach + case
        enforce_post(s, "p2", scores={"misinformation": 0.6})  # label
        for i in range(3):  # strikes -> automatic suspension
            enforce_post(s, f"q{i}", author="bob", scores={"violent_threat": 0.6})
        add_post(s, "p3", author="carol")
        human_action(s, "post", "p3", "remove", "legal.court_order", actor="admin1", reason="court order")
        human_action(s, "post", "p3", "age_restrict", "sexual.explicit")
        human_action(s, "account", "carol", "warn", "account.warning")
        human_action(s, "account", "carol", "permanent_ban", "account.ban_evasion", actor="admin1")


def test_export_statements_validate_against_the_reference_schema(cli_db: Database, tmp_path: Path) -> None:
    seed_everything(cli_db)
    out = tmp_path / "sor.jsonl"
    since = (clock.now() - timedelta(days=1)).strftime("%Y-%m-%d")
    result = runner.invoke(app, ["export", "statements", "--since", since, "--out", str(out)])
    assert result.exit_code == 0, result.output
    lines = out.read_text(encoding="utf-8").splitlines()
    validator = Draft202012Validator(reference_schema())
    statements = [json.loads(line) for line in lines]
    for st in statements:
        assert not list(validator.iter_errors(st)), st
    kinds = {json.dumps(st.get("decision_visibility") or st.get("decision_account")) for st in statements}
    assert len(statements) >= 10 and len(kinds) >= 6  # every action type is represented
    assert len({st["puid"] for st in statements}) == len(statements)
    blob = out.read_text(encoding="utf-8")
    assert "bob" not in blob and "carol" not in blob and "[test content]" not in blob  # no personal data
    future = (clock.now() + timedelta(days=2)).strftime("%Y-%m-%d")
    later = runner.invoke(app, ["export", "statements", "--since", future])
    assert later.exit_code == 0 and later.stdout == ""
    bad = runner.invoke(app, ["export", "statements", "--since", "yesterday"])
    assert bad.exit_code == 1 and "not a date" in bad.output


def test_replay_against_a_candidate_changes_nothing(cli_db: Database, tmp_path: Path) -> None:
    seed_everything(cli_db)
    candidate = tmp_path / "candidate.yaml"
    source = (REPO / "policies" / "default.yaml").read_text(encoding="utf-8")
    candidate.write_text(
        source.replace(
            "      tier: {label: misinformation, at_least: high}\n    action: label",
            "      tier: {label: misinformation, at_least: high}\n    action: limit_reach",
        ),
        encoding="utf-8",
    )
    before = snapshot(cli_db)
    result = runner.invoke(app, ["policy", "replay", "--policy", str(candidate), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["total"] == 6 and report["transitions"] == {"label -> limit_reach": 1}
    assert report["examples"][0]["post_id"] == "p2"
    text = runner.invoke(app, ["policy", "replay", "--policy", str(candidate), "--since", "2000-01-01"])
    assert text.exit_code == 0 and "1 decisions would change" in text.stdout
    assert snapshot(cli_db) == before
    broken = tmp_path / "broken.yaml"
    broken.write_text("name: x\nversion: '1'\nrules: 3\n", encoding="utf-8")
    bad = runner.invoke(app, ["policy", "replay", "--policy", str(broken)])
    assert bad.exit_code == 1 and f"{broken}:3:8: rules must be a list" in bad.output
    assert snapshot(cli_db) == before


def test_cli_manual_action_reverse_and_ban_refusal(cli_db: Database) -> None:
    with cli_db.session() as s:
        add_post(s, "p1")

    def act(subject: str, target: str, action: str, rule: str, reason: str = "x") -> Any:
        """`policy act` as the operator "ops" (``subject`` is --post or --account)."""
        args = ["policy", "act", subject, target, "--action", action, "--rule", rule]
        return runner.invoke(app, [*args, "--reason", reason, "--actor", "ops"])

    r = act("--post", "p1", "label", "hate.borderline", reason="borderline")
    assert r.exit_code == 0, r.output
    r = act("--account", "alice", "permanent_ban", "account.ban_evasion", reason="evasion")
    assert r.exit_code == 0, r.output
    listed = runner.invoke(app, ["policy", "actions", "--account", "alice"])
    assert listed.exit_code == 0 and "permanent_ban" in listed.stdout
    before = snapshot(cli_db)
    r = runner.invoke(app, ["policy", "reverse", "2", "--reason", "please", "--actor", "ops"])
    assert r.exit_code == 1 and "binding council decision" in r.output
    r = act("--post", "ghost", "label", "hate.borderline")
    assert r.exit_code == 1 and "unknown post" in r.output
    r = act("--post", "p1", "label", "hate.nope")
    assert r.exit_code == 1 and "unknown rule" in r.output
    assert snapshot(cli_db) == before
    r = runner.invoke(app, ["policy", "reverse", "1", "--reason", "mistake", "--actor", "ops"])
    assert r.exit_code == 0
    notice = runner.invoke(app, ["policy", "notice", "1", "--lang", "fr"])
    assert notice.exit_code == 0 and "Décision" in notice.stdout
    assert runner.invoke(app, ["audit", "verify"]).exit_code == 0
