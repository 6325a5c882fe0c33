"""Liveness and readiness."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from sqlalchemy import text

from townsquare import __version__
from townsquare.api.deps import DatabaseDep
from townsquare.api.problems import problem
from townsquare.api.security import Role, allow

router = APIRouter(tags=["system"])


@router.get("/healthz", dependencies=[allow(Role.PUBLIC)])
async def healthz() -> dict[str, Any]:
    """The process is up (no dependency checked)."""
    return {"status": "ok", "version": __version__}


@router.get("/readyz", dependencies=[allow(Role.PUBLIC)], response_model=None)
def readyz(database: DatabaseDep) -> dict[str, Any] | JSONResponse:
    """The database answers and is migrated to the code's head revision."""
    from townsquare.storage.migrate import current_revision, head_revision

    try:
        with database.engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        current = current_revision(database)
    except Exception as exc:  # noqa: BLE001 - readiness reports any failure as 503
        return problem(503, "Service unavailable", f"database not reachable: {type(exc).__name__}")
    head = head_revision()
    if current != head:
        return problem(503, "Service unavailable", f"database at revision {current}, code expects {head}")
    return {"status": "ready", "database": database.dialect, "revision": current}
