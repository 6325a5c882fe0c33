"""Persistence: SQLAlchemy models, engine/session handling and Alembic migrations."""

from townsquare.storage.db import Database, get_database

__all__ = ["Database", "get_database"]
