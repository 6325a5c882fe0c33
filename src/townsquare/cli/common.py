"""Helpers shared by the CLI commands: settings, sessions, error reporting."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import typer
from rich.console import Console
from sqlalchemy.orm import Session

from townsquare.core.errors import DomainError
from townsquare.settings import get_settings
from townsquare.storage.db import get_database

console = Console()
err_console = Console(stderr=True)


@contextmanager
def session() -> Iterator[Session]:
    """A committed unit of work on the configured database; domain errors exit 1 with their message."""
    try:
        with get_database(get_settings().database_url).session() as s:
            yield s
    except DomainError as exc:
        err_console.print(f"[red]error:[/red] {exc.detail}")
        raise typer.Exit(1) from None


def fail(message: str, code: int = 1) -> None:
    err_console.print(f"[red]error:[/red] {message}")
    raise typer.Exit(code)
