"""Queue filters, text search and saved views.

A filter is the queue page's query string (``queue``, ``q``, ``post_lang`` — the post's language, since ``lang``
is the page's —, ``origin``, ``reason``, ``min_reports``, ``claimed``), validated here so a saved view cannot hold
something the queue would refuse later. Search matches the post text, the post id, the author id or an account
case's id (case-insensitive substring); it is a moderator's tool over undecided cases, not a public search.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any
from urllib.parse import parse_qsl, urlencode

from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from townsquare.core import clock
from townsquare.core.errors import Conflict, Invalid, NotFound
from townsquare.moderation.cases import ORIGINS, UNDECIDED
from townsquare.moderation.queues import load_queues
from townsquare.moderation.review import barred_cases
from townsquare.moderation.taxonomy import BY_CODE
from townsquare.storage.models import Case, Post, Report, SavedView

CLAIMED = ("", "mine", "unclaimed")
LANGS = ("", "fr", "en", "other")
MAX_Q = 200
MAX_VIEWS = 30


@dataclass(frozen=True)
class Filters:
    queue: str = ""
    q: str = ""
    post_lang: str = ""
    origin: str = ""
    reason: str = ""
    min_reports: int = 0
    claimed: str = ""

    @classmethod
    def parse(cls, params: Mapping[str, Any]) -> Filters:
        """Validated filters from a query mapping; unknown values → Invalid (422), unknown keys are ignored."""
        get = {f.name: str(params.get(f.name) or "").strip() for f in fields(cls)}
        if get["queue"]:
            load_queues().get(get["queue"])
        if get["post_lang"] not in LANGS:
            raise Invalid(f"post_lang must be one of {list(LANGS)}")
        if get["origin"] and get["origin"] not in ORIGINS:
            raise Invalid(f"origin must be one of {list(ORIGINS)}")
        if get["reason"] and get["reason"] not in BY_CODE:
            raise Invalid(f"unknown reason {get['reason']!r}", allowed=sorted(BY_CODE))
        if get["claimed"] not in CLAIMED:
            raise Invalid(f"claimed must be one of {list(CLAIMED)}")
        if len(get["q"]) > MAX_Q:
            raise Invalid(f"search text is at most {MAX_Q} characters")
        raw = get["min_reports"] or "0"
        if not raw.isdigit() or int(raw) > 1000:
            raise Invalid("min_reports must be a whole number from 0 to 1000")
        return cls(**{**get, "min_reports": int(raw)})  # type: ignore[arg-type]

    def active(self) -> bool:
        return any((self.q, self.post_lang, self.origin, self.reason, self.min_reports, self.claimed))

    def query(self) -> str:
        """The canonical query string (what a saved view stores)."""
        pairs = [(f.name, str(getattr(self, f.name))) for f in fields(self)]
        return urlencode([(k, v) for k, v in pairs if v not in ("", "0")])


def find_cases(session: Session, filters: Filters, *, moderator: str, limit: int = 100) -> list[Case]:
    """Undecided cases matching ``filters``, most urgent first, without appeals the moderator may not review."""
    stmt = select(Case).outerjoin(Post, Post.id == Case.post_id).where(Case.status.in_(UNDECIDED))
    if filters.queue:
        stmt = stmt.where(Case.queue == filters.queue)
    if filters.origin:
        stmt = stmt.where(Case.origin == filters.origin)
    if filters.post_lang:
        stmt = stmt.where(Post.lang == filters.post_lang)
    if filters.claimed == "mine":
        stmt = stmt.where(Case.claimed_by == moderator, Case.claim_expires_at > clock.now())
    elif filters.claimed == "unclaimed":
        stmt = stmt.where(or_(Case.claimed_by.is_(None), Case.claim_expires_at <= clock.now()))
    if filters.q:
        like = f"%{filters.q.lower()}%"
        stmt = stmt.where(
            or_(
                func.lower(Post.text).like(like),
                func.lower(Post.id).like(like),
                func.lower(Post.author_id).like(like),
                func.lower(Case.account_id).like(like),
            )
        )
    if filters.reason:
        stmt = stmt.where(
            select(Report.id).where(Report.case_id == Case.id, Report.reason == filters.reason).exists()
        )
    if filters.min_reports:
        count = select(func.count(Report.id)).where(Report.case_id == Case.id).scalar_subquery()
        stmt = stmt.where(count >= filters.min_reports)
    stmt = stmt.order_by(Case.rank_key.desc(), Case.id).limit(max(1, min(limit, 500)))
    rows = list(session.scalars(stmt))
    barred = barred_cases(session, moderator, rows)
    return [c for c in rows if c.id not in barred]


def save_view(session: Session, *, moderator: str, name: str, query: str) -> SavedView:
    """Save (or replace) a named filter; the query is validated and stored in canonical form."""
    name = (name or "").strip()
    if not name or len(name) > 80:
        raise Invalid("a saved view needs a name of 1 to 80 characters")
    filters = Filters.parse(dict(parse_qsl(query or "")))
    existing = session.scalars(
        select(SavedView).where(SavedView.moderator == moderator, SavedView.name == name)
    ).first()
    if existing is not None:
        existing.query = filters.query()
        session.flush()
        return existing
    count = session.scalar(select(func.count(SavedView.id)).where(SavedView.moderator == moderator)) or 0
    if count >= MAX_VIEWS:
        raise Invalid(f"at most {MAX_VIEWS} saved views per moderator; delete one first")
    view = SavedView(moderator=moderator, name=name, query=filters.query(), created_at=clock.now())
    try:
        with session.begin_nested():
            session.add(view)
            session.flush()
    except IntegrityError:
        raise Conflict(f"a view named {name!r} was saved at the same time; retry") from None
    return view


def views_of(session: Session, moderator: str) -> list[SavedView]:
    return list(
        session.scalars(select(SavedView).where(SavedView.moderator == moderator).order_by(SavedView.name))
    )


def delete_view(session: Session, *, moderator: str, view_id: int) -> None:
    view = session.get(SavedView, view_id)
    if view is None or view.moderator != moderator:
        raise NotFound(f"saved view {view_id} not found")
    session.delete(view)
    session.flush()
