"""The Mastodon admin webhook receiver: `POST /api/v1/connectors/mastodon/webhook`.

Public at the HTTP level (Mastodon sends no API key) and authenticated by the body's HMAC instead: a missing or
wrong `X-Hub-Signature` is 401 before the body is parsed. With no secret configured no signature can be valid, so
that too is 401 (never "accept unsigned"), saying what to configure.
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool

from townsquare.api.deps import SessionDep
from townsquare.api.security import allow
from townsquare.connectors import config
from townsquare.connectors.mastodon import inbound, signature
from townsquare.core.enums import Role
from townsquare.core.errors import DomainError, Invalid

router = APIRouter(prefix="/api/v1/connectors/mastodon", tags=["connectors"])


class Unsigned(DomainError):
    status = 401
    title = "Unauthorized"


@router.post("/webhook", dependencies=[allow(Role.PUBLIC)])
async def mastodon_webhook(request: Request, session: SessionDep) -> dict[str, Any]:
    """Receive `status.created`, `status.updated`, `report.created` and `account.created` from Mastodon."""
    secret = config.mastodon(session).webhook_secret
    if not secret:
        raise Unsigned(
            "the Mastodon webhook is not configured: set its secret with "
            "`townsquare connect mastodon --webhook-secret …` (or TOWNSQUARE_MASTODON_WEBHOOK_SECRET)"
        )
    body = await request.body()
    if not signature.verify(secret, body, request.headers.get(signature.HEADER)):
        raise Unsigned(
            f"missing or wrong {signature.HEADER} (HMAC-SHA256 of the body with the webhook secret)"
        )
    try:
        doc = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise Invalid(f"body is not JSON: {exc}") from None
    handled = await run_in_threadpool(inbound.handle, session, doc)  # classify + enforce: not on the loop
    return handled.to_dict()
