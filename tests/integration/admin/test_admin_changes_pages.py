"""The two-admin pages through the real app (SQLite and PostgreSQL): a broken policy is a 422 page with the
`policy check` messages and stores nothing; the proposer gets no approve button and is refused if they post it
anyway; a second admin's approval puts the policy in force; council membership goes through the governance rules
(second admin, notice period); the key form preselects the least-privileged role and shows the real port."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from admin_change_helpers import candidate_text
from sqlalchemy import func, select

from townsquare.policy.engine import current_policy
from townsquare.storage.db import Database
from townsquare.storage.models import AdminChange, CouncilMember, CouncilMemberChange

HTML = {"accept": "text/html"}
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def _login(client: Any, api_key: Callable[..., str], name: str) -> None:
    token = api_key("admin", name)
    page = client.get("/login", headers=HTML).text
    r = client.post(
        "/login",
        data={"api_key": token, "csrf_token": CSRF.search(page).group(1), "next": ""},  # type: ignore[union-attr]
        follow_redirects=False,
    )
    assert r.status_code == 303


def _csrf(client: Any, path: str = "/admin/policies") -> str:
    found = CSRF.search(client.get(path, headers=HTML).text)
    assert found
    return found.group(1)


def test_two_admins_through_the_pages(client: Any, api_key: Callable[..., str], db: Database) -> None:
    _login(client, api_key, "admin-one")
    home = client.get("/admin", headers=HTML).text
    assert re.search(r'<option value="auditor" selected>', home)
    assert (
        "<td><code>port</code></td><td>80</td>" in home
    )  # the port served on (the test client: 80), not 8000
    token = _csrf(client)
    bad = client.post("/admin/policies", data={"csrf_token": token, "source": "name: x\n"}, headers=HTML)
    assert bad.status_code == 422 and 'id="check-problems"' in bad.text and "policy:" in bad.text
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(AdminChange)) == 0
    ok = client.post(
        "/admin/policies",
        data={"csrf_token": token, "source": candidate_text("2026.12-web"), "reason": "softer"},
        headers=HTML,
    )
    assert ok.status_code == 200 and "stored posts would get another decision" in ok.text
    assert 'class="approve"' not in ok.text
    with db.session() as s:
        change_id = s.scalar(select(AdminChange.id))
    refused = client.post(f"/admin/changes/{change_id}/approve", data={"csrf_token": token}, headers=HTML)
    assert "second, different admin" in refused.text
    with db.session() as s:
        assert current_policy(s).version != "2026.12-web"

    client.cookies.clear()
    _login(client, api_key, "admin-two")
    token = _csrf(client)
    page = client.get("/admin/policies", headers=HTML).text
    assert 'class="approve"' in page
    done = client.post(f"/admin/changes/{change_id}/approve", data={"csrf_token": token}, headers=HTML)
    assert "is in force" in done.text
    with db.session() as s:
        assert current_policy(s).version == "2026.12-web"
        member = CouncilMember(
            name="M", key_name=None, region="EU", languages=["en"], viewpoint_group="g", active=True
        )
        s.add(member)
        s.commit()
        member_id = member.id
    proposed = client.post(
        "/admin/members/changes",
        data={"csrf_token": token, "kind": "deactivate", "member_id": str(member_id), "reason": "left"},
        headers=HTML,
    )
    assert "awaits a second admin" in proposed.text
    odd = client.post(
        "/admin/members/changes",
        data={"csrf_token": token, "kind": "add", "member_id": str(member_id), "reason": "x"},
        headers=HTML,
    )
    assert "Unknown membership change" in odd.text
    with db.session() as s:
        row = s.scalar(select(CouncilMemberChange))
        assert row is not None and row.status == "pending" and row.proposed_by == "admin-two"
        assert s.get(CouncilMember, member_id).active  # type: ignore[union-attr]
