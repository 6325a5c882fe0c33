"""`townsquare worker` from the command line: refuses without NATS, drains the stream with `--once`."""

from __future__ import annotations

from typing import Any

import pytest
from stream_helpers import counts, make_posts
from typer.testing import CliRunner

from townsquare.cli.main import app
from townsquare.posts.ingest import ingest
from townsquare.settings import get_settings
from townsquare.stream.config import StreamConfig
from townsquare.stream.publisher import get_publisher


def test_worker_needs_a_nats_url(cli_db: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TOWNSQUARE_NATS_URL", "")
    get_settings.cache_clear()
    result = CliRunner().invoke(app, ["worker", "--once"])
    assert result.exit_code == 1
    assert "TOWNSQUARE_NATS_URL" in result.output


def test_worker_once_drains_the_stream_and_shows_progress(
    cli_db: Any, nats_url: str, stream_prefix: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TOWNSQUARE_NATS_URL", nats_url)
    monkeypatch.setenv("TOWNSQUARE_STREAM_PREFIX", stream_prefix)
    get_settings.cache_clear()
    posts = make_posts(30, "cli")
    with cli_db.session() as s:
        ingest(s, posts, assess=False)
    get_publisher(StreamConfig(nats_url, stream_prefix)).publish([p["id"] for p in posts])
    result = CliRunner().invoke(app, ["worker", "--once", "--batch-size", "10"])
    assert result.exit_code == 0, result.output
    assert "30 processed" in result.output
    assert counts(cli_db)["assessed_posts"] == 30
