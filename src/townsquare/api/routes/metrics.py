"""`GET /metrics`: Prometheus exposition of the process's metrics (see docs/streaming.md for the list).

Counts and latencies only — no ids, no texts, no keys — so it is readable without a key, like `/healthz`; put it
behind the network boundary you scrape from in production.
"""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import Response

from townsquare.api.security import Role, allow
from townsquare.observability import metrics

router = APIRouter(tags=["operations"])


@router.get("/metrics", dependencies=[allow(Role.PUBLIC)], include_in_schema=False)
async def prometheus_metrics() -> Response:
    body, content_type = metrics.render()
    return Response(body, media_type=content_type)
