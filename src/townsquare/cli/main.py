"""The `townsquare` command. Each domain registers its sub-command in TABLE (one line each), loaded lazily.

A sub-command's module is imported only when that command runs (see `cli/lazy.py`): keep the help line here equal
to the first line of the sub-app's `help=` or the function's docstring (a test compares them).
"""

from __future__ import annotations

import typer

from townsquare.cli.lazy import Lazy, LazyGroup

TABLE: dict[str, Lazy] = {
    "db": Lazy("townsquare.cli.db_cmd", "app", "Database migrations."),
    "keys": Lazy("townsquare.cli.keys_cmd", "app", "API keys and roles."),
    "config": Lazy("townsquare.cli.config_cmd", "app", "Settings."),
    "demo": Lazy("townsquare.cli.run_cmd", "demo_app", "Demo data."),
    "serve": Lazy(
        "townsquare.cli.run_cmd", "serve", "Serve the API and the web consoles with uvicorn.", True
    ),
    "ingest": Lazy(
        "townsquare.cli.run_cmd",
        "ingest_file",
        "Ingest posts from JSONL; bad lines are reported with their number and never stop the rest.",
        True,
    ),
    "policy": Lazy("townsquare.cli.policy_cmd", "app", "Community standards: check, replay, act, reverse."),
    "audit": Lazy("townsquare.cli.audit_cmd", "app", "Tamper-evident audit log."),
    "export": Lazy("townsquare.cli.export_cmd", "app", "Exports for regulators and researchers."),
    "moderation": Lazy(
        "townsquare.cli.moderation_cmd", "app", "Human moderation: reports, queues, decisions, appeals."
    ),
    "model": Lazy(
        "townsquare.cli.model_cmd", "app", "The post classifier: train the shipped artefact, evaluate it."
    ),
    "classify": Lazy(
        "townsquare.cli.classify_cmd",
        "classify_command",
        'Classify posts: one JSON object per input line, in input order; malformed lines yield {"line", "error"}.',
        True,
    ),
    "ads": Lazy(
        "townsquare.cli.ads_cmd",
        "app",
        "Brand safety: advertisers, suitability profiles, campaigns, placement checks.",
    ),
    "report": Lazy("townsquare.cli.report_cmd", "app", "Reports for advertisers and auditors."),
    "council": Lazy("townsquare.cli.council_cmd", "app", "The moderation council and advisory polls."),
    "notices": Lazy("townsquare.cli.notices_cmd", "app", "Notices to reporters and authors."),
    "connect": Lazy(
        "townsquare.cli.connect_cmd",
        "app",
        "Connect to real platforms: Mastodon moderation and a Bluesky (atproto) labeler.",
    ),
    "worker": Lazy(
        "townsquare.cli.worker_cmd",
        "worker",
        "Pull posts from JetStream, classify, enforce and store them; ack after the commit.",
        True,
    ),
}


class _Group(LazyGroup):
    table = TABLE


app = typer.Typer(
    cls=_Group,
    help="townsquare: accountable moderation for the public town square.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
)


@app.callback()
def _main() -> None:
    """townsquare: accountable moderation for the public town square."""


if __name__ == "__main__":
    app()
