"""`townsquare connect …` and `townsquare keys labeler` on a migrated SQLite file (the CLI reads the environment)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from atproto_client import models
from atproto_client.models.utils import get_or_create
from connectors_helpers import act, seed_posts
from mastodon_double import MastodonDouble, running
from typer.testing import CliRunner

from townsquare.cli.main import app
from townsquare.storage.db import Database

runner = CliRunner()


def run(*args: str, code: int = 0) -> Any:
    result = runner.invoke(app, list(args))
    assert result.exit_code == code, result.output
    return result.output


def test_connect_help_lists_both_platforms() -> None:
    out = run("connect", "--help")
    assert "mastodon" in out and "bluesky" in out


def test_mastodon_is_checked_before_it_is_stored_and_the_token_never_shown(cli_db: Database) -> None:
    with running(MastodonDouble(token="tok-123456")) as double:
        bad = run("connect", "mastodon", "--url", double.url, "--token", "wrong", code=1)
        assert "cannot reach the instance" in bad
        out = run(
            "connect",
            "mastodon",
            "--url",
            double.url,
            "--token",
            "tok-123456",
            "--webhook-secret",
            "s3cret-hook",
        )
        assert "connected to town.example" in out and "tok-123456" not in out
        shown = json.loads(run("connect", "mastodon"))
    assert (
        shown["url"] == double.url and shown["token"] == "********" and shown["webhook_secret"] == "********"
    )
    assert shown["outbox"] == {}
    audit = run("audit", "verify")
    assert "tok-123456" not in audit and "s3cret-hook" not in audit


def test_labeler_key_declaration_and_sync(cli_db: Database, tmp_path: Path) -> None:
    pem = tmp_path / "labeler.pem"
    out = run("keys", "labeler", "--out", str(pem))
    did_key = next(line.split()[1] for line in out.splitlines() if line.startswith("did:key "))
    assert "PRIVATE" not in out and pem.stat().st_mode & 0o777 == 0o600
    run("keys", "labeler", "--out", str(pem), code=1)  # never silently replaced
    shown = json.loads(
        run("connect", "bluesky", "--did", "did:web:labeler.town.example", "--key-file", str(pem))
    )
    assert shown["did_key"] == did_key
    assert (
        shown["did_document_needs"]["verificationMethod"][0]["id"]
        == "did:web:labeler.town.example#atproto_label"
    )
    run("connect", "bluesky", "--did", "not-a-did", code=1)
    record = json.loads(run("connect", "bluesky", "declaration"))
    parsed = get_or_create(record, models.AppBskyLabelerService.Record, strict=True)
    values = parsed.policies.label_values
    assert "hate-dehumanisation" in values and "!hide" in values
    assert {d.identifier for d in parsed.policies.label_value_definitions or []} <= set(values)
    author = "did:plc:ewvi7nxzyoun6zhxrhs64oiz"
    uri = f"at://{author}/app.bsky.feed.post/3l6oveex3ii2l"
    seed_posts(cli_db, [{"id": uri, "author": author, "text": "a post", "lang": "en"}])
    act(cli_db, "post", uri, "label", "misinfo.harmful")
    assert json.loads(run("connect", "bluesky", "sync")) == {"labels_written": 1}
    assert json.loads(run("connect", "bluesky", "sync")) == {"labels_written": 0}
