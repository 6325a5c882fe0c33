"""`townsquare.ads.client`: placement decisions in the caller's own process, from a local copy.

An ad server embeds it to decide in microseconds with no network hop::

    from townsquare.ads.client import AdsClient
    ads = AdsClient.connect("postgresql+psycopg://...", nats_url="nats://...")   # nats_url: optional
    ads.decide_post("post-123", ["camp-a", "camp-b"])   # -> [Decision(campaign_id, eligible, reasons)]

The API's `POST /api/v1/ads/decisions` uses the same class, one per database. The copy is bounded (LRU); a miss
reads the database once and caches what it read. Changes reach the copy as described in `ads.feed`: at once from
this process's own commits, within milliseconds from other processes through the KV buckets.
"""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from collections.abc import Sequence
from typing import Any

from townsquare.ads.cache import PROFILES
from townsquare.ads.decide import Decision, decide_many, decide_slot
from townsquare.ads.decisions import PostRef, assemble, load_candidates, post_public
from townsquare.ads.feed import CachedCampaign, Change, LocalCopy, subscribe
from townsquare.ads.risk import LoadedPost, load_posts
from townsquare.core.errors import Invalid
from townsquare.observability import metrics
from townsquare.storage.db import Database
from townsquare.stream.config import StreamConfig

_Memo = tuple[LoadedPost, int, list[Decision]]


class NeedsDatabase(Exception):
    """Raised instead of reading the database when a caller asked for an answer from memory only (an event
    loop must not block on SQL: it retries the same call on a worker thread)."""


_FROM_MEMORY = metrics.AD_DECISIONS.labels("memory")


class AdsClient:
    def __init__(
        self, database: Database, *, nats: StreamConfig | None = None, max_posts: int = 200_000
    ) -> None:
        self.database = database
        self.url = database.engine.url.render_as_string(hide_password=True)
        self.copy = LocalCopy(max_posts=max_posts)
        self.misses = 0
        self.max_memo = max_posts
        self._memo: OrderedDict[tuple[str, tuple[str, ...], str | None], _Memo] = OrderedDict()
        self._memo_lock = threading.Lock()
        self.feed: Any = None
        if nats is not None and nats.url:
            from townsquare.ads.feedkv import KvFeed

            self.feed = KvFeed(nats, self.copy)
        subscribe(self)

    @classmethod
    def connect(
        cls, database_url: str, *, nats_url: str = "", prefix: str = "townsquare", max_posts: int = 200_000
    ) -> AdsClient:
        """For an ad server: its own engine; with `nats_url`, fed by the workers' KV buckets."""
        cfg = StreamConfig(nats_url, prefix) if nats_url else None
        client = cls(Database(database_url), nats=cfg, max_posts=max_posts)
        if client.feed is not None:
            client.feed.wait_ready()
        return client

    # -- freshness -------------------------------------------------------------------------------------------

    def on_change(self, change: Change) -> None:
        """A commit in this process: drop what it made stale here, and (distributed) everywhere else."""
        if change.url != self.url:
            return
        self.copy.drop(
            posts=change.posts | change.assessed, campaigns=change.campaigns, profiles=change.profiles
        )
        if self.feed is not None and (change.posts or change.campaigns or change.profiles):
            self.feed.invalidate(change)

    # -- reads: copy first, the database on a miss --------------------------------------------------------------

    def candidates(
        self, campaign_ids: Sequence[str], *, scope: str | None = None, memory_only: bool = False
    ) -> tuple[list[CachedCampaign], list[str]]:
        ids = list(dict.fromkeys(campaign_ids))
        if not ids:
            raise Invalid("campaign_ids must name at least one campaign", field="campaign_ids")
        found: dict[str, CachedCampaign] = {}
        missing: list[str] = []
        for cid in ids:
            hit = self.copy.campaign(cid)
            if hit is not None:
                found[cid] = hit
            elif not self.copy.is_absent(cid):
                missing.append(cid)
        if scope is not None:  # another tenant's campaign answers exactly like a missing one
            found = {cid: hit for cid, hit in found.items() if hit.advertiser_id == scope}
        if missing:
            if memory_only:
                raise NeedsDatabase
            self.misses += 1
            epoch = self.copy.epoch
            with self.database.read_session() as s:
                loaded, _unknown = load_candidates(s, missing or ids, scope=scope, cache=PROFILES)
            for c in loaded:
                cached = CachedCampaign(c.campaign_id, c.advertiser_id, c.active, c.profile)
                self.copy.put_campaign(cached, epoch=epoch)
                found[c.campaign_id] = cached
            for cid in _unknown:
                self.copy.put_absent(cid, epoch=epoch)
        return [found[c] for c in ids if c in found], [c for c in ids if c not in found]

    def posts(self, refs: Sequence[PostRef], *, memory_only: bool = False) -> tuple[list[LoadedPost], str]:
        """Loaded posts in order, and where they came from (`memory` or `database`)."""
        wanted = [r.post_id for r in refs if r.post_id is not None]
        have = {pid: hit for pid in wanted if (hit := self.copy.post(pid)) is not None}
        source = "memory"
        need = [pid for pid in wanted if pid not in have]
        if need:
            if memory_only:
                raise NeedsDatabase
            source = "database"
            self.misses += 1
            epoch = self.copy.epoch
            with self.database.read_session() as s:
                loaded = load_posts(s, need)
            for lp in loaded.values():
                self.copy.put_post(lp, epoch=epoch)
            have.update(loaded)
        return assemble(refs, have), source

    # -- decisions ----------------------------------------------------------------------------------------------

    def decide_post(
        self, post_id: str, campaign_ids: Sequence[str], *, scope: str | None = None
    ) -> list[Decision]:
        """The embeddable hot path: one post, many campaigns (in request order), no I/O when both are in the copy.

        Decisions are pure functions of the post's vector and the compiled profiles, so they are memoised per
        (post, campaigns, scope) and reused only while the copy still holds the very same vector object and no
        campaign or profile changed since (`campaign_gen`): any put or invalidation makes the memo miss.
        """
        return list(self._decide_one(post_id, tuple(dict.fromkeys(campaign_ids)), scope)[1])

    def _decide_one(
        self, post_id: str, ids: tuple[str, ...], scope: str | None, memory_only: bool = False
    ) -> tuple[LoadedPost, list[Decision]]:
        key = (post_id, ids, scope)
        memo = self._memo.get(key)
        if memo is not None:
            loaded, gen, decided = memo
            if gen == self.copy.campaign_gen and self.copy.post(post_id) is loaded:
                _FROM_MEMORY.inc()
                return loaded, decided
        gen = self.copy.campaign_gen  # read before the campaigns: a change meanwhile makes this memo stale
        found, _unknown = self.candidates(ids, scope=scope, memory_only=memory_only)
        (loaded,), source = self.posts([PostRef(post_id=post_id)], memory_only=memory_only)
        metrics.AD_DECISIONS.labels(source).inc()
        by_id = {
            d.campaign_id: d
            for d in decide_many(loaded.risk, [(c.campaign_id, c.profile, c.active) for c in found])
        }
        decided = [by_id.get(cid) or Decision(cid, False, ({"code": "unknown_campaign"},)) for cid in ids]
        with self._memo_lock:
            self._memo[key] = (loaded, gen, decided)
            while len(self._memo) > self.max_memo:
                self._memo.popitem(last=False)
        return loaded, decided

    def decide(
        self,
        *,
        campaign_ids: Sequence[str],
        post: PostRef | None = None,
        slot: tuple[PostRef, PostRef] | None = None,
        scope: str | None = None,
        memory_only: bool = False,
    ) -> dict[str, Any]:
        """The `POST /ads/decisions` answer (without `record`), same shape as `decisions.decide_request`.

        `memory_only`: raise NeedsDatabase rather than read the database (nothing is changed before it is raised)."""
        if (post is None) == (slot is None):
            raise Invalid("give either a post or a slot", field="slot")
        if len(set(campaign_ids)) > 200:
            raise Invalid("at most 200 candidate campaigns per request", field="campaign_ids")
        if post is not None and post.post_id is not None:
            loaded, decided = self._decide_one(
                post.post_id, tuple(dict.fromkeys(campaign_ids)), scope, memory_only
            )
            return {"post": post_public(loaded), "decisions": [d.to_dict() for d in decided]}
        cands, _unknown = self.candidates(campaign_ids, scope=scope, memory_only=memory_only)
        triples = [(c.campaign_id, c.profile, c.active) for c in cands]
        answer: dict[str, Any]
        if post is not None:
            (loaded,), source = self.posts([post], memory_only=memory_only)
            decisions = decide_many(loaded.risk, triples)
            answer = {"post": post_public(loaded)}
        else:
            assert slot is not None
            (before, after), source = self.posts(list(slot), memory_only=memory_only)
            decisions = decide_slot(before.risk, after.risk, triples)
            answer = {"slot": {"before": post_public(before), "after": post_public(after)}}
        metrics.AD_DECISIONS.labels(source).inc()
        by_id = {d.campaign_id: d for d in decisions}
        answer["decisions"] = [
            (by_id.get(cid) or Decision(cid, False, ({"code": "unknown_campaign"},))).to_dict()
            for cid in dict.fromkeys(campaign_ids)
        ]
        return answer

    def close(self) -> None:
        if self.feed is not None:
            self.feed.close()


_clients: weakref.WeakKeyDictionary[Database, AdsClient] = weakref.WeakKeyDictionary()
_lock = threading.Lock()


def existing(database: Database) -> AdsClient | None:
    """The client already made for `database`, if any (making one may connect to NATS: not on an event loop)."""
    with _lock:
        return _clients.get(database)


def for_database(database: Database, nats: StreamConfig | None = None) -> AdsClient:
    """The process's client for one `Database` object (the API's: one per app)."""
    with _lock:
        found = _clients.get(database)
        if found is None:
            found = _clients[database] = AdsClient(database, nats=nats)
        return found
