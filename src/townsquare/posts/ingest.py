"""Idempotent post ingestion.

The same id with the same content is a no-op (`duplicate`); the same id with different content is a `conflict`
(409); invalid items are `rejected` (422) one by one and never stop the rest of a batch. Text is stored exactly as
sent after Unicode NFC. Content identity is (author, text, reply_to): a re-send that omits optional metadata is
still the same post.
"""

from __future__ import annotations

import hashlib
import json
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from townsquare.core import clock
from townsquare.policy import pipeline
from townsquare.storage.models import Account, Post

MAX_TEXT = 10_000
MAX_BATCH = 1_000
MAX_ID = 200
LANG_OK = {"fr", "en"}


@dataclass
class ItemResult:
    id: str | None
    status: str  # accepted | duplicate | conflict | rejected
    code: int
    error: str | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"id": self.id, "status": self.status, "code": self.code}
        if self.error:
            out["error"] = self.error
        return out


@dataclass
class IngestSummary:
    results: list[ItemResult] = field(default_factory=list)
    new_posts: list[Post] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(1 for r in self.results if r.status == status)


@dataclass(frozen=True)
class PostIn:
    id: str
    author: str
    text: str
    lang: str | None
    created_at: datetime | None
    reply_to: str | None

    @property
    def content_hash(self) -> str:
        blob = json.dumps([self.author, self.text, self.reply_to], ensure_ascii=False)
        return hashlib.sha256(blob.encode("utf-8")).hexdigest()


class ItemError(ValueError):
    pass


def _str(raw: Mapping[str, Any], name: str, *, required: bool, limit: int) -> str | None:
    value = raw.get(name)
    if value is None:
        if required:
            raise ItemError(f"{name}: field required")
        return None
    if isinstance(value, int) and not isinstance(value, bool) and name in ("id", "author", "reply_to"):
        value = str(value)
    if not isinstance(value, str):
        raise ItemError(f"{name}: must be a string")
    value = value.strip() if name != "text" else value
    if required and not value:
        raise ItemError(f"{name}: must not be empty")
    if len(value) > limit:
        raise ItemError(f"{name}: longer than {limit} characters")
    return value


def parse_item(raw: Any) -> PostIn:
    """Validate one raw item (from JSON) or raise ItemError naming the field."""
    if not isinstance(raw, Mapping):
        raise ItemError("item must be a JSON object")
    post_id = _str(raw, "id", required=True, limit=MAX_ID)
    author = _str(raw, "author", required=True, limit=MAX_ID)
    text_raw = raw.get("text")
    if not isinstance(text_raw, str):
        raise ItemError("text: must be a string" if text_raw is not None else "text: field required")
    text = unicodedata.normalize("NFC", text_raw)
    if not text.strip():
        raise ItemError("text: must not be empty")
    if len(text) > MAX_TEXT:
        raise ItemError(f"text: longer than {MAX_TEXT} characters ({len(text)})")
    if "\x00" in text:
        raise ItemError("text: contains a NUL character")
    lang = _str(raw, "lang", required=False, limit=8)
    lang = lang.lower() if lang else None
    reply_to = _str(raw, "reply_to", required=False, limit=MAX_ID)
    created_raw = raw.get("created_at")
    created_at: datetime | None = None
    if created_raw is not None:
        if not isinstance(created_raw, str):
            raise ItemError("created_at: must be an ISO 8601 string")
        try:
            created_at = clock.as_utc(datetime.fromisoformat(created_raw.replace("Z", "+00:00")))
        except ValueError:
            raise ItemError("created_at: not an ISO 8601 date-time") from None
    assert post_id is not None and author is not None
    return PostIn(post_id, author, text, lang, created_at, reply_to or None)


def _ensure_account(session: Session, author: str, lang: str | None) -> None:
    if session.get(Account, author) is not None:
        return
    try:
        with session.begin_nested():
            session.add(Account(id=author, handle=author, lang=lang))
    except IntegrityError:
        pass  # created concurrently by another ingest: fine


def store(session: Session, item: PostIn) -> ItemResult:
    existing = session.get(Post, item.id)
    if existing is not None:
        if existing.content_hash == item.content_hash:
            return ItemResult(item.id, "duplicate", 200)
        return ItemResult(item.id, "conflict", 409, "a different post with this id was already accepted")
    _ensure_account(session, item.author, item.lang)
    post = Post(
        id=item.id,
        author_id=item.author,
        text=item.text,
        lang=item.lang,
        content_hash=item.content_hash,
        reply_to=item.reply_to,
        created_at=item.created_at or clock.now(),
    )
    try:
        with session.begin_nested():
            session.add(post)
    except IntegrityError:
        return store(session, item)  # lost a race with a concurrent insert: re-check as duplicate/conflict
    return ItemResult(item.id, "accepted", 201)


def ingest(session: Session, items: Iterable[Any], *, assess: bool = True) -> IngestSummary:
    """Validate and store items; accepted posts are then assessed and enforced as one batch."""
    summary = IngestSummary()
    seen: dict[str, str] = {}
    for raw in items:
        try:
            item = parse_item(raw)
        except ItemError as exc:
            rid = raw.get("id") if isinstance(raw, Mapping) and isinstance(raw.get("id"), str) else None
            summary.results.append(ItemResult(rid, "rejected", 422, str(exc)))
            continue
        if item.id in seen:
            same = seen[item.id] == item.content_hash
            summary.results.append(
                ItemResult(item.id, "duplicate", 200)
                if same
                else ItemResult(item.id, "conflict", 409, "the batch holds two different posts with this id")
            )
            continue
        seen[item.id] = item.content_hash
        result = store(session, item)
        summary.results.append(result)
        if result.status == "accepted":
            post = session.get(Post, item.id)
            assert post is not None
            summary.new_posts.append(post)
    if assess and summary.new_posts:
        after_ingest(session, summary.new_posts)
    return summary


def after_ingest(session: Session, posts: list[Post]) -> None:
    """Classify and enforce the newly accepted posts (the flow: classify → policy)."""
    pipeline.assess_and_enforce_batch(session, posts)
