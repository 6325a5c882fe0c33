"""`townsquare config show`."""

from __future__ import annotations

import json

import typer

from townsquare.settings import get_settings

app = typer.Typer(help="Settings.", no_args_is_help=True)


@app.command()
def show(as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """Print the effective settings, secrets masked."""
    values = get_settings().masked()
    if as_json:
        typer.echo(json.dumps(values, indent=2, default=str))
        return
    for key, value in values.items():
        typer.echo(f"TOWNSQUARE_{key.upper()}={value}")
