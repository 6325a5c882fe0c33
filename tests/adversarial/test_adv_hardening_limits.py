"""Bounded abuse (issue 13): rate limits on sign-in failures, unknown bearer keys, report filing and advertiser
demands; 429 problem+json with Retry-After; unknown keys cost no write transaction; Redis shares the counters."""

from __future__ import annotations

import os
import re
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr
from sqlalchemy import event

from townsquare.api.app import create_app
from townsquare.api.ratelimit import Limited, RateLimits
from townsquare.settings import Settings

HTML = {"accept": "text/html"}
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def _limited_client(db: Any, **limits: str) -> TestClient:
    settings = Settings(database_url=db.url, dev_mode=True, secret_key=SecretStr("t" * 10), **limits)  # type: ignore[arg-type]
    return TestClient(create_app(settings, db), raise_server_exceptions=False)


def _assert_429(r: Any, problem: bool = True) -> None:
    assert r.status_code == 429, r.text
    assert int(r.headers["retry-after"]) >= 1
    if problem:
        assert r.headers["content-type"].startswith("application/problem+json")
        assert r.json()["status"] == 429


def test_failed_sign_ins_are_limited_per_address(db: Any, api_key: Callable[..., str]) -> None:
    with _limited_client(db, rate_limit_login="5/minute") as client:
        page = client.get("/login", headers=HTML)
        token = CSRF.search(page.text).group(1)  # type: ignore[union-attr]
        codes = [
            client.post(
                "/login", data={"api_key": f"ts_bad_{n}", "csrf_token": token}, headers=HTML
            ).status_code
            for n in range(7)
        ]
        assert codes[:5] == [401] * 5 and codes[5:] == [429, 429]
        r = client.post("/login", data={"api_key": api_key("admin"), "csrf_token": token}, headers=HTML)
        _assert_429(r, problem=False)  # a browser gets an HTML page, still with Retry-After
        assert "text/html" in r.headers["content-type"]


def test_unknown_bearer_keys_are_limited_and_open_no_write_transaction(
    sqlite_url: str, api_key: Callable[..., str]
) -> None:
    from townsquare.storage.db import Database

    db = Database(sqlite_url)
    statements: list[str] = []
    event.listen(db.engine, "before_cursor_execute", lambda *a: statements.append(str(a[2])))
    with _limited_client(db, rate_limit_auth_failures="4/minute") as client:
        for n in range(4):
            r = client.get("/api/v1/queues", headers={"Authorization": f"Bearer ts_{n:012x}_nope"})
            assert r.status_code == 401
        assert not [s for s in statements if "BEGIN IMMEDIATE" in s.upper()]
        _assert_429(client.get("/api/v1/queues", headers={"Authorization": "Bearer ts_000000000009_x"}))
    db.dispose()


def test_report_filing_is_limited_per_key(db: Any, auth: Callable[..., dict[str, str]]) -> None:
    with _limited_client(db, rate_limit_reports="3/minute") as client:
        ingest = auth("ingest")
        assert (
            client.post(
                "/api/v1/posts", json={"id": "p", "author": "a", "text": "t"}, headers=ingest
            ).status_code
            == 201
        )
        codes = [
            client.post(
                "/api/v1/reports",
                json={"subject_id": "p", "reason": "spam", "reporter_id": f"u{n}"},
                headers=ingest,
            ).status_code
            for n in range(5)
        ]
        assert codes[:3] == [201] * 3
        r = client.post(
            "/api/v1/reports",
            json={"subject_id": "p", "reason": "spam", "reporter_id": "late"},
            headers=ingest,
        )
        _assert_429(r)
        from townsquare.storage.models import Report

        with db.session() as s:
            assert s.query(Report).count() == 3  # refused requests changed nothing


def test_advertiser_demands_are_limited(db: Any, auth: Callable[..., dict[str, str]]) -> None:
    with _limited_client(db, rate_limit_demands="2/minute") as client:
        adv = auth("advertiser", advertiser_id="acme")
        body = {"demand": "remove", "target_type": "post", "target_id": "p1"}
        codes = [client.post("/api/v1/ads/demands", json=body, headers=adv).status_code for _ in range(3)]
        assert codes[:2] == [403, 403]
        _assert_429(client.post("/api/v1/ads/demands", json=body, headers=adv))


@pytest.fixture
def redis_limits() -> Iterator[tuple[RateLimits, RateLimits]]:
    url = os.environ.get("TOWNSQUARE_TEST_REDIS", "redis://127.0.0.1:6379/0")
    try:
        import redis

        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except Exception as exc:  # noqa: BLE001 - any failure means "no Redis here"
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(f"CI=true but Redis is not available: {exc}")
        pytest.skip(f"no Redis at {url}")
    prefix = f"ts-h13-test-{uuid.uuid4().hex[:8]}"
    settings = Settings(redis_url=url, rate_limit_login="3/minute")
    yield (
        RateLimits.from_settings(settings, key_prefix=prefix),
        RateLimits.from_settings(settings, key_prefix=prefix),
    )
    import redis

    client = redis.Redis.from_url(url)
    for key in client.scan_iter(f"{prefix}*"):
        client.delete(key)


def test_redis_counters_are_shared_between_processes(redis_limits: tuple[RateLimits, RateLimits]) -> None:
    """Two limiters on one Redis stand for two server processes: the third failure is refused in either."""
    first, second = redis_limits
    assert type(first.storage).__name__ == "RedisStorage"
    first.hit("login", "10.0.0.1")
    second.hit("login", "10.0.0.1")
    first.hit("login", "10.0.0.1")
    with pytest.raises(Limited) as refused:
        second.hit("login", "10.0.0.1")
    assert refused.value.retry_after >= 1
    second.hit("login", "10.0.0.2")  # another address has its own window
