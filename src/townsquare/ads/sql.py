"""The two hot-path reads as plain SQL on the driver connection.

Every placement decision reads the candidate campaigns (with their profiles' current versions) and the post
(with its latest assessment). Through SQLAlchemy's compiled-statement machinery these two small reads cost more
CPU than the decision itself; here they are written once as portable SQL and sent straight to the DB-API driver
(`?` for SQLite, `%s` for psycopg), inside the request's own transaction. Everything else in the package uses
the ORM as usual. The table and column names are those of `townsquare.storage.models`.
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

from sqlalchemy.orm import Session

CAMPAIGNS_SQL = (
    "SELECT c.id, c.advertiser_id, c.active, c.profile_id, s.version "
    "FROM campaigns c JOIN suitability_profiles s ON s.id = c.profile_id WHERE c.id IN ({ids})"
)
POSTS_SQL = (
    "SELECT p.id, p.author_id, p.lang, p.visibility, p.text, a.id, a.garm, a.normalized, a.lang "
    "FROM posts p LEFT JOIN assessments a "
    "ON a.id = (SELECT max(a2.id) FROM assessments a2 WHERE a2.post_id = p.id) "
    "WHERE p.id IN ({ids})"
)


@lru_cache(maxsize=512)
def _render(template: str, n: int, mark: str) -> str:
    return template.format(ids=", ".join([mark] * n))


def fetch(session: Session, template: str, ids: list[str]) -> list[tuple[Any, ...]]:
    """Run one of the templates above for ``ids`` in the session's transaction."""
    conn = session.connection()
    mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
    rows = conn.exec_driver_sql(_render(template, len(ids), mark), tuple(ids)).fetchall()
    return [tuple(r) for r in rows]


def json_value(value: Any) -> Any:
    """JSON columns arrive as text from SQLite and already decoded from psycopg."""
    return json.loads(value) if isinstance(value, str) else value
