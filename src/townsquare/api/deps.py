"""Short dependency aliases so routes stay a few lines."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from townsquare.access.keys import KeyInfo
from townsquare.api.security import current_caller
from townsquare.settings import Settings
from townsquare.storage.db import Database


def _database(request: Request) -> Database:
    db: Database = request.app.state.database
    return db


async def get_database(request: Request) -> Database:  # async: an attribute read needs no worker thread
    return _database(request)


def get_session(request: Request) -> Iterator[Session]:
    """One unit of work per request: committed when the route returns, rolled back on any error.

    Declared with `scope="function"` below, so the commit happens before the response is sent: a client that got
    a 2xx can read what it wrote, and a failed commit is answered as an error, never as a success."""
    with _database(request).session() as session:
        yield session


def get_read_session(request: Request) -> Iterator[Session]:
    """For routes that only read: no write lock on SQLite, nothing committed."""
    with _database(request).read_session() as session:
        yield session


async def get_settings_dep(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


SessionDep = Annotated[Session, Depends(get_session, scope="function")]
ReadSessionDep = Annotated[Session, Depends(get_read_session, scope="function")]
CallerDep = Annotated[KeyInfo, Depends(current_caller)]
SettingsDep = Annotated[Settings, Depends(get_settings_dep)]
DatabaseDep = Annotated[Database, Depends(get_database)]
