"""The ad hot path's feed: a bounded in-memory copy of post risk vectors and campaigns, kept fresh by changes.

Decisions read this copy, not the database. What keeps it true:

* **Change capture.** A SQLAlchemy `after_commit` hook (installed by the API, the worker and the embeddable
  client — enforcement code never imports this package) notes every committed change to a post's visibility,
  a new assessment, a campaign or a profile, and hands the ids to the process's subscribers.
* **Embedded mode**: the subscriber drops those entries from the local copy at once (same process).
* **Distributed mode** (`TOWNSQUARE_NATS_URL`): the ids go to two JetStream key-value buckets —
  `<prefix>_ads_risk` (a worker *puts* each post's risk vector as it is assessed; any other change *deletes*
  the key) and `<prefix>_ads_profiles` (campaign/profile changes delete their key). Every process holding a copy
  watches both buckets and applies puts/deletes within milliseconds, well inside the one-second budget.
* **Misses** fall back to the database (one query) and are cached — unless an invalidation arrived meanwhile
  (an epoch check), so a racing change is never papered over by a stale read.
"""

from __future__ import annotations

import base64
import threading
import weakref
from collections import OrderedDict
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from typing import Any, Protocol

from sqlalchemy import event
from sqlalchemy.orm import Session

from townsquare.ads.compiled import CompiledProfile, post_risk
from townsquare.ads.risk import LoadedPost
from townsquare.storage.bulk import take_assessed
from townsquare.storage.models import Assessment, Campaign, Post, SuitabilityProfile


@dataclass(frozen=True)
class CachedCampaign:
    campaign_id: str
    advertiser_id: str
    active: bool
    profile: CompiledProfile


class LocalCopy:
    """Post risk vectors (LRU, bounded) and campaigns (bounded) for one database."""

    def __init__(self, max_posts: int = 200_000, max_campaigns: int = 50_000) -> None:
        self.max_posts = max_posts
        self.max_campaigns = max_campaigns
        self._posts: OrderedDict[str, LoadedPost] = OrderedDict()
        self._campaigns: OrderedDict[str, CachedCampaign] = OrderedDict()
        self._absent: OrderedDict[str, None] = OrderedDict()
        """Campaign ids known not to exist (a creation invalidates them like any campaign change)."""
        self._lock = threading.Lock()
        self.epoch = 0
        self.campaign_gen = 0
        """Bumped by every change to the campaign side (put, absent, drop): memoised decisions check it."""
        """Bumped by every invalidation: a DB read started before a bump is not cached."""

    def post(self, post_id: str) -> LoadedPost | None:
        found = self._posts.get(post_id)  # dict reads are atomic; LRU order is refreshed on put only
        return found

    def campaign(self, campaign_id: str) -> CachedCampaign | None:
        return self._campaigns.get(campaign_id)

    def is_absent(self, campaign_id: str) -> bool:
        return campaign_id in self._absent

    def put_absent(self, campaign_id: str, *, epoch: int | None = None) -> None:
        with self._lock:
            if epoch is not None and epoch != self.epoch:
                return
            self._absent[campaign_id] = None
            self.campaign_gen += 1
            while len(self._absent) > self.max_campaigns:
                self._absent.popitem(last=False)

    def put_post(self, loaded: LoadedPost, *, epoch: int | None = None) -> None:
        pid = loaded.risk.post_id
        if pid is None or loaded.assessment_id is None:
            return  # never cache a post classified on the spot: its stored assessment is still to come
        with self._lock:
            if epoch is not None and epoch != self.epoch:
                return
            self._posts[pid] = loaded
            self._posts.move_to_end(pid)
            while len(self._posts) > self.max_posts:
                self._posts.popitem(last=False)

    def put_campaign(self, camp: CachedCampaign, *, epoch: int | None = None) -> None:
        with self._lock:
            if epoch is not None and epoch != self.epoch:
                return
            self._campaigns[camp.campaign_id] = camp
            self.campaign_gen += 1
            while len(self._campaigns) > self.max_campaigns:
                self._campaigns.popitem(last=False)

    def drop(
        self,
        *,
        posts: AbstractSet[str] = frozenset(),
        campaigns: AbstractSet[str] = frozenset(),
        profiles: AbstractSet[int] = frozenset(),
    ) -> None:
        with self._lock:
            self.epoch += 1
            if campaigns or profiles:
                self.campaign_gen += 1
            for pid in posts:
                self._posts.pop(pid, None)
            for cid in campaigns:
                self._campaigns.pop(cid, None)
                self._absent.pop(cid, None)
            if profiles:
                for cid in [
                    c.campaign_id for c in self._campaigns.values() if c.profile.profile_id in profiles
                ]:
                    self._campaigns.pop(cid, None)

    def clear(self) -> None:
        with self._lock:
            self.epoch += 1
            self.campaign_gen += 1
            self._posts.clear()
            self._campaigns.clear()
            self._absent.clear()

    def sizes(self) -> tuple[int, int]:
        return len(self._posts), len(self._campaigns)


# -- change capture ---------------------------------------------------------------------------------------------


@dataclass
class Change:
    url: str
    posts: set[str] = field(default_factory=set)
    """Posts whose stored state changed (visibility, ...)."""
    assessed: set[str] = field(default_factory=set)
    """Posts with a new assessment (a worker puts their fresh vectors itself)."""
    campaigns: set[str] = field(default_factory=set)
    profiles: set[int] = field(default_factory=set)

    def __bool__(self) -> bool:
        return bool(self.posts or self.assessed or self.campaigns or self.profiles)


class Subscriber(Protocol):
    def on_change(self, change: Change) -> None: ...


_subscribers: weakref.WeakSet[Any] = weakref.WeakSet()
"""Held weakly: a copy (and its subscription) goes away with the app or client that owns it."""
_installed = False
_KEY = "townsquare_ads_changes"


def _collect(session: Session, _ctx: Any) -> None:
    change: Change | None = session.info.get(_KEY)
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, Post):
            pid: str | None = None if obj in session.new else obj.id  # a new post is in no copy yet
        elif isinstance(obj, Assessment):
            pid = None
            change = change or Change(_url(session))
            change.assessed.add(obj.post_id)
        elif isinstance(obj, Campaign):
            pid = None
            change = change or Change(_url(session))
            change.campaigns.add(obj.id)
        elif isinstance(obj, SuitabilityProfile):
            pid = None
            change = change or Change(_url(session))
            change.profiles.add(obj.id)
        else:
            continue
        if pid is not None:
            change = change or Change(_url(session))
            change.posts.add(pid)
    if change is not None:
        session.info[_KEY] = change


def _url(session: Session) -> str:
    return session.get_bind().engine.url.render_as_string(hide_password=True)


def _emit(session: Session) -> None:
    change: Change | None = session.info.pop(_KEY, None)
    bulk = take_assessed(session)  # assessments written without ORM objects (stream.process batches)
    if bulk:
        change = change or Change(_url(session))
        change.assessed.update(bulk)
    if not change:
        return
    for sub in list(_subscribers):
        sub.on_change(change)


def _discard(session: Session) -> None:
    session.info.pop(_KEY, None)
    take_assessed(session)


def install_change_capture() -> None:
    """Idempotent. Listens on every Session: changes are collected at flush, emitted only after a commit."""
    global _installed
    if _installed:
        return
    event.listen(Session, "after_flush", _collect)
    event.listen(Session, "after_commit", _emit)
    event.listen(Session, "after_soft_rollback", lambda s, _t: _discard(s))
    _installed = True


def subscribe(sub: Subscriber) -> None:
    """Call `sub.on_change(change)` after each commit (held weakly)."""
    install_change_capture()
    _subscribers.add(sub)


# -- JetStream KV transport -------------------------------------------------------------------------------------


def kv_key(kind: str, ident: str | int) -> str:
    """KV keys allow few characters; post ids (URIs, handles) are base64url-encoded."""
    raw = base64.urlsafe_b64encode(str(ident).encode("utf-8")).decode("ascii").rstrip("=")
    return f"{kind}.{raw or '_'}"


def kv_ident(key: str) -> tuple[str, str]:
    kind, _, raw = key.partition(".")
    pad = "=" * (-len(raw) % 4)
    return kind, base64.urlsafe_b64decode(raw + pad).decode("utf-8") if raw != "_" else ""


def encode_post(loaded: LoadedPost) -> bytes:
    import json

    r = loaded.risk
    return json.dumps(
        {
            "post_id": r.post_id,
            "author_id": r.author_id,
            "lang": r.lang,
            "visibility": r.visibility,
            "garm": loaded.garm,
            "normalized": r.normalized,
            "assessment_id": loaded.assessment_id,
        },
        ensure_ascii=False,
    ).encode("utf-8")


def decode_post(data: bytes) -> LoadedPost:
    import json

    d = json.loads(data)
    return LoadedPost(
        risk=post_risk(
            post_id=d["post_id"],
            author_id=d["author_id"],
            lang=d["lang"],
            visibility=d["visibility"],
            garm=d["garm"] or {},
            normalized=d["normalized"] or None,
        ),
        assessment_id=d["assessment_id"],
        garm=dict(d["garm"] or {}),
        text="",
    )
