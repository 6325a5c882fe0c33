"""`townsquare notices`: close reports past the service-level time (the server's worker does it too)."""

from __future__ import annotations

import typer

from townsquare.cli.common import console, session

app = typer.Typer(help="Notices to reporters and authors.", no_args_is_help=True)


@app.command("expire")
def expire(
    days: int = typer.Option(None, "--days", min=1, help="Service-level time (default: report_expiry_days)."),
) -> None:
    """Close every report still pending after the service-level time; its reporter is told so honestly."""
    from townsquare.notices.expiry import expire_reports

    with session() as s:
        n = expire_reports(s, days=days)
    console.print(f"{n} reports expired (not reviewed in time)")
