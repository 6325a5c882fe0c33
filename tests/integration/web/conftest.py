"""Helpers for web tests: sign in through the real login form (CSRF token included)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
HTML = {"accept": "text/html"}


def csrf_of(html: str) -> str:
    found = CSRF.search(html)
    assert found, "page has no CSRF token"
    return found.group(1)


@pytest.fixture
def web_login(client: Any, api_key: Callable[..., str]) -> Callable[..., str]:
    """web_login(role, name=None, advertiser_id=None) -> the key's name; the client now holds the session."""

    def login(role: str, name: str | None = None, advertiser_id: str | None = None) -> str:
        name = name or f"web-{role}"
        token = api_key(role, name, advertiser_id)
        token_page = client.get("/login", headers=HTML)
        r = client.post(
            "/login",
            data={"api_key": token, "csrf_token": csrf_of(token_page.text), "next": ""},
            follow_redirects=False,
        )
        assert r.status_code == 303, r.text
        return name

    return login


@pytest.fixture
def csrf() -> Callable[[str], str]:
    """csrf(html) -> the page's CSRF token."""
    return csrf_of
