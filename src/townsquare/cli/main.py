"""The `townsquare` command. Each domain registers its sub-app here (one line each)."""

from __future__ import annotations

import typer

from townsquare.cli import config_cmd, db_cmd, keys_cmd, run_cmd

app = typer.Typer(
    help="townsquare: accountable moderation for the public town square.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
)
app.add_typer(db_cmd.app, name="db")
app.add_typer(keys_cmd.app, name="keys")
app.add_typer(config_cmd.app, name="config")
app.add_typer(run_cmd.demo_app, name="demo")
app.command("serve")(run_cmd.serve)
app.command("ingest")(run_cmd.ingest_file)
# Domain sub-apps (one line each):
app.add_typer(__import__("townsquare.cli.policy_cmd", fromlist=["app"]).app, name="policy")
app.add_typer(__import__("townsquare.cli.audit_cmd", fromlist=["app"]).app, name="audit")
app.add_typer(__import__("townsquare.cli.export_cmd", fromlist=["app"]).app, name="export")
app.add_typer(__import__("townsquare.cli.moderation_cmd", fromlist=["app"]).app, name="moderation")
app.add_typer(__import__("townsquare.cli.model_cmd", fromlist=["app"]).app, name="model")
__import__("townsquare.cli.classify_cmd", fromlist=["register"]).register(app)
app.add_typer(__import__("townsquare.cli.ads_cmd", fromlist=["app"]).app, name="ads")
app.add_typer(__import__("townsquare.cli.report_cmd", fromlist=["app"]).app, name="report")
app.add_typer(__import__("townsquare.cli.council_cmd", fromlist=["app"]).app, name="council")
app.add_typer(__import__("townsquare.cli.notices_cmd", fromlist=["app"]).app, name="notices")
app.command("worker")(__import__("townsquare.cli.worker_cmd", fromlist=["worker"]).worker)

if __name__ == "__main__":
    app()
