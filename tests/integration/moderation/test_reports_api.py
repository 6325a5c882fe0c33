"""Report intake through the API: idempotency, repeats, bad input changes nothing, rate limit, reasons."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from townsquare.settings import get_settings
from townsquare.storage.db import Database
from townsquare.storage.models import AuditRecord, Case, Notification, Report

Headers = dict[str, str]


@pytest.fixture
def platform(auth: Callable[..., Headers]) -> Headers:
    return auth("ingest", "platform")


def _counts(db: Database) -> tuple[int, int, int, int]:
    with db.session() as s:
        return tuple(  # type: ignore[return-value]
            int(s.scalar(select(func.count()).select_from(m)) or 0)
            for m in (Report, Case, Notification, AuditRecord)
        )


def test_reasons_are_bilingual(client: TestClient) -> None:
    reasons = client.get("/api/v1/report-reasons").json()["reasons"]
    codes = {r["code"] for r in reasons}
    assert {
        "spam",
        "hate",
        "harassment",
        "violence",
        "sexual",
        "self_harm",
        "misinformation",
        "illegal",
        "other",
    } <= codes
    assert all(r["label"]["fr"] and r["label"]["en"] for r in reasons)
    assert next(r for r in reasons if r["code"] == "illegal")["needs_legal_ground"] is True


def test_identical_resubmission_is_idempotent(
    client: TestClient, db: Database, platform: Headers, post: Callable[..., str]
) -> None:
    post("p1")
    body = {"subject_id": "p1", "reason": "hate", "text": "nasty", "reporter_id": "u1"}
    first = client.post("/api/v1/reports", json=body, headers=platform)
    assert first.status_code == 201
    before = _counts(db)
    again = client.post("/api/v1/reports", json=body, headers=platform)
    assert again.status_code == 200
    assert again.json() == first.json()
    assert _counts(db) == before


def test_repeat_by_same_reporter_adds_to_the_report(
    client: TestClient, db: Database, platform: Headers, post: Callable[..., str]
) -> None:
    post("p1")
    r1 = client.post(
        "/api/v1/reports", json={"subject_id": "p1", "reason": "hate", "reporter_id": "u1"}, headers=platform
    ).json()
    r2 = client.post(
        "/api/v1/reports",
        json={"subject_id": "p1", "reason": "harassment", "text": "more", "reporter_id": "u1"},
        headers=platform,
    )
    assert r2.status_code == 200
    assert r2.json()["id"] == r1["id"] and r2.json()["count"] == 2
    assert [e["reason"] for e in r2.json()["submissions"]] == ["hate", "harassment"]
    r3 = client.post(
        "/api/v1/reports", json={"subject_id": "p1", "reason": "hate", "reporter_id": "u2"}, headers=platform
    ).json()
    assert r3["id"] != r1["id"] and r3["case_id"] == r1["case_id"]  # one case per subject
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(Report)) == 2


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"subject_id": "nope", "reason": "hate"}, 404),
        ({"subject_type": "account", "subject_id": "nobody", "reason": "hate"}, 404),
        ({"subject_id": "p1", "reason": ""}, 422),
        ({"subject_id": "p1", "reason": "bogus"}, 422),
        ({"subject_id": "p1", "reason": "illegal"}, 422),
        ({"subject_id": "p1", "reason": "other"}, 422),
        ({"subject_type": "planet", "subject_id": "p1", "reason": "hate"}, 422),
        ({"subject_id": "p1", "reason": "hate", "text": "x" * 5001}, 413),
        ({"subject_id": "p1", "reason": "hate", "text": "x" * 2_100_000}, 413),
    ],
)
def test_bad_input_is_refused_and_changes_nothing(
    client: TestClient,
    db: Database,
    platform: Headers,
    post: Callable[..., str],
    body: dict[str, str],
    status: int,
) -> None:
    post("p1")
    before = _counts(db)
    r = client.post("/api/v1/reports", json={**body, "reporter_id": "u1"}, headers=platform)
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    assert r.json()["status"] == status
    assert _counts(db) == before


def test_reporter_identity_is_required_from_the_platform(
    client: TestClient, platform: Headers, post: Callable[..., str]
) -> None:
    post("p1")
    r = client.post("/api/v1/reports", json={"subject_id": "p1", "reason": "hate"}, headers=platform)
    assert r.status_code == 422
    r = client.post(
        "/api/v1/reports",
        json={"subject_id": "p1", "reason": "hate", "reporter_id": "a"},
        headers={**platform, "X-Reporter-Id": "b"},
    )
    assert r.status_code == 422
    assert client.post("/api/v1/reports", json={"subject_id": "p1", "reason": "hate"}).status_code == 401


def test_illegal_content_keeps_its_legal_ground(
    client: TestClient, platform: Headers, post: Callable[..., str]
) -> None:
    post("p1")
    r = client.post(
        "/api/v1/reports",
        json={
            "subject_id": "p1",
            "reason": "illegal",
            "reporter_id": "u1",
            "legal_ground": "Loi 1881 art. 24",
        },
        headers=platform,
    )
    assert r.status_code == 201 and r.json()["legal_ground"] == "Loi 1881 art. 24"


@pytest.fixture
def low_limit(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("TOWNSQUARE_REPORT_RATE_LIMIT", "3")
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def test_rate_limit_gives_429_and_changes_nothing(
    low_limit: None, client: TestClient, db: Database, platform: Headers, post: Callable[..., str]
) -> None:
    for i in range(4):
        post(f"p{i}")
    for i in range(3):
        body = {"subject_id": f"p{i}", "reason": "spam", "reporter_id": "u1"}
        assert client.post("/api/v1/reports", json=body, headers=platform).status_code == 201
    # An identical retry is not a new submission: still fine.
    retry = {"subject_id": "p0", "reason": "spam", "reporter_id": "u1"}
    assert client.post("/api/v1/reports", json=retry, headers=platform).status_code == 200
    before = _counts(db)
    r = client.post(
        "/api/v1/reports", json={"subject_id": "p3", "reason": "spam", "reporter_id": "u1"}, headers=platform
    )
    assert r.status_code == 429 and r.json()["limit"] == 3
    assert _counts(db) == before
    other = {"subject_id": "p3", "reason": "spam", "reporter_id": "u2"}
    assert client.post("/api/v1/reports", json=other, headers=platform).status_code == 201


def test_platform_lists_its_users_reports(
    client: TestClient, platform: Headers, post: Callable[..., str]
) -> None:
    post("p1")
    post("p2")
    for p in ("p1", "p2"):
        body = {"subject_id": p, "reason": "spam", "reporter_id": "u1"}
        assert client.post("/api/v1/reports", json=body, headers=platform).status_code == 201
    mine = client.get("/api/v1/reports", headers={**platform, "X-Reporter-Id": "u1"}).json()
    assert [r["subject_id"] for r in mine["reports"]] == ["p2", "p1"]
    assert {r["status"] for r in mine["reports"]} == {"pending"}
    assert client.get("/api/v1/reports", headers=platform).status_code == 422


def test_account_reports(client: TestClient, platform: Headers, post: Callable[..., str]) -> None:
    post("p1", author="alice")
    r = client.post(
        "/api/v1/reports",
        json={"subject_type": "account", "subject_id": "alice", "reason": "harassment", "reporter_id": "u1"},
        headers=platform,
    )
    assert r.status_code == 201 and r.json()["subject_type"] == "account"
    other = client.post(
        "/api/v1/reports",
        json={"subject_id": "p1", "reason": "harassment", "reporter_id": "u1"},
        headers=platform,
    )
    assert other.json()["case_id"] != r.json()["case_id"]  # the account and its post are separate subjects
