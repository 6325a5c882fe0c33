"""Council console (my panels, case file, vote) and the public decision page."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from townsquare.api.security import allow
from townsquare.core.enums import Role
from townsquare.web.rendering import render

router = APIRouter(prefix="/council")
COUNCIL = allow(Role.COUNCIL, Role.ADMIN)


@router.get("", dependencies=[COUNCIL], response_class=HTMLResponse)
def panels(request: Request) -> HTMLResponse:
    return render(request, "council/index.html", {"panels": []})
