"""All page routes. The router-level CSRF dependency covers every state-changing request of every console."""

from __future__ import annotations

from fastapi import APIRouter, Depends

from townsquare.web.csrf import csrf_protect
from townsquare.web.routes import (
    admin,
    admin_changes,
    advertiser,
    auditor,
    auth,
    council,
    moderation,
    public,
    transparency,
)

router = APIRouter(dependencies=[Depends(csrf_protect)], include_in_schema=False)
for _module in (public, auth, transparency, moderation, council, advertiser, admin, admin_changes, auditor):
    router.include_router(_module.router)

__all__ = ["router"]
