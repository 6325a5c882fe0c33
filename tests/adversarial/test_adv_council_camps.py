"""One camp tries to decide alone (issue 11): a camp-line majority with no council history (where the old rule
bound 4-1 through its supermajority fallback), the same at rich history (bridged mode), and a poll brigade of
3,000 single-camp accounts. None binds; the published text says which rule was used, truthfully."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from adv_council_world import make_world
from fastapi.testclient import TestClient

from townsquare.core import clock
from townsquare.storage.db import Database
from townsquare.storage.models import Account

BRIGADE = 3000


def test_camp_line_majority_without_history_does_not_bind(
    client: TestClient, db: Database, auth: Callable[..., dict[str, str]]
) -> None:
    """Six members of one declared group and one of another: the 4-1 'supermajority' of one group fails."""
    w = make_world(client, db, auth, history=False, groups=["progressive"] * 6 + ["conservative"])
    panel = w.panel()
    assert all(p["position_at_draw"] is None for p in panel)
    groups = [p["group_at_draw"] for p in panel]
    assert groups.count("conservative") == 1  # drawn across groups: the lone other group is seated
    for p in panel:
        assert (
            w.vote(
                p["member_id"], "overturn" if p["group_at_draw"] == "progressive" else "uphold"
            ).status_code
            == 201
        )
    d = client.get("/api/v1/council/decisions").json()[0]
    checks = d["bridging"]["rule"]["checks"]["overturn"]
    assert d["bridging"]["rule"]["mode"] == "fallback" and checks["share"] == 0.8
    assert checks["supporting_groups"] == ["progressive"] and checks["sides_ok"] is False
    assert d["binding"] is False and d["published"]["en"]["binding"].startswith("Not binding")
    assert w.ban_active() and not w.binding_decisions()


def test_no_groups_and_no_history_cannot_bind_at_all(
    client: TestClient, db: Database, auth: Callable[..., dict[str, str]]
) -> None:
    w = make_world(client, db, auth, history=False, groups=["progressive"])
    for p in w.panel():
        assert w.vote(p["member_id"], "overturn").status_code == 201  # even unanimity of one group
    d = client.get("/api/v1/council/decisions").json()[0]
    assert d["bridging"]["rule"]["mode"] == "no_decision" and d["binding"] is False
    assert "could tell the panel" in d["published"]["en"]["binding"]
    assert w.ban_active() and not w.binding_decisions()


def test_camp_line_majority_at_rich_history_does_not_bind(
    client: TestClient, db: Database, auth: Callable[..., dict[str, str]]
) -> None:
    w = make_world(client, db, auth, history=True)
    panel = w.panel()
    assert min(p["position_at_draw"] for p in panel) < -0.5 < 0.5 < max(p["position_at_draw"] for p in panel)
    for p in panel:  # one camp and the centre overturn, the other camp upholds
        assert (
            w.vote(p["member_id"], "overturn" if p["position_at_draw"] <= 0.1 else "uphold").status_code
            == 201
        )
    d = client.get("/api/v1/council/decisions").json()[0]
    rule = d["bridging"]["rule"]
    assert rule["counts"]["overturn"] >= 3 and d["binding"] is False
    if rule["mode"] == "bridged":
        assert rule["checks"]["overturn"]["right_ok"] is False
    else:
        assert rule["checks"]["overturn"]["passed"] is False
    assert "crossed the viewpoint axis" not in d["published"]["en"]["binding"]
    assert w.ban_active() and not w.binding_decisions()


@pytest.mark.slow  # 3,000 real HTTP votes per database
def test_a_poll_brigade_of_3000_single_camp_accounts_changes_nothing(
    client: TestClient, db: Database, auth: Callable[..., dict[str, str]]
) -> None:
    w = make_world(client, db, auth, history=True)
    relay = auth("ingest", name="platform-relay-2")
    with db.session() as s:  # old, active-looking accounts: they pass the poll's eligibility rules
        s.add_all(
            Account(id=f"brigade-{n}", handle=f"brigade-{n}", created_at=clock.now() - timedelta(days=400))
            for n in range(BRIGADE)
        )
    history = [
        {"item": f"camp-item-{n % 10}", "account_id": f"brigade-{n}", "value": 1.0} for n in range(BRIGADE)
    ]
    assert client.post("/api/v1/community/votes", json={"votes": history}, headers=relay).status_code == 200
    r = client.post(
        f"/api/v1/council/cases/{w.case_id}/polls", json={"question": "Lift the ban?"}, headers=w.admin
    )
    assert r.status_code == 201, r.text
    poll_id = r.json()["poll_id"]

    def cast(n: int) -> int:
        body = {"account_id": f"brigade-{n}", "value": 1}
        return client.post(f"/api/v1/polls/{poll_id}/votes", json=body, headers=relay).status_code

    # 3,000 real HTTP votes, several in flight like a real brigade (SQLite serialises writers: one at a time there)
    with ThreadPoolExecutor(max_workers=1 if db.dialect == "sqlite" else 8) as pool:
        statuses = list(pool.map(cast, range(BRIGADE)))
    assert statuses == [201] * BRIGADE
    result = client.get(f"/api/v1/polls/{poll_id}").json()
    assert (
        result["raw"]["votes"] == BRIGADE and result["raw"]["support"] == 1.0 and result["advisory"] is True
    )
    assert result["bridged"]["status"] != "bridged_support"
    # the panel splits along its camps: the poll is not an input of the rule, the ban stays
    for p in w.panel():
        assert (
            w.vote(p["member_id"], "overturn" if (p["position_at_draw"] or 0) < 0 else "uphold").status_code
            == 201
        )
    d = client.get("/api/v1/council/decisions").json()[0]
    assert d["binding"] is False
    assert w.ban_active() and not w.binding_decisions()
