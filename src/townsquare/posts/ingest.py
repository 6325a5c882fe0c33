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

from sqlalchemy import select
from sqlalchemy.orm import Session

from townsquare.core import clock
from townsquare.core.validation import check_datetime, check_identifier, check_lang, check_text
from townsquare.storage.bulk import insert_new
from townsquare.storage.models import Account, Post

MAX_TEXT = 10_000
MAX_BATCH = 1_000
MAX_ID = 200
LANG_OK = {"fr", "en"}
RESERVED_SUFFIXES = ("/actions",)
"""`GET /api/v1/posts/{id}/actions` lists a post's actions, so an id ending so could never be fetched itself."""


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
    if not value:
        return value
    try:
        return check_identifier(value, limit=limit) if name != "lang" else check_lang(value)
    except ValueError as exc:
        raise ItemError(f"{name}: {exc}") from None


def parse_item(raw: Any) -> PostIn:
    """Validate one raw item (from JSON) or raise ItemError naming the field."""
    if not isinstance(raw, Mapping):
        raise ItemError("item must be a JSON object")
    post_id = _str(raw, "id", required=True, limit=MAX_ID)
    if post_id and post_id.endswith(RESERVED_SUFFIXES):
        raise ItemError(
            f"id: must not end with {' or '.join(RESERVED_SUFFIXES)} (reserved by the API's paths)"
        )
    author = _str(raw, "author", required=True, limit=MAX_ID)
    text_raw = raw.get("text")
    if not isinstance(text_raw, str):
        raise ItemError("text: must be a string" if text_raw is not None else "text: field required")
    text = unicodedata.normalize("NFC", text_raw)
    if not text.strip():
        raise ItemError("text: must not be empty")
    if len(text) > MAX_TEXT:
        raise ItemError(f"text: longer than {MAX_TEXT} characters ({len(text)})")
    try:
        check_text(text)
    except ValueError as exc:
        raise ItemError(f"text: {exc}") from None
    lang = _str(raw, "lang", required=False, limit=35) or None
    reply_to = _str(raw, "reply_to", required=False, limit=MAX_ID)
    created_raw = raw.get("created_at")
    created_at: datetime | None = None
    if created_raw is not None:
        if not isinstance(created_raw, str):
            raise ItemError("created_at: must be an ISO 8601 string")
        try:
            created_at = check_datetime(datetime.fromisoformat(created_raw.replace("Z", "+00:00")))
        except ValueError as exc:
            raise ItemError(f"created_at: not a usable ISO 8601 date-time ({exc})") from None
    assert post_id is not None and author is not None
    return PostIn(post_id, author, text, lang, created_at, reply_to or None)


def ensure_accounts(session: Session, authors: Mapping[str, str | None]) -> None:
    """Create the authors not seen before, in sorted id order.

    Why sorted: two batches that share new authors take the same row locks in the same order on PostgreSQL, so
    they queue behind each other instead of deadlocking (they once did, in different orders)."""
    known: set[str] = set()
    wanted = sorted(authors)
    for start in range(0, len(wanted), CHUNK):
        chunk = wanted[start : start + CHUNK]
        known.update(session.scalars(select(Account.id).where(Account.id.in_(chunk))))
    insert_new(
        session,
        Account,
        [{"id": a, "handle": a, "lang": authors[a]} for a in wanted if a not in known],
        Account.id,
    )


CHUNK = 500
"""Ids per `IN (…)` look-up: well under SQLite's and PostgreSQL's parameter limits."""


def _row(item: PostIn) -> dict[str, Any]:
    return {
        "id": item.id,
        "author_id": item.author,
        "text": item.text,
        "lang": item.lang,
        "content_hash": item.content_hash,
        "reply_to": item.reply_to,
        "created_at": item.created_at or clock.now(),
    }


def store_batch(session: Session, items: list[PostIn]) -> dict[str, ItemResult]:
    """Insert the posts whose ids are free (authors must exist), in id order, in one executemany; tell
    duplicate from conflict where an id is taken — including by a concurrent ingest between our read and write."""
    ordered = sorted(items, key=lambda item: item.id)
    hashes: dict[str, str] = {}
    for start in range(0, len(ordered), CHUNK):
        ids = [item.id for item in ordered[start : start + CHUNK]]
        hashes.update(session.execute(select(Post.id, Post.content_hash).where(Post.id.in_(ids))).all())
    fresh = [item for item in ordered if item.id not in hashes]
    inserted = insert_new(session, Post, [_row(item) for item in fresh], Post.id)
    raced = [item.id for item in fresh if item.id not in inserted]
    if raced:  # inserted meanwhile by a concurrent ingest
        hashes.update(session.execute(select(Post.id, Post.content_hash).where(Post.id.in_(raced))).all())
    out: dict[str, ItemResult] = {}
    for item in ordered:
        if item.id in inserted:
            out[item.id] = ItemResult(item.id, "accepted", 201)
        elif hashes.get(item.id) == item.content_hash:
            out[item.id] = ItemResult(item.id, "duplicate", 200)
        else:
            out[item.id] = ItemResult(
                item.id, "conflict", 409, "a different post with this id was already accepted"
            )
    return out


def ingest(session: Session, items: Iterable[Any], *, assess: bool = True) -> IngestSummary:
    """Validate and store items; accepted posts are then assessed and enforced as one batch."""
    summary = IngestSummary()
    seen: dict[str, str] = {}
    results: list[ItemResult | None] = []
    to_store: list[tuple[int, PostIn]] = []
    for raw in items:
        try:
            item = parse_item(raw)
        except ItemError as exc:
            rid = raw.get("id") if isinstance(raw, Mapping) and isinstance(raw.get("id"), str) else None
            results.append(ItemResult(_printable(rid), "rejected", 422, str(exc)))
            continue
        if item.id in seen:
            same = seen[item.id] == item.content_hash
            results.append(
                ItemResult(item.id, "duplicate", 200)
                if same
                else ItemResult(item.id, "conflict", 409, "the batch holds two different posts with this id")
            )
            continue
        seen[item.id] = item.content_hash
        to_store.append((len(results), item))
        results.append(None)
    ensure_accounts(session, {item.author: item.lang for _, item in reversed(to_store)})
    # Posts too are written in id order (the same lock order for every batch); results keep the input order.
    stored = store_batch(session, [item for _, item in to_store])
    for index, item in to_store:
        results[index] = stored[item.id]
    summary.new_posts = _load_posts(
        session, [item.id for _, item in to_store if stored[item.id].status == "accepted"]
    )
    summary.results = [r for r in results if r is not None]
    if assess and summary.new_posts:
        after_ingest(session, summary.new_posts)
    return summary


def _load_posts(session: Session, ids: list[str]) -> list[Post]:
    """The accepted posts as ORM rows, in input order, a query per CHUNK."""
    found: dict[str, Post] = {}
    for start in range(0, len(ids), CHUNK):
        found.update(
            (p.id, p) for p in session.scalars(select(Post).where(Post.id.in_(ids[start : start + CHUNK])))
        )
    return [found[i] for i in ids]


def _printable(value: str | None) -> str | None:
    """A rejected item's id echoed back only when it is valid Unicode (a lone surrogate cannot be encoded)."""
    if value is None:
        return None
    try:
        return check_text(value)
    except ValueError:
        return None


def after_ingest(session: Session, posts: list[Post]) -> None:
    """Classify and enforce the newly accepted posts (the flow: classify → policy).

    The same batched, idempotent step a stream worker runs (`stream.process`), here in the request's transaction.
    """
    from townsquare.stream.process import assess_posts, classify_posts

    assess_posts(session, posts, classify_posts(posts))
