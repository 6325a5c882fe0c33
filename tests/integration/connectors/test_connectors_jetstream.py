"""Bluesky Jetstream ingest on recorded frames, replayed by a local websocket server that honours
`wantedCollections`, `wantedDids` and `cursor` as Jetstream does; then a Bluesky post goes the whole way:
ingest -> classify -> policy -> a report -> a moderator's decision -> a signed label on its at:// URI.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest
from sqlalchemy import select
from websockets.sync.server import Server, ServerConnection, serve

from townsquare.connectors import cursor
from townsquare.connectors.atproto import jetstream, keys, sync
from townsquare.moderation.claims import claim
from townsquare.moderation.decisions import decide
from townsquare.moderation.reports import submit_report
from townsquare.storage.db import Database
from townsquare.storage.models import Action, AtprotoLabel, ConnectorLink, Post

FRAMES = Path(__file__).resolve().parents[2] / "fixtures" / "atproto" / "jetstream_frames.jsonl"
EVENTS = [json.loads(line) for line in FRAMES.read_text(encoding="utf-8").splitlines()]
B = "did:plc:z72i7hdynmk6r22z27h6tvur"


class Replay:
    def __init__(self) -> None:
        self.queries: list[dict[str, list[str]]] = []

    def handler(self, ws: ServerConnection) -> None:
        assert ws.request is not None
        query = parse_qs(urlparse(ws.request.path).query)
        self.queries.append(query)
        collections = set(query.get("wantedCollections", []))
        dids = set(query.get("wantedDids", []))
        after = int(query.get("cursor", ["0"])[0])
        for event in EVENTS:
            commit = event.get("commit") or {}
            if collections and event["kind"] == "commit" and commit.get("collection") not in collections:
                continue
            if dids and event["did"] not in dids:
                continue
            if event["time_us"] > after:
                ws.send(json.dumps(event))
        ws.close()


@pytest.fixture
def replay() -> Iterator[tuple[str, Replay]]:
    state = Replay()
    server: Server = serve(state.handler, "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    port = server.socket.getsockname()[1]
    yield f"ws://127.0.0.1:{port}/subscribe", state
    server.shutdown()


def _posts(db: Database) -> dict[str, Post]:
    with db.session() as s:
        return {p.id: p for p in s.scalars(select(Post))}


def test_filtered_ingest_keeps_cids_and_resumes_from_the_cursor(db: Database, replay: Any) -> None:
    url, server = replay
    count = jetstream.run(db, url, jetstream.Filter(langs=frozenset({"en"})))
    assert server.queries[0]["wantedCollections"] == ["app.bsky.feed.post"]
    assert count.accepted == 3 and count.rejected == 0
    posts = _posts(db)
    assert sorted(p.text for p in posts.values()) == [
        "Good morning everyone, the market opens at nine.",
        "Second English post about the weather.",
        "Those people are vermin and should be exterminated.",
    ]
    reply = next(p for p in posts.values() if p.author_id == B)
    assert reply.reply_to is not None and reply.reply_to.startswith("at://did:plc:ewvi7nxzyoun6zhxrhs64oiz/")
    assert reply.id.startswith(f"at://{B}/app.bsky.feed.post/") and reply.lang == "en"
    with db.session() as s:
        cids = {link.local_id: link.extra["cid"] for link in s.scalars(select(ConnectorLink))}
        assert set(cids) == set(posts) and all(c.startswith("bafyrei") for c in cids.values())
        assert cursor.get(s, jetstream.CURSOR) == max(e["time_us"] for e in jetstream_posts())
    again = jetstream.run(db, url, jetstream.Filter(langs=frozenset({"en"})))
    assert server.queries[1]["cursor"] == [str(max(e["time_us"] for e in jetstream_posts()))]
    assert again.seen == 0 and len(_posts(db)) == 3


def jetstream_posts() -> list[dict[str, Any]]:
    return [e for e in EVENTS if (e.get("commit") or {}).get("collection") == "app.bsky.feed.post"]


def test_did_filter_is_asked_of_the_server_and_applied_here(db: Database, replay: Any) -> None:
    url, server = replay
    count = jetstream.run(db, url, jetstream.Filter(dids=frozenset({B})))
    assert server.queries[0]["wantedDids"] == [B]
    assert {p.author_id for p in _posts(db).values()} == {B} and count.accepted == 2


def test_a_bluesky_post_flows_to_a_signed_label(db: Database, replay: Any) -> None:
    url, _ = replay
    jetstream.run(db, url, jetstream.Filter(dids=frozenset({B}), langs=frozenset({"en"})))
    (uri,) = list(_posts(db))
    with db.session() as s:
        report, _ = submit_report(
            s, reporter_id="did:plc:reporter", subject_type="post", subject_id=uri, reason="hate"
        )
        assert report.case_id is not None
        claim(s, case_id=report.case_id, moderator="mod:ana")
        decision = decide(
            s,
            case_id=report.case_id,
            moderator="mod:ana",
            action="remove",
            rule_id="hate.dehumanisation",
            explanation="Calling people vermin to be exterminated dehumanises them.",
        )
    key = keys.generate()
    with db.session() as s:
        sync.sync(s, key, did="did:web:labeler.test")
        labels = s.scalars(select(AtprotoLabel).where(AtprotoLabel.uri == uri)).all()
        acted = {a.id for a in s.scalars(select(Action).where(Action.post_id == uri))}
        cid = s.scalars(select(ConnectorLink.extra).where(ConnectorLink.local_id == uri)).one()["cid"]
    assert decision.action_id in acted
    assert {lab.action_id for lab in labels} == acted  # every action on the post, automated or not, labelled
    decided = {(lab.val, lab.neg) for lab in labels if lab.action_id == decision.action_id}
    assert decided == {("hate-dehumanisation", False), ("!hide", False)}
    assert all(lab.cid == cid for lab in labels)
