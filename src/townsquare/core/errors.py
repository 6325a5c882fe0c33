"""Domain errors. The API maps each to an RFC 9457 problem; the CLI prints the message and exits non-zero.

DomainError
├── NotFound        (404) the subject does not exist
├── Conflict        (409) the request contradicts stored state (e.g. same id, different content)
├── Invalid         (422) well-formed but semantically wrong input
├── Forbidden       (403) the caller's role may not do this
└── RateLimited     (429) too many requests from this caller
"""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    status = 400
    title = "Bad request"

    def __init__(self, detail: str, **extra: Any) -> None:
        super().__init__(detail)
        self.detail = detail
        self.extra = extra


class NotFound(DomainError):
    status = 404
    title = "Not found"


class Conflict(DomainError):
    status = 409
    title = "Conflict"


class Invalid(DomainError):
    status = 422
    title = "Unprocessable content"


class Forbidden(DomainError):
    status = 403
    title = "Forbidden"


class RateLimited(DomainError):
    status = 429
    title = "Too many requests"
