"""Jinja2 environment and the one `render()` every page goes through.

Each template gets the same context: `t()` bound to the request's language, the signed-in caller, a CSRF token
factory, the one-shot flash message, and helpers to switch language on the current URL.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape

from townsquare.access.keys import KeyInfo
from townsquare.core.enums import Role
from townsquare.web.csrf import web_session
from townsquare.web.i18n import DEFAULT_LANG, LANGS, STRINGS, pick, translate

WEB_DIR = Path(__file__).parent
TEMPLATES_DIR = WEB_DIR / "templates"
STATIC_DIR = WEB_DIR / "static"

env = Environment(
    loader=FileSystemLoader(str(TEMPLATES_DIR)),
    autoescape=select_autoescape(["html", "svg"]),
    trim_blocks=True,
    lstrip_blocks=True,
)


def _fmt_dt(value: datetime | None) -> str:
    if value is None:
        return "—"
    return value.strftime("%Y-%m-%d %H:%M UTC")


def _pct(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value * 100:.1f} %"


env.filters["dt"] = _fmt_dt
env.filters["pct"] = _pct
env.filters["dict"] = dict

# Which consoles a role sees in the navigation (the routes enforce the same sets).
CONSOLES: tuple[tuple[str, str, frozenset[Role]], ...] = (
    ("/moderation", "nav.moderation", frozenset({Role.MODERATOR, Role.ADMIN})),
    ("/council", "nav.council", frozenset({Role.COUNCIL, Role.ADMIN})),
    ("/advertiser", "nav.advertiser", frozenset({Role.ADVERTISER})),
    ("/admin", "nav.admin", frozenset({Role.ADMIN})),
    ("/auditor", "nav.auditor", frozenset({Role.AUDITOR, Role.ADMIN})),
)


def current_lang(request: Request) -> str:
    lang = getattr(request.state, "lang", DEFAULT_LANG)
    return lang if lang in LANGS else DEFAULT_LANG


def current_user(request: Request) -> KeyInfo | None:
    """The signed-in caller: the web session's, else a Bearer key that `allow()` already verified."""
    caller = getattr(request.state, "web_caller", None)
    if isinstance(caller, KeyInfo):
        return caller
    caller = getattr(request.state, "caller", None)
    return caller if isinstance(caller, KeyInfo) and caller.role != Role.PUBLIC else None


def lang_url(request: Request, lang: str) -> str:
    params = dict(request.query_params)
    params["lang"] = lang
    return f"{request.url.path}?{urlencode(params)}"


def code_name(lang: str, group: str, value: Any) -> str:
    """The human name of a stored code (`code.<group>.<value>` in the locales); the code itself when unnamed, which
    the page tests catch (no raw enum code may reach a rendered page)."""
    key = f"code.{group}.{value}"
    return (
        translate(lang, key) if key in STRINGS.get(lang, {}) or key in STRINGS[DEFAULT_LANG] else str(value)
    )


def render(
    request: Request, template: str, context: dict[str, Any] | None = None, status: int = 200
) -> HTMLResponse:
    lang = current_lang(request)
    sess = web_session(request)
    user = current_user(request)

    def t(key: str, **kwargs: Any) -> str:
        return translate(lang, key, **kwargs)

    nav = [(href, key) for href, key, roles in CONSOLES if user is not None and user.role in roles]
    ctx: dict[str, Any] = {
        "request": request,
        "lang": lang,
        "langs": LANGS,
        "t": t,
        "pick": lambda texts: pick(texts, lang),
        "code": lambda group, value: code_name(lang, group, value),
        "user": user,
        "csrf_token": sess.csrf_token,
        "flash": sess.pop_flash(),
        "lang_url": lambda code: lang_url(request, code),
        "path": request.url.path,
        "nav": nav,
    }
    ctx.update(context or {})
    html = env.get_template(template).render(ctx)
    return HTMLResponse(html, status_code=status)
