"""Server-rendered web consoles (moderation, council, advertiser, admin, transparency, public pages).

`mount(app)` is called by `api.app.create_app`: it adds the session middleware, the static files and the pages'
router. The pages call the domain services directly and add no business logic; they use the API's own role
checks (`api.security.allow`) through the caller the middleware resolves from the session cookie.
"""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from townsquare.web.middleware import WebMiddleware
from townsquare.web.rendering import STATIC_DIR, TEMPLATES_DIR

__all__ = ["STATIC_DIR", "TEMPLATES_DIR", "mount"]


def mount(app: FastAPI) -> None:
    from townsquare.web.routes import router

    settings = app.state.settings
    app.mount("/static", StaticFiles(directory=str(STATIC_DIR)), name="static")
    app.include_router(router)
    app.add_middleware(
        WebMiddleware,
        secure=settings.secure_cookies(),
        lifetime_seconds=settings.session_lifetime_seconds,
        idle_seconds=settings.session_idle_seconds,
    )
