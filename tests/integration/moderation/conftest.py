"""Moderation fixtures: posts with assessments written straight to the database (fast, no classifier)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from townsquare.storage.db import Database
from townsquare.storage.models import Account, Assessment, Post


def seed_post(
    db: Database,
    post_id: str = "p1",
    *,
    author: str = "alice",
    text: str = "they are vermin and must be exterminated",
    risk: str = "high",
    labels: list[str] | None = None,
    scores: dict[str, float] | None = None,
    reach: int = 0,
) -> str:
    labels = ["hate_speech"] if labels is None else labels
    scores = scores if scores is not None else {"hate_speech": 0.7}
    with db.session() as s:
        if s.get(Account, author) is None:
            s.add(Account(id=author, handle=author))
            s.flush()
        s.add(Post(id=post_id, author_id=author, text=text, lang="en", content_hash=post_id, reach=reach))
        s.flush()
        s.add(
            Assessment(
                post_id=post_id,
                model="test",
                lang="en",
                risk=risk,
                labels=labels,
                scores=scores,
                tiers={k: risk for k in labels},
                garm={},
                evidence=[{"label": labels[0], "start": 10, "end": 15, "text": "vermin"}] if labels else [],
                normalized=text.lower(),
            )
        )
    return post_id


@pytest.fixture
def post(db: Database) -> Callable[..., str]:
    def make(post_id: str = "p1", **kw: Any) -> str:
        return seed_post(db, post_id, **kw)

    return make


@pytest.fixture
def seed() -> Callable[..., str]:
    """seed(db, post_id, **kw): the raw seeding function, for tests with their own database."""
    return seed_post
