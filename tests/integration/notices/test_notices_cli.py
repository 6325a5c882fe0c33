"""`townsquare export statements --check` over the demo (exit 0) and after a false statement (exit 1);
`townsquare notices expire` closes overdue reports; `townsquare policy act` answers reports like the API."""

from __future__ import annotations

from typer.testing import CliRunner

from townsquare.cli.main import app
from townsquare.core import clock
from townsquare.storage.db import Database
from townsquare.storage.models import Action, Report

runner = CliRunner()


def test_check_passes_on_the_demo_and_fails_on_a_false_statement(cli_db: Database) -> None:
    r = runner.invoke(app, ["demo", "load", "--keys-file", "/dev/null"])
    assert r.exit_code == 0, r.output
    r = runner.invoke(app, ["export", "statements", "--check"])
    assert r.exit_code == 0, r.output
    assert runner.invoke(app, ["export", "statements", "--check", "--since", "2000-01-01"]).exit_code == 0
    with cli_db.session() as s:
        action = s.query(Action).filter(Action.action == "limit_reach").first()
        assert action is not None
        st = dict(action.statement)
        st["decision_visibility"] = ["DECISION_VISIBILITY_CONTENT_REMOVED"]
        action.statement = st
        puid = action.puid
    r = runner.invoke(app, ["export", "statements", "--check"])
    assert r.exit_code == 1 and puid in r.output and "decision_visibility" in r.output


def test_expire_and_manual_action_commands(cli_db: Database) -> None:
    from notices_helpers import add_post

    from townsquare.moderation import reports

    with cli_db.session() as s:
        add_post(s, "p1")
        add_post(s, "p2")
        reports.submit_report(
            s, reporter_id="u1", subject_type="post", subject_id="p1", reason="hate", text="x"
        )
        reports.submit_report(
            s, reporter_id="u2", subject_type="post", subject_id="p2", reason="hate", text="x"
        )
    r = runner.invoke(
        app,
        [
            "policy", "act", "--post", "p2", "--action", "label", "--rule", "hate.borderline", "--actor", "mod",
            "--explanation", "Labelled after your report.", "--private-note", "seen twice",
        ],
    )  # fmt: skip
    assert r.exit_code == 0, r.output
    try:
        clock.advance(15 * 86400)
        r = runner.invoke(app, ["notices", "expire"])
    finally:
        clock.reset()
    assert r.exit_code == 0 and "1 reports expired" in r.output, r.output
    with cli_db.session() as s:
        outcomes = {rep.reporter_id: rep.outcome for rep in s.query(Report)}
        action = s.query(Action).one()
        assert outcomes == {"u1": "expired", "u2": "upheld"}
        assert action.source_type == "SOURCE_ARTICLE_16" and action.reason == "seen twice"
        assert "seen twice" not in str(action.statement)
