"""The ad hot path: decisions from memory (zero SQL per request once warm), changes seen at once in-process and
through the JetStream KV feed across processes; the embeddable client decides the same as the API."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from sqlalchemy import event

from townsquare.ads import feed
from townsquare.ads.client import AdsClient
from townsquare.ads.feedkv import KvFeed, worker_hook
from townsquare.storage.db import Database
from townsquare.stream.config import StreamConfig

URL = "/api/v1/ads/decisions"
GUARD = 20.0  # a hang guard, never a timing assertion; the measured propagation is printed


class SqlCounter:
    def __init__(self, db: Database) -> None:
        self.n = 0
        self.statements: list[str] = []
        self.db = db
        event.listen(db.engine, "before_cursor_execute", self._count)

    def _count(self, _conn: Any, _cursor: Any, statement: str, *_a: Any) -> None:
        self.n += 1
        self.statements.append(statement)

    def close(self) -> None:
        event.remove(self.db.engine, "before_cursor_execute", self._count)


@pytest.fixture
def setup_ads(client: Any, auth: Callable[..., dict[str, str]]) -> dict[str, Any]:
    admin = auth("admin")
    assert client.post("/api/v1/ads/advertisers", json={"id": "acme"}, headers=admin).status_code == 201
    prof = client.post(
        "/api/v1/ads/advertisers/acme/profiles", json={"preset": "standard", "name": "std"}, headers=admin
    ).json()
    camp = client.post(
        "/api/v1/ads/advertisers/acme/campaigns", json={"id": "c1", "profile_id": prof["id"]}, headers=admin
    )
    assert camp.status_code == 201, camp.text
    posts = [
        {"id": "hp-1", "author": "ann", "lang": "en", "text": "Lovely morning at the farmers market today."},
        {"id": "hp-2", "author": "bob", "lang": "en", "text": "Our library hosts a free coding workshop."},
    ]
    assert client.post("/api/v1/posts", json=posts, headers=auth("ingest")).json()["accepted"] == 2
    return {"admin": admin, "serve": auth("ingest"), "profile": prof}


def _decide(client: Any, h: dict[str, str], post_id: str = "hp-1") -> dict[str, Any]:
    r = client.post(URL, json={"post_id": post_id, "campaign_ids": ["c1", "ghost"]}, headers=h)
    assert r.status_code == 200, r.text
    return {d["campaign_id"]: d for d in r.json()["decisions"]}


def test_warm_decisions_run_no_sql_and_changes_apply_at_once(
    client: Any, db: Database, setup_ads: dict[str, Any]
) -> None:
    h = setup_ads["serve"]
    first = _decide(client, h)
    assert first["c1"]["eligible"] is True and first["ghost"]["reasons"] == [{"code": "unknown_campaign"}]
    counter = SqlCounter(db)
    try:
        before = counter.n
        for _ in range(5):
            _decide(client, h)
        # the key lookup of the bearer token is cached by the access layer; the decision itself reads nothing
        assert counter.n == before, counter.statements
        # a moderator removes the post: the very next decision refuses it (change capture, same process)
        from townsquare.policy import enforce

        with db.session() as s:
            enforce.apply_action(
                s,
                subject_type="post",
                subject_id="hp-1",
                action="remove",
                rule_id="hate.dehumanisation",
                actor="mod1",
                actor_kind="moderator",
            )
        after_removal = _decide(client, h)
        assert after_removal["c1"]["eligible"] is False
        assert {"code": "post_state", "visibility": "removed"} in after_removal["c1"]["reasons"]
        # the advertiser excludes the other post's author: the next decision applies the new profile version
        assert _decide(client, h, "hp-2")["c1"]["eligible"] is True
        r = client.put(
            f"/api/v1/ads/profiles/{setup_ads['profile']['id']}",
            json={"preset": "standard", "excluded_accounts": ["bob"]},
            headers=setup_ads["admin"],
        )
        assert r.status_code == 200, r.text
        refused = _decide(client, h, "hp-2")["c1"]
        assert (
            refused["eligible"] is False
            and {"code": "account_excluded", "account": "bob"} in refused["reasons"]
        )
    finally:
        counter.close()


def test_embedded_client_matches_the_api_and_is_bounded(
    client: Any, db: Database, setup_ads: dict[str, Any]
) -> None:
    api = _decide(client, setup_ads["serve"], "hp-2")
    ads = AdsClient(db, max_posts=1)
    try:
        got = {d.campaign_id: d.to_dict() for d in ads.decide_post("hp-2", ["c1", "ghost"])}
        assert got == api
        ads.decide_post("hp-1", ["c1"])
        assert ads.copy.sizes()[0] == 1  # bounded: the older post was evicted
        counter = SqlCounter(db)
        try:
            ads.decide_post("hp-1", ["c1"])
            assert counter.n == 0
            ads.decide_post("hp-2", ["c1"])  # evicted: one read on the miss, then cached again
            assert counter.n > 0
        finally:
            counter.close()
    finally:
        ads.close()


@pytest.fixture
def kv_cfg(nats_url: str, stream_prefix: str) -> StreamConfig:
    return StreamConfig(nats_url, stream_prefix)


@pytest.fixture
def remote(db_url: str, kv_cfg: StreamConfig) -> Iterator[AdsClient]:
    """A client as another process would hold it: its own engine, fed by the KV buckets only."""
    other = AdsClient(Database(db_url), nats=kv_cfg)
    feed._subscribers.discard(other)  # not told by this process's commits: only the feed may reach it
    other.feed.wait_ready()
    yield other
    other.close()
    other.database.dispose()


def _until(pred: Callable[[], bool], what: str) -> float:
    start = time.monotonic()
    while not pred():
        assert time.monotonic() - start < GUARD, f"gave up waiting for {what}"
        time.sleep(0.005)
    return time.monotonic() - start


def test_kv_feed_carries_vectors_and_invalidations_across_processes(
    db: Database, setup_ads: dict[str, Any], remote: AdsClient, kv_cfg: StreamConfig
) -> None:
    # the worker's publisher puts fresh vectors: the remote copy has them without reading the database
    hook = worker_hook(kv_cfg, db)
    hook(["hp-1", "hp-2"])
    _until(lambda: remote.copy.post("hp-1") is not None and remote.copy.post("hp-2") is not None, "vectors")
    remote.decide_post("hp-1", ["c1"])  # campaign read once
    counter = SqlCounter(remote.database)
    try:
        assert remote.decide_post("hp-1", ["c1"])[0].eligible is True
        assert counter.n == 0
    finally:
        counter.close()
    # this process (the API) removes the post and changes the campaign; its client publishes the invalidations
    local = AdsClient(db, nats=kv_cfg)
    local.feed.wait_ready()
    try:
        from townsquare.policy import enforce

        with db.session() as s:
            enforce.apply_action(
                s,
                subject_type="post",
                subject_id="hp-1",
                action="remove",
                rule_id="hate.dehumanisation",
                actor="mod1",
                actor_kind="moderator",
            )
        took = _until(lambda: remote.copy.post("hp-1") is None, "the removal to reach the other copy")
        print(f"\ninvalidation propagated in {took * 1000:.1f} ms")
        decided = remote.decide_post("hp-1", ["c1"])[0]
        assert (
            decided.eligible is False and {"code": "post_state", "visibility": "removed"} in decided.reasons
        )
        with db.session() as s:
            from townsquare.storage.models import Campaign

            camp = s.get(Campaign, "c1")
            assert camp is not None
            camp.active = False
        _until(lambda: remote.copy.campaign("c1") is None, "the campaign change to reach the other copy")
        assert {"code": "campaign_inactive"} in remote.decide_post("hp-2", ["c1"])[0].reasons
    finally:
        local.close()
        hook.close()


def test_kv_feed_survives_odd_post_ids(kv_cfg: StreamConfig) -> None:
    for pid in ("at://did:plc:abc/app.bsky.feed.post/3k", "é/ü ?*>", "x"):
        kind, ident = feed.kv_ident(feed.kv_key("post", pid))
        assert (kind, ident) == ("post", pid)
    feeds = [KvFeed(kv_cfg, None), KvFeed(kv_cfg, None)]  # creating the buckets twice is fine
    for f in feeds:
        f.wait_ready()
        f.close()


def test_warm_decisions_are_answered_on_the_event_loop(
    client: Any, db: Database, setup_ads: dict[str, Any]
) -> None:
    """No worker-thread hop once the copy holds the post and the campaigns (the hop cost more than the decision);
    a cold post still goes to a worker thread, which is where SQL may run."""
    import threading

    from townsquare.ads import client as ads_client

    seen: list[str] = []
    real = ads_client.AdsClient.decide

    def spy(self: Any, **kw: Any) -> Any:
        seen.append(f"{threading.current_thread().name}:{kw.get('memory_only', False)}")
        return real(self, **kw)

    ads_client.AdsClient.decide = spy  # type: ignore[method-assign]
    try:
        h = setup_ads["serve"]
        _decide(client, h, "hp-2")  # cold: may read the database, on a worker thread
        seen.clear()
        _decide(client, h, "hp-2")
    finally:
        ads_client.AdsClient.decide = real  # type: ignore[method-assign]
    assert len(seen) == 1 and seen[0].endswith(":True"), seen
    loop_thread = seen[0].rsplit(":", 1)[0]
    assert "AnyIO worker thread" not in loop_thread, seen
