"""`townsquare audit verify`: recompute the hash chain and name the first bad record."""

from __future__ import annotations

import typer

from townsquare.cli.common import session

app = typer.Typer(help="Tamper-evident audit log.", no_args_is_help=True)


@app.command()
def verify() -> None:
    """Check every link of the audit chain; exit 1 naming the first modified, missing, inserted or moved record."""
    from townsquare.audit import verify as verify_chain
    from townsquare.audit.crosscheck import verify_actions

    with session() as s:
        count, problem = verify_chain(s)
        n_actions, bad_action = verify_actions(s)
    if problem is not None:
        typer.echo(f"audit chain BROKEN at record seq {problem.seq}: {problem.reason} ({count} records read)")
        raise typer.Exit(1)
    typer.echo(f"audit chain ok: {count} records verified")
    if bad_action is not None:
        typer.echo(
            f"actions BROKEN at action {bad_action.action_id} ({bad_action.puid}): {bad_action.reason}"
        )
        raise typer.Exit(1)
    typer.echo(f"actions ok: {n_actions} statements match their audit records")
