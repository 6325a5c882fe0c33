"""Moderation console (queues, case page, claim / decide / escalate)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from townsquare.api.security import allow
from townsquare.core.enums import Role
from townsquare.web.rendering import render

router = APIRouter(prefix="/moderation")
MODS = allow(Role.MODERATOR, Role.ADMIN)


@router.get("", dependencies=[MODS], response_class=HTMLResponse)
def queues(request: Request) -> HTMLResponse:
    return render(request, "moderation/index.html", {"queues": [], "cases": []})
