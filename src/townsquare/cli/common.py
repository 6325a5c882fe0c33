"""Helpers shared by the CLI commands: settings, sessions, error reporting."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.console import Console

from townsquare.core.errors import DomainError

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

console = Console()
err_console = Console(stderr=True)


UPGRADE_HINT = "run `townsquare db upgrade` (or point TOWNSQUARE_DATABASE_URL at a migrated database)"


def require_database(url: str) -> None:
    """Refuse, with the way out, a SQLite file that does not exist, instead of creating it empty."""
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    path = parsed.database
    if parsed.get_backend_name() == "sqlite" and path and path != ":memory:" and not Path(path).exists():
        fail(f"no database at {path}: {UPGRADE_HINT}")


def _unmigrated(exc: Exception) -> bool:
    text = str(exc).lower()
    return (
        "no such table" in text
        or "undefinedtable" in text
        or ("relation" in text and "does not exist" in text)
    )


@contextmanager
def session() -> Iterator[Session]:
    """A committed unit of work on the configured database; domain errors exit 1 with their message."""
    from sqlalchemy.exc import OperationalError, ProgrammingError

    from townsquare.settings import get_settings
    from townsquare.storage.db import get_database

    url = get_settings().database_url
    require_database(url)
    try:
        with get_database(url).session() as s:
            yield s
    except DomainError as exc:
        err_console.print(f"[red]error:[/red] {exc.detail}")
        raise typer.Exit(1) from None
    except (OperationalError, ProgrammingError) as exc:
        if _unmigrated(exc):
            fail(f"the database is not migrated: {UPGRADE_HINT}")
        raise


def fail(message: str, code: int = 1) -> None:
    err_console.print(f"[red]error:[/red] {message}")
    raise typer.Exit(code)
