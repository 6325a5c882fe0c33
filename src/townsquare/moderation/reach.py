"""Reach updates from the platform (impressions or views), which feed case priority.

The platform sends the current count it has (not an increment), so a retry is harmless; a lower number than
stored is accepted as a correction. Undecided cases on the posts are re-prioritised in the same transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from townsquare.core.errors import Invalid, NotFound
from townsquare.moderation.cases import UNDECIDED, recompute_priority
from townsquare.storage.models import Case, Post

MAX_ITEMS = 1000


def update_reach(session: Session, items: Iterable[Mapping[str, Any]]) -> int:
    """Set ``Post.reach`` for each ``{"id", "reach"}``; all or nothing (an unknown post → 404, nothing changes)."""
    batch = list(items)
    if len(batch) > MAX_ITEMS:
        raise Invalid(f"at most {MAX_ITEMS} posts per reach update")
    updated: list[str] = []
    for item in batch:
        post_id, reach = item.get("id"), item.get("reach")
        if not isinstance(post_id, str) or not post_id:
            raise Invalid("each item needs a post id")
        if not isinstance(reach, int) or isinstance(reach, bool) or reach < 0:
            raise Invalid(f"reach of {post_id!r} must be a non-negative integer")
        post = session.get(Post, post_id)
        if post is None:
            raise NotFound(f"post {post_id!r} not found", post_id=post_id)
        post.reach = reach
        updated.append(post_id)
    session.flush()
    if updated:
        for case in session.scalars(
            select(Case).where(Case.post_id.in_(updated), Case.status.in_(UNDECIDED))
        ):
            recompute_priority(session, case)
    return len(updated)
