"""Advertiser console (profile editor with live preview, brand-safety report)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from townsquare.api.security import allow
from townsquare.core.enums import Role
from townsquare.web.rendering import render

router = APIRouter(prefix="/advertiser")
ADVERTISER = allow(Role.ADVERTISER)


@router.get("", dependencies=[ADVERTISER], response_class=HTMLResponse)
def home(request: Request) -> HTMLResponse:
    return render(request, "advertiser/index.html", {})
