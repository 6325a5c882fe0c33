"""RFC 9457 problem details for every error the API returns, never a stack trace.

Besides the domain errors, the database's own refusals are mapped here as a last line of defence, so a value that
slipped past the edge rules still gets a clear 4xx (and the unit of work is rolled back, so nothing changed):
out-of-range numbers and unstorable text are 422, a uniqueness clash is 409, a deadlock or serialisation failure is
503 with `Retry-After` (nothing was stored; the same request may simply be sent again).
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DataError, IntegrityError, OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException

from townsquare.api.ratelimit import Limited
from townsquare.core.errors import DomainError, Forbidden

log = logging.getLogger("townsquare.api")
PROBLEM = "application/problem+json"
RESERVED = frozenset({"type", "title", "status", "detail", "instance"})
"""RFC 9457 members a domain error's extras must never overwrite (`Conflict(..., status="decided")` names the
subject's state, not the HTTP status): such an extra is emitted as `current_<name>`."""

TITLES = {
    400: "Bad request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    409: "Conflict",
    413: "Content too large",
    415: "Unsupported media type",
    422: "Unprocessable content",
    429: "Too many requests",
    503: "Service unavailable",
}
TRANSIENT_SQLSTATES = frozenset({"40001", "40P01", "55P03"})
"""serialization_failure, deadlock_detected, lock_not_available: the transaction was rolled back, retry it."""
OTHER_TENANT = "this key is bound to another advertiser"


def problem(
    status: int, title: str, detail: str = "", /, *, instance: str = "", **extra: Any
) -> JSONResponse:
    body: dict[str, Any] = {"type": "about:blank", "title": title, "status": status}
    if detail:
        body["detail"] = detail
    if instance:
        body["instance"] = instance
    for key, value in extra.items():
        body[f"current_{key}" if key in RESERVED else key] = value
    return JSONResponse(body, status_code=status, media_type=PROBLEM)


def _field(loc: Any) -> str:
    return ".".join(str(p) for p in loc if p not in ("body",)) or "body"


def _sqlstate(exc: BaseException) -> str:
    orig = getattr(exc, "orig", None)
    return str(getattr(orig, "sqlstate", None) or getattr(orig, "pgcode", None) or "")


def _is_transient(exc: OperationalError) -> bool:
    if _sqlstate(exc) in TRANSIENT_SQLSTATES:
        return True
    text = str(getattr(exc, "orig", exc)).lower()
    return "database is locked" in text or "deadlock" in text


def _other_tenant(request: Request, exc: DomainError) -> bool:
    """An advertiser key asking for another advertiser's object: answered 404, as if it did not exist, so one
    tenant cannot learn which ids another tenant uses."""
    return isinstance(exc, Forbidden) and exc.detail == OTHER_TENANT and request.url.path.startswith("/api/")


def install(app: FastAPI) -> None:
    @app.exception_handler(DomainError)
    async def _domain(request: Request, exc: DomainError) -> JSONResponse:
        if _other_tenant(request, exc):
            return problem(404, "Not found", "not found", instance=request.url.path)
        return problem(exc.status, exc.title, exc.detail, instance=request.url.path, **exc.extra)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [
            {
                "field": _field(e.get("loc", ())),
                "message": str(e.get("msg", "")),
                "type": str(e.get("type", "")),
            }
            for e in exc.errors()
        ]
        detail = "; ".join(f"{e['field']}: {e['message']}" for e in errors[:5])
        return problem(422, "Unprocessable content", detail, instance=request.url.path, errors=errors)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        resp = problem(
            exc.status_code,
            TITLES.get(exc.status_code, "Error"),
            str(exc.detail or ""),
            instance=request.url.path,
        )
        if exc.headers:
            resp.headers.update(exc.headers)
        return resp

    @app.exception_handler(Limited)
    async def _limited(request: Request, exc: Limited) -> JSONResponse:
        resp = problem(
            429,
            "Too many requests",
            f"rate limit {exc.name!r} reached; retry in {exc.retry_after} s",
            instance=request.url.path,
            limit=exc.name,
        )
        resp.headers["Retry-After"] = str(exc.retry_after)
        return resp

    @app.exception_handler(DataError)
    async def _data(request: Request, exc: DataError) -> JSONResponse:
        log.warning("database refused a value on %s: %s", request.url.path, exc.orig)
        return problem(
            422,
            "Unprocessable content",
            "a value is out of range or cannot be stored",
            instance=request.url.path,
        )

    @app.exception_handler(OverflowError)
    async def _overflow(request: Request, exc: OverflowError) -> JSONResponse:
        return problem(
            422, "Unprocessable content", "a number or date is out of range", instance=request.url.path
        )

    @app.exception_handler(UnicodeError)
    async def _unicode(request: Request, exc: UnicodeError) -> JSONResponse:
        return problem(422, "Unprocessable content", "text is not valid Unicode", instance=request.url.path)

    @app.exception_handler(IntegrityError)
    async def _integrity(request: Request, exc: IntegrityError) -> JSONResponse:
        log.warning("integrity conflict on %s: %s", request.url.path, exc.orig)
        return problem(
            409, "Conflict", "the request clashes with stored data (a duplicate?)", instance=request.url.path
        )

    @app.exception_handler(OperationalError)
    async def _operational(request: Request, exc: OperationalError) -> JSONResponse:
        if _is_transient(exc):
            log.warning("transient database conflict on %s: %s", request.url.path, exc.orig)
            resp = problem(
                503,
                "Service unavailable",
                "the database was busy and nothing was stored; send the same request again",
                instance=request.url.path,
            )
            resp.headers["Retry-After"] = "1"
            return resp
        return await _unexpected(request, exc)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error on %s", request.url.path)
        return problem(
            500,
            "Internal server error",
            "an unexpected error occurred; it has been logged",
            instance=request.url.path,
        )
