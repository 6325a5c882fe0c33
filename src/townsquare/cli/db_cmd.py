"""`townsquare db ...`: migrations."""

from __future__ import annotations

import typer

from townsquare.cli.common import console
from townsquare.settings import get_settings
from townsquare.storage import migrate
from townsquare.storage.db import get_database

app = typer.Typer(help="Database migrations.", no_args_is_help=True)


@app.command()
def upgrade(revision: str = typer.Argument("head", help="Target revision.")) -> None:
    """Apply migrations up to REVISION (default: head)."""
    url = get_settings().database_url
    migrate.upgrade(url, revision)
    console.print(f"database at revision {migrate.current_revision(get_database(url))}")


@app.command()
def current() -> None:
    """Print the database's current revision and the code's head."""
    db = get_database(get_settings().database_url)
    console.print(f"current: {migrate.current_revision(db)}  head: {migrate.head_revision()}")
