"""A console page asked with a Bearer key instead of a session cookie answers like the API would, never a 500."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

PAGES = [
    "/advertiser",
    "/advertiser/report",
    "/moderation",
    "/admin",
    "/council",
    "/auditor",
    "/transparency",
]


@pytest.mark.parametrize("role", ["advertiser", "moderator", "admin", "auditor", "council"])
def test_console_pages_with_a_bearer_key_never_fail(
    client: Any, api_key: Callable[..., str], role: str
) -> None:
    token = api_key(role, advertiser_id="adv-bearer" if role == "advertiser" else None)
    for page in PAGES:
        response = client.get(page, headers={"Authorization": f"Bearer {token}"}, follow_redirects=False)
        assert response.status_code < 500, (page, response.status_code, response.text[:200])
    own = {"advertiser": "/advertiser", "moderator": "/moderation", "admin": "/admin", "auditor": "/auditor"}
    if role in own:
        page = client.get(own[role], headers={"Authorization": f"Bearer {token}"})
        assert page.status_code == 200
