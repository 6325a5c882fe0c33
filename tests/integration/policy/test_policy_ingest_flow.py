"""Done-when: ingesting the demo posts through the API produces actions whose statements validate, a clean chain."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from jsonschema import Draft202012Validator
from sqlalchemy import select

from townsquare.audit import verify
from townsquare.demo.loader import demo_posts
from townsquare.storage.db import Database
from townsquare.storage.models import Action, Assessment, Case, Post
from townsquare.transparency.statements import schema_path


def test_demo_ingest_enforces_with_valid_statements(
    client: Any, db: Database, auth: Callable[..., dict[str, str]]
) -> None:
    posts = demo_posts()
    r = client.post("/api/v1/posts", json=posts, headers=auth("ingest"))
    assert r.status_code in (200, 201, 207), r.text
    validator = Draft202012Validator(json.loads(schema_path().read_text(encoding="utf-8")))
    with db.session() as s:
        assert len(s.scalars(select(Assessment.post_id)).all()) == len(posts)
        actions = s.scalars(select(Action)).all()
        assert actions, "the demo holds violating posts"
        for a in actions:
            assert not list(validator.iter_errors(a.statement)), a.statement
            assert a.actor_kind in ("automation", "system") and a.automated
            assert a.action != "permanent_ban"
            assert a.action in ("label", "limit_reach", "suspend")  # ceiling: nothing stronger on posts
        for case in s.scalars(select(Case).where(Case.origin == "automation")):
            assert case.proposed_action in ("age_restrict", "remove", "permanent_ban")
        visible = s.scalars(select(Post.visibility)).all()
        assert "visible" in visible and "limited_reach" in visible
        assert verify(s)[1] is None
    # Re-sending the same posts is a no-op: no new assessment, action or audit record.
    before = client.get("/api/v1/posts/demo-001").json()
    r = client.post("/api/v1/posts", json=posts, headers=auth("ingest"))
    with db.session() as s:
        assert len(s.scalars(select(Assessment.id)).all()) == len(posts)
        assert len(s.scalars(select(Action.id)).all()) == len(actions)
    assert client.get("/api/v1/posts/demo-001").json() == before


def test_rules_match_the_classifiers_normalised_text(
    client: Any, db: Database, auth: Callable[..., dict[str, str]]
) -> None:
    """A keyword rule catches an obfuscated phrase through the stored normalised text ("cl41m y0ur pr1ze" is
    "claim your prize"): ingest used to store the API output shape, which has no normalised text."""
    post = {"id": "obf-1", "author": "obf", "text": "cl41m y0ur pr1ze at the desk before 5pm", "lang": "en"}
    r = client.post("/api/v1/posts", json=[post], headers=auth("ingest"))
    assert r.status_code in (200, 201, 207), r.text
    with db.session() as s:
        stored = s.scalars(select(Assessment).where(Assessment.post_id == "obf-1")).one()
        assert "claim your prize" in stored.normalized
        assert stored.tiers.get("spam_scam", "none") != "high"  # the classifier alone would not act
        rules = s.scalars(select(Action.rule_id).where(Action.post_id == "obf-1")).all()
    assert rules == ["spam.scam"]
