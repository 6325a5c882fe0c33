"""HTML error pages for browsers (the API keeps problem+json)."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse

from townsquare.web.rendering import render


def error_page(request: Request, status: int, problem: dict[str, Any]) -> HTMLResponse:
    return render(
        request,
        "error.html",
        {"status": status, "title": problem.get("title") or "", "detail": problem.get("detail") or ""},
        status=status,
    )
