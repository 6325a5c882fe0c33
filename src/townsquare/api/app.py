"""The ASGI application: routers, problem+json errors, body-size limit."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from townsquare import __version__, web
from townsquare.api import openapi, problems
from townsquare.api.fastlane import AdsDecisionLane, decision_route
from townsquare.api.guard import InputGuard
from townsquare.api.limits import BodySizeLimit, ConcurrencyLimit
from townsquare.api.ratelimit import RateLimitMiddleware, RateLimits
from townsquare.api.routes import (
    access,
    actions,
    ads,
    classify,
    council,
    council_governance,
    moderation,
    moderation_console,
    posts,
    system,
)
from townsquare.observability.logs import RequestContext
from townsquare.settings import Settings, get_settings
from townsquare.storage.db import Database, get_database


@asynccontextmanager
async def _warm(app: FastAPI) -> AsyncIterator[None]:
    """Load the classifier before the first request; run the moderation worker (webhooks, claim expiry)."""
    from townsquare.classify.model import get_model
    from townsquare.core.heap import freeze_startup_heap
    from townsquare.moderation.webhooks import start_worker

    get_model()
    stop = start_worker(app.state.database)
    freeze_startup_heap()  # the model and modules out of the collector's walk (ad decisions' p99)
    try:
        yield
    finally:
        stop.set()


def create_app(
    settings: Settings | None = None, database: Database | None = None, *, warm: bool = False
) -> FastAPI:
    settings = settings or get_settings()
    settings.check_secret()
    app = FastAPI(
        lifespan=_warm if warm else None,
        title="townsquare",
        version=__version__,
        description="Accountable moderation, a bridging council, and brand safety that never buys censorship.",
        docs_url="/docs",
        redoc_url=None,
        openapi_url="/openapi.json",
    )
    app.state.settings = settings
    app.state.database = database or get_database(settings.database_url)
    problems.install(app)
    openapi.install(app)
    app.include_router(system.router)
    app.include_router(access.router)
    # actions before posts: `/posts/{post_id:path}/actions` must be tried before `/posts/{post_id:path}`.
    app.include_router(actions.router)
    app.include_router(posts.router)
    app.include_router(ads.router)
    app.include_router(moderation.router)
    app.include_router(moderation_console.router)  # right after: same OpenAPI order as one router
    app.include_router(classify.router)
    app.include_router(council.router)
    app.include_router(council_governance.router)
    # Routers of the domains (one line each):
    app.include_router(__import__("townsquare.api.routes.metrics", fromlist=["router"]).router)
    app.include_router(__import__("townsquare.api.routes.atproto", fromlist=["router"]).router)
    app.include_router(__import__("townsquare.api.routes.connectors_mastodon", fromlist=["router"]).router)
    web.mount(app)  # the consoles, mounted last so API routes win
    app.state.rate_limits = RateLimits.from_settings(settings)
    app.add_middleware(AdsDecisionLane, route=decision_route())  # innermost: the ad auction's happy path
    app.add_middleware(InputGuard)  # NUL / lone surrogates: 422 before any route runs
    app.add_middleware(RateLimitMiddleware, limits=app.state.rate_limits)  # 429 before the body is read
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes)  # outermost: 413 first
    app.add_middleware(ConcurrencyLimit, max_requests=settings.max_concurrent_requests)  # 503 past capacity
    app.add_middleware(RequestContext, json_logs=warm)  # request id, access log, HTTP metrics around all
    return app
