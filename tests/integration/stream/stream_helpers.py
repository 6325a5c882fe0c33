"""Shared by the stream tests: posts to send, a distributed-mode app, effect counts."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

from sqlalchemy import func, select

from townsquare.storage.db import Database
from townsquare.storage.models import (
    Action,
    Assessment,
    AuditRecord,
    Case,
    Notification,
    Post,
    ProcessedPost,
    Strike,
)


def demo_texts() -> list[dict[str, Any]]:
    raw = resources.files("townsquare.demo").joinpath("posts.jsonl").read_text(encoding="utf-8")
    return [json.loads(line) for line in raw.splitlines() if line.strip()]


def make_posts(n: int, tag: str) -> list[dict[str, Any]]:
    """n posts cycling over the demo texts (benign and abusive), 7 authors so strikes accumulate."""
    base = demo_texts()
    out = []
    for i in range(n):
        src = base[i % len(base)]
        out.append(
            {
                "id": f"{tag}-{i:05d}",
                "author": f"{tag}-author-{i % 7}",
                "lang": src.get("lang"),
                "text": src["text"],
            }
        )
    return out


def counts(db: Database) -> dict[str, int]:
    """Rows of every effect a post's processing can have."""
    with db.read_session() as s:
        out = {
            model.__tablename__: int(s.scalar(select(func.count()).select_from(model)) or 0)
            for model in (Post, Assessment, ProcessedPost, Action, Strike, Case, Notification, AuditRecord)
        }
        out["assessed_posts"] = int(s.scalar(select(func.count(func.distinct(Assessment.post_id)))) or 0)
        return out


def max_assessments_per_post(db: Database) -> int:
    with db.read_session() as s:
        q = select(func.count()).select_from(Assessment).group_by(Assessment.post_id)
        return max((int(n) for n in s.scalars(q)), default=0)
