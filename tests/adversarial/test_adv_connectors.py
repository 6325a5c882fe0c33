"""Attacks on the connectors, as real HTTP call sequences: wildcard injection into queryLabels, a webhook that
tries to overwrite a native post, forged or oversized webhook bodies, and secrets leaking through settings."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from townsquare.connectors import config
from townsquare.connectors.atproto import keys, labels
from townsquare.connectors.mastodon import signature
from townsquare.posts.ingest import ingest
from townsquare.storage.db import Database
from townsquare.storage.models import Post

FIX = Path(__file__).resolve().parents[1] / "fixtures" / "mastodon"
HOOK = "/api/v1/connectors/mastodon/webhook"
SECRET = "adv-secret-hook"


def _label(db: Database, uri: str) -> None:
    key = keys.generate()
    with db.session() as s:
        labels.emit(s, key, src="did:web:l.test", uri=uri, val="spam-scam", idempotency_key=f"k:{uri}")


def test_like_wildcards_in_patterns_match_literally(client: Any, db: Database) -> None:
    _label(db, "at://did:plc:abc/app.bsky.feed.post/1")
    _label(db, "at://did:plc:a_c/app.bsky.feed.post/2")
    q = "/xrpc/com.atproto.label.queryLabels"
    assert client.get(q, params={"uriPatterns": "%"}).json()["labels"] == []
    assert client.get(q, params={"uriPatterns": "at://%*"}).json()["labels"] == []
    found = client.get(q, params={"uriPatterns": "at://did:plc:a_c*"}).json()["labels"]
    assert [lab["uri"] for lab in found] == ["at://did:plc:a_c/app.bsky.feed.post/2"]
    assert client.get(q, params={"uriPatterns": "at://did:plc:a*c/x"}).status_code == 400
    assert client.get(q, params={"uriPatterns": "x", "limit": "100000"}).status_code == 400


def test_a_webhook_cannot_overwrite_a_native_post(client: Any, db: Database) -> None:
    with db.session() as s:
        config.save(
            s, config.MASTODON_KEY, {"url": "http://x", "token": "t", "webhook_secret": SECRET}, actor="t"
        )
        ingest(s, [{"id": "113555000000000101", "author": "native", "text": "native text", "lang": "en"}])
    body = (FIX / "status_created.json").read_bytes()
    r = client.post(HOOK, content=body, headers={signature.HEADER: signature.sign(SECRET, body)})
    assert r.status_code == 200
    with db.session() as s:
        native = s.get(Post, "113555000000000101")
        assert native is not None and native.text == "native text" and native.author_id == "native"
        assert s.get(Post, "mastodon:status:113555000000000101") is not None


@pytest.mark.parametrize("size", [3_000_000])
def test_oversized_webhook_is_413_before_signature_work(client: Any, db: Database, size: int) -> None:
    with db.session() as s:
        config.save(
            s, config.MASTODON_KEY, {"url": "http://x", "token": "t", "webhook_secret": SECRET}, actor="t"
        )
    body = json.dumps({"event": "status.created", "object": {"content": "x" * size}}).encode()
    r = client.post(HOOK, content=body, headers={signature.HEADER: signature.sign(SECRET, body)})
    assert r.status_code == 413


def test_a_replayed_signature_on_another_body_is_refused(client: Any, db: Database) -> None:
    with db.session() as s:
        config.save(
            s, config.MASTODON_KEY, {"url": "http://x", "token": "t", "webhook_secret": SECRET}, actor="t"
        )
    created = (FIX / "account_created.json").read_bytes()
    report = (FIX / "report_created.json").read_bytes()
    r = client.post(HOOK, content=report, headers={signature.HEADER: signature.sign(SECRET, created)})
    assert r.status_code == 401


def test_connector_secrets_are_masked_in_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    from townsquare.settings import Settings

    s = Settings(mastodon_token="tok-abcdef", mastodon_webhook_secret="whsec-xyz")  # type: ignore[arg-type]
    shown = json.dumps(s.masked())
    assert "tok-abcdef" not in shown and "whsec-xyz" not in shown
