"""Bluesky posts in from the Jetstream (JSON over a websocket), filtered, into the same ingest as every post.

Jetstream is Bluesky's JSON rendering of the firehose: one object per message, `{"did", "time_us", "kind",
"commit": {"operation", "collection", "rkey", "record", "cid"}}`. We ask the server for the collections and DIDs
we want (`wantedCollections`, `wantedDids`) and filter again on our side (collections, DIDs, languages), because a
replay or a misconfigured relay must not flood the queue. Each post becomes `at://<did>/<collection>/<rkey>`
(author = DID, lang = first declared language, reply_to = the parent's URI); its CID is kept as a link so labels
can pin the exact record version. The cursor (`time_us`) is stored with each committed batch: a restart resumes
where it stopped, and a replayed event is a duplicate post, not a second one.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from sqlalchemy import select
from sqlalchemy.orm import Session

from townsquare.connectors import cursor
from townsquare.posts.ingest import ingest
from townsquare.storage.db import Database
from townsquare.storage.models import ConnectorLink

log = logging.getLogger("townsquare.connectors.jetstream")
CURSOR = "atproto.jetstream"
POST = "app.bsky.feed.post"


@dataclass(frozen=True)
class Filter:
    collections: frozenset[str] = frozenset({POST})
    dids: frozenset[str] = frozenset()
    langs: frozenset[str] = frozenset()

    def query(self, position: int | None) -> str:
        params: list[tuple[str, str]] = [("wantedCollections", c) for c in sorted(self.collections)]
        params += [("wantedDids", d) for d in sorted(self.dids)]
        if position:
            params.append(("cursor", str(position)))
        return urlencode(params)

    def accepts(self, event: dict[str, Any]) -> bool:
        commit = event.get("commit") if isinstance(event.get("commit"), dict) else None
        if event.get("kind") != "commit" or commit is None or commit.get("operation") != "create":
            return False
        if commit.get("collection") not in self.collections or commit.get("collection") != POST:
            return False
        if self.dids and event.get("did") not in self.dids:
            return False
        record = commit.get("record") if isinstance(commit.get("record"), dict) else {}
        if self.langs:
            langs = {str(x).split("-")[0].lower() for x in record.get("langs") or []}
            if not langs & self.langs:
                return False
        return isinstance(record.get("text"), str) and bool(record["text"].strip())


def post_item(event: dict[str, Any]) -> tuple[dict[str, Any], str | None]:
    """A Jetstream post event as a townsquare post item, and the record's CID."""
    commit = event["commit"]
    record = commit["record"]
    item: dict[str, Any] = {
        "id": f"at://{event['did']}/{commit['collection']}/{commit['rkey']}",
        "author": event["did"],
        "text": record["text"],
        "created_at": record.get("createdAt"),
    }
    langs = record.get("langs") or []
    if langs:
        item["lang"] = str(langs[0]).split("-")[0].lower()
    reply = record.get("reply")
    parent = reply.get("parent") if isinstance(reply, dict) else None
    if isinstance(parent, dict) and isinstance(parent.get("uri"), str):
        item["reply_to"] = parent["uri"]
    cid = commit.get("cid")
    return item, (str(cid) if cid else None)


@dataclass
class IngestCount:
    seen: int = 0
    accepted: int = 0
    duplicate: int = 0
    rejected: int = 0
    filtered: int = 0
    errors: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "seen": self.seen,
            "accepted": self.accepted,
            "duplicate": self.duplicate,
            "rejected": self.rejected,
            "filtered": self.filtered,
            "errors": self.errors[:20],
        }


def ingest_events(
    session: Session, events: Iterable[dict[str, Any]], flt: Filter, count: IngestCount
) -> None:
    """Filter, map and ingest a batch (classify -> policy run as for any post); advance the cursor with it."""
    items: list[dict[str, Any]] = []
    cids: dict[str, str] = {}
    position = cursor.get(session, CURSOR)
    for event in events:
        count.seen += 1
        if isinstance(event.get("time_us"), int):
            position = max(position, event["time_us"])
        if not flt.accepts(event):
            count.filtered += 1
            continue
        item, cid = post_item(event)
        items.append(item)
        if cid:
            cids[item["id"]] = cid
    if items:
        summary = ingest(session, items)
        for result in summary.results:
            if result.status == "accepted":
                count.accepted += 1
            elif result.status == "duplicate":
                count.duplicate += 1
            else:
                count.rejected += 1
                count.errors.append(f"{result.id}: {result.error}")
        for post in summary.new_posts:
            if post.id in cids and not _linked(session, post.id):
                session.add(
                    ConnectorLink(
                        connector="atproto",
                        remote_kind="record",
                        remote_id=post.id,
                        local_kind="post",
                        local_id=post.id,
                        extra={"cid": cids[post.id]},
                    )
                )
    cursor.put(session, CURSOR, position)


def _linked(session: Session, uri: str) -> bool:
    return (
        session.scalar(
            select(ConnectorLink.id).where(
                ConnectorLink.connector == "atproto", ConnectorLink.local_id == uri
            )
        )
        is not None
    )


def run(
    db: Database,
    url: str,
    flt: Filter,
    *,
    batch: int = 100,
    max_events: int | None = None,
    stop: threading.Event | None = None,
) -> IngestCount:
    """Read the Jetstream from the stored cursor until `stop`, `max_events`, or the server closes the stream."""
    from websockets.exceptions import ConnectionClosed
    from websockets.sync.client import connect

    with db.session() as session:
        position = cursor.get(session, CURSOR)
    count = IngestCount()
    pending: list[dict[str, Any]] = []
    target = f"{url}{'&' if '?' in url else '?'}{flt.query(position)}"

    def flush() -> None:
        if pending:
            with db.session() as session:
                ingest_events(session, pending, flt, count)
            pending.clear()

    with connect(target, max_size=2**22) as ws:
        while not (stop and stop.is_set()) and (max_events is None or count.seen + len(pending) < max_events):
            try:
                raw = ws.recv(timeout=1.0)
            except TimeoutError:
                flush()
                continue
            except ConnectionClosed:
                break
            try:
                event = json.loads(raw)
            except ValueError:
                count.errors.append("a message that is not JSON was skipped")
                continue
            if isinstance(event, dict):
                pending.append(event)
            if len(pending) >= batch:
                flush()
    flush()
    return count
