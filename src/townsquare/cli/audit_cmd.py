"""`townsquare audit verify`: recompute the hash chain, the statements, and every status the chain must explain."""

from __future__ import annotations

import typer

from townsquare.cli.common import session

app = typer.Typer(help="Tamper-evident audit log.", no_args_is_help=True)


@app.command()
def verify() -> None:
    """Check every link of the audit chain, every statement of reasons, and that the chain explains the status of
    every account, action and council case; exit 1 naming the first bad record and each unexplained row."""
    from townsquare.audit import verify as verify_chain
    from townsquare.audit.crosscheck import verify_actions
    from townsquare.audit.state import verify_states

    with session() as s:
        count, problem = verify_chain(s)
        n_actions, bad_action = verify_actions(s)
        n_rows, bad_rows = verify_states(s)
    if problem is not None:
        typer.echo(f"audit chain BROKEN at record seq {problem.seq}: {problem.reason} ({count} records read)")
        raise typer.Exit(1)
    typer.echo(f"audit chain ok: {count} records verified")
    failed = False
    if bad_action is not None:
        typer.echo(
            f"actions BROKEN at action {bad_action.action_id} ({bad_action.puid}): {bad_action.reason}"
        )
        failed = True
    else:
        typer.echo(f"actions ok: {n_actions} statements match their audit records")
    if bad_rows:
        typer.echo(f"states BROKEN: {len(bad_rows)} of {n_rows} rows are not explained by the audit chain")
        for row in bad_rows:
            typer.echo(f"  {row.describe()}")
        failed = True
    else:
        typer.echo(f"states ok: {n_rows} accounts, actions and council cases match the audit chain")
    if failed:
        raise typer.Exit(1)
