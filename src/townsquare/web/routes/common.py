"""Small helpers the console routes share: redirects with a flash, form actions, the caller, safe `next`."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from fastapi import Request
from fastapi.responses import RedirectResponse
from sqlalchemy.orm import Session

from townsquare.access.keys import KeyInfo
from townsquare.core.errors import DomainError
from townsquare.web.csrf import web_session
from townsquare.web.i18n import translate
from townsquare.web.rendering import current_lang, current_user


def caller(request: Request) -> KeyInfo:
    """The signed-in caller; routes only call this behind `allow(...)`, which already refused anonymous ones."""
    user = current_user(request)
    if user is None:  # pragma: no cover - allow() runs first
        raise RuntimeError("page reached without a signed-in caller")
    return user


def t(request: Request, key: str, **kwargs: object) -> str:
    return translate(current_lang(request), key, **kwargs)


def redirect(
    url: str, request: Request | None = None, message: str | None = None, kind: str = "ok"
) -> RedirectResponse:
    """POST-redirect-GET, with an optional one-shot message for the next page."""
    if request is not None and message:
        web_session(request).flash(message, kind)
    return RedirectResponse(url, status_code=303)


def error_message(exc: DomainError) -> str:
    return f"{exc.title}: {exc.detail}"


T = TypeVar("T")


def form_action(
    request: Request,
    session: Session,
    call: Callable[[], T],
    *,
    back: str,
    done: Callable[[T], tuple[str, str | None]],
) -> RedirectResponse:
    """One console form post: run the domain `call`; a refusal (DomainError) rolls the session back and goes
    back to `back` with the error flashed, so a half-done change is never committed; success redirects
    (POST-redirect-GET) to the (url, message or None) that `done` makes of the call's result."""
    try:
        result = call()
    except DomainError as exc:
        session.rollback()
        return redirect(back, request, error_message(exc), "error")
    url, message = done(result)
    return redirect(url, request, message)


def safe_next(target: str | None, default: str = "/") -> str:
    """Only local absolute paths, so /login?next= cannot send anyone to another site."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return default
    return target
