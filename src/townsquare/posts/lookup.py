"""Reading posts back, with what the public may know about them."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from townsquare.core.errors import NotFound
from townsquare.storage.models import Assessment, Post


def get_post(session: Session, post_id: str) -> Post:
    post = session.get(Post, post_id)
    if post is None:
        raise NotFound(f"no post with id {post_id!r}")
    return post


def latest_assessment(session: Session, post_id: str) -> Assessment | None:
    return session.scalar(
        select(Assessment).where(Assessment.post_id == post_id).order_by(Assessment.id.desc()).limit(1)
    )


def public_view(session: Session, post_id: str) -> dict[str, Any]:
    post = get_post(session, post_id)
    out: dict[str, Any] = {
        "id": post.id,
        "author": post.author_id,
        "text": post.text if post.visibility != "removed" else None,
        "lang": post.lang,
        "created_at": post.created_at.isoformat(),
        "reply_to": post.reply_to,
        "visibility": post.visibility,
        "label": post.label_text,
    }
    return out
