"""The pipeline's interim measure (ceiling action while a stronger one is proposed) ends with the human decision."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from townsquare.demo.loader import demo_posts
from townsquare.moderation import claims, decisions
from townsquare.storage.db import Database
from townsquare.storage.models import Action, Case, Post, Strike


@pytest.mark.parametrize(("decision", "visibility"), [("none", "visible"), ("remove", "removed")])
def test_human_decision_supersedes_the_interim_measure(
    client: TestClient, db: Database, auth: Callable[..., dict[str, str]], decision: str, visibility: str
) -> None:
    vermin = next(p for p in demo_posts() if p["id"] == "demo-007")
    assert client.post("/api/v1/posts", json=vermin, headers=auth("ingest")).status_code == 201
    with db.session() as s:
        case = s.scalars(select(Case).where(Case.post_id == "demo-007")).one()
        interim = s.scalars(select(Action).where(Action.post_id == "demo-007")).one()
        assert case.origin == "automation" and case.proposed_action == "remove"
        assert interim.automated and interim.status == "active"
        rule = str(case.proposed_rule).split("@")[0]
        claims.claim(s, case_id=case.id, moderator="mod-a")
        decisions.decide(s, case_id=case.id, moderator="mod-a", action=decision, rule_id=rule)
    with db.session() as s:
        assert s.get(Action, interim.id).status == "reversed"  # type: ignore[union-attr]
        post = s.get(Post, "demo-007")
        assert post is not None and post.visibility == visibility
        active_strikes = s.scalars(
            select(Strike).where(Strike.account_id == vermin["author"], Strike.revoked_at.is_(None))
        ).all()
        assert len(active_strikes) == (1 if decision == "remove" else 0)
