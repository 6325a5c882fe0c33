"""Ads fixtures: posts with hand-made assessments (the ads engine's only inputs about content), an advertiser
with a conservative profile and a campaign, created through the real API."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from typer.testing import CliRunner

from townsquare.ads.cache import PROFILES
from townsquare.classify.normalize import normalize
from townsquare.cli.main import app as cli_app
from townsquare.settings import get_settings
from townsquare.storage.models import Account, Assessment, Post


def add_post(
    db: Any,
    post_id: str,
    text: str,
    *,
    author: str = "alice",
    garm: dict[str, str] | None = None,
    visibility: str = "visible",
    lang: str = "en",
    assessed: bool = True,
) -> None:
    """Insert a post and (unless ``assessed=False``) its latest assessment, as ingest + classifier would."""
    with db.session() as s:
        if s.get(Account, author) is None:
            s.add(Account(id=author, handle=author))
            s.flush()
        s.add(
            Post(
                id=post_id,
                author_id=author,
                text=text,
                lang=lang,
                content_hash=post_id,
                visibility=visibility,
            )
        )
        s.flush()
        if assessed:
            s.add(
                Assessment(
                    post_id=post_id,
                    model="hand-made",
                    lang=lang,
                    risk="none",
                    labels=[],
                    scores={},
                    tiers={},
                    garm=garm or {},
                    evidence=[],
                    normalized=normalize(text).text,
                )
            )


@pytest.fixture
def seed(db: Any) -> Callable[..., None]:
    """seed(post_id, text, author=..., garm=..., visibility=..., lang=..., assessed=True)."""

    def make(post_id: str, text: str, **kw: Any) -> None:
        add_post(db, post_id, text, **kw)

    return make


@pytest.fixture(autouse=True)
def _fresh_profile_cache() -> None:
    PROFILES.clear()


@pytest.fixture
def demo(client: Any, auth: Callable[..., dict[str, str]], db: Any) -> dict[str, Any]:
    """Advertiser acme (conservative, campaign c-cons) and globex (relaxed, campaign c-relax); demo posts."""
    admin = auth("admin")
    for adv, preset, camp in (("acme", "conservative", "c-cons"), ("globex", "relaxed", "c-relax")):
        assert (
            client.post(
                "/api/v1/ads/advertisers", json={"id": adv, "name": adv.title()}, headers=admin
            ).status_code
            == 201
        )
        prof = client.post(
            f"/api/v1/ads/advertisers/{adv}/profiles", json={"name": preset, "preset": preset}, headers=admin
        )
        assert prof.status_code == 201, prof.text
        r = client.post(
            f"/api/v1/ads/advertisers/{adv}/campaigns",
            json={"id": camp, "profile_id": prof.json()["id"]},
            headers=admin,
        )
        assert r.status_code == 201, r.text
    add_post(db, "neutral", "Lovely weather in Lyon today, the market was great", lang="en")
    add_post(db, "hateful", "Those people are vermin", author="bob", garm={"hate_speech_aggression": "high"})
    add_post(
        db,
        "profane",
        "putain de merde ce match",
        author="carol",
        lang="fr",
        garm={"obscenity_profanity": "medium"},
    )
    add_post(
        db,
        "news",
        "Report on the conflict: casualties rising",
        author="dan",
        garm={"death_injury_conflict": "low"},
    )
    add_post(db, "floor", "join the cause, attack them", author="eve", garm={"terrorism": "floor"})
    add_post(db, "removed", "something removed by a moderator", author="frank", visibility="removed")
    return {
        "admin": admin,
        "acme": auth("advertiser", advertiser_id="acme"),
        "globex": auth("advertiser", advertiser_id="globex"),
        "ingest": auth("ingest"),
    }


@pytest.fixture
def cli(db_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[..., Any]]:
    """``cli("ads", "advertiser-add", ...)``: the real Typer app on the test database (sqlite and postgres)."""
    monkeypatch.setenv("TOWNSQUARE_DATABASE_URL", db_url)
    get_settings.cache_clear()
    runner = CliRunner()
    yield lambda *args: runner.invoke(cli_app, list(args))
    get_settings.cache_clear()
