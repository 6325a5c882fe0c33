"""Regression tests for every server error found by fuzzing (issue 13), as real API call sequences.

Each test is the repro that once answered 500; it now must answer a clear 4xx (problem+json) and change nothing.
Both databases: the `client` fixture runs over `db_url` (SQLite and PostgreSQL).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from townsquare.storage.models import Account, Post

BIG = 2**63
JSON = {"content-type": "application/json"}


def _problem(r: Any, status: int) -> dict[str, Any]:
    assert r.status_code == status, (r.status_code, r.text)
    assert r.headers["content-type"].startswith("application/problem+json"), r.headers
    body: dict[str, Any] = r.json()
    assert body["status"] == status
    return body


def _count(db: Any, model: Any) -> int:
    from sqlalchemy import func, select

    with db.session() as s:
        return int(s.scalar(select(func.count()).select_from(model)) or 0)


def _decided_case(client: Any, mod: dict[str, str], ingest: dict[str, str]) -> int:
    assert (
        client.post(
            "/api/v1/posts", json={"id": "p1", "author": "a1", "text": "hello there"}, headers=ingest
        ).status_code
        == 201
    )
    r = client.post(
        "/api/v1/reports",
        json={"subject_id": "p1", "reason": "spam", "reporter_id": "u1"},
        headers=ingest,
    )
    assert r.status_code == 201, r.text
    case_id = int(r.json()["case_id"])
    assert client.post(f"/api/v1/cases/{case_id}/claim", headers=mod).status_code == 200
    r = client.post(
        f"/api/v1/cases/{case_id}/decision",
        json={"action": "none", "rule_id": "spam.scam", "note": "fine"},
        headers=mod,
    )
    assert r.status_code == 201, r.text
    return case_id


def test_conflict_with_a_status_extra_is_a_409_problem(
    client: Any, auth: Callable[..., dict[str, str]]
) -> None:
    """`Conflict(..., status=case.status)` once broke the renderer (TypeError → 500)."""
    mod, ingest = auth("moderator"), auth("ingest")
    case_id = _decided_case(client, mod, ingest)
    for action in ("claim", "release", "escalate"):
        body = _problem(client.post(f"/api/v1/cases/{case_id}/{action}", json={}, headers=mod), 409)
        assert body["current_status"] == "decided"
    body = _problem(
        client.post(
            f"/api/v1/cases/{case_id}/decision",
            json={"action": "none", "rule_id": "spam.scam", "note": "again"},
            headers=mod,
        ),
        409,
    )
    assert body["status"] == 409


@pytest.mark.parametrize(
    "method,path,body",
    [
        ("GET", f"/api/v1/council/decisions?offset={BIG}", None),
        ("GET", f"/api/v1/council/decisions/{BIG}", None),
        ("GET", f"/api/v1/cases/{BIG}", None),
        ("GET", f"/api/v1/reports/{BIG}", None),
        ("GET", f"/api/v1/actions/{BIG}", None),
        ("GET", f"/api/v1/polls/{BIG}", None),
        ("GET", f"/api/v1/ads/profiles/{BIG}", None),
        ("POST", f"/api/v1/cases/{BIG}/claim", None),
        ("POST", "/api/v1/reach", {"posts": [{"id": "p1", "reach": 10**30}]}),
        ("POST", "/api/v1/appeals", {"action_id": BIG, "appellant_id": "u1"}),
    ],
)
def test_integers_beyond_64_bits_are_422(
    client: Any, auth: Callable[..., dict[str, str]], method: str, path: str, body: Any
) -> None:
    headers = auth("admin")
    r = client.request(method, path, json=body, headers=headers)
    _problem(r, 422)


def test_council_member_patch_null_bio_and_key_name_are_4xx(
    client: Any, auth: Callable[..., dict[str, str]]
) -> None:
    """`PATCH /council/members/1` with `{"bio": null}` or a `key_name` once answered 500 (NOT NULL / UNIQUE).
    Membership changes are now proposals (council governance); whatever the route does, never a 5xx."""
    admin = auth("admin")
    for body in ({"bio": None}, {"key_name": "k2"}, {"bio": None, "name": None}):
        r = client.patch("/api/v1/council/members/1", json=body, headers=admin)
        assert 400 <= r.status_code < 500, (body, r.status_code, r.text)
        assert r.headers["content-type"].startswith("application/problem+json")


@pytest.mark.parametrize(
    "path,body,role",
    [
        ("/api/v1/posts", {"id": "s1", "author": "a", "text": "x \ud800"}, "ingest"),
        ("/api/v1/reports", {"subject_id": "s1", "reporter_id": "u", "text": "x \udfff"}, "ingest"),
        ("/api/v1/posts", {"id": "n\x00", "author": "a", "text": "x"}, "ingest"),
        ("/api/v1/posts", {"id": "n1", "author": "a\x00", "text": "x"}, "ingest"),
        ("/api/v1/posts", {"id": "n1", "author": "a", "text": "x", "lang": "f\x00"}, "ingest"),
        ("/api/v1/reports", {"subject_id": "s1", "reporter_id": "u\x00"}, "ingest"),
        ("/api/v1/council/cases", {"question": "why\x00"}, "admin"),
    ],
)
def test_nul_and_lone_surrogates_are_422_and_store_nothing(
    client: Any, db: Any, auth: Callable[..., dict[str, str]], path: str, body: Any, role: str
) -> None:
    import json

    raw = json.dumps(body)  # keeps \ud800 and \u0000 as JSON escapes, exactly as an attacker sends them
    r = client.post(path, content=raw, headers={**auth(role), **JSON})
    _problem(r, 422)
    assert _count(db, Post) == 0 and _count(db, Account) == 0


def test_an_escaped_surrogate_pair_is_fine(client: Any, auth: Callable[..., dict[str, str]]) -> None:
    raw = '{"id": "e1", "author": "a", "text": "smile \\ud83d\\ude00"}'
    r = client.post("/api/v1/posts", content=raw, headers={**auth("ingest"), **JSON})
    assert r.status_code == 201, r.text
    assert client.get("/api/v1/posts/e1").json()["text"] == "smile \U0001f600"


@pytest.mark.parametrize(
    "path,role",
    [
        ("/api/v1/statements?since=0001-01-01T00:00:00%2B05:00", "admin"),
        ("/api/v1/queues/stats?since=0001-01-01T00:00:00%2B05:00", "admin"),
        ("/api/v1/ads/demands/refused?since=0001-01-01T00:00:00%2B05:00", None),
        (
            "/api/v1/ads/reports/brand-safety?advertiser_id=x&since=0001-01-01T00:00:00%2B05:00",
            "admin",
        ),
        ("/api/v1/ads/demands/refused?since=9999-12-31T23:59:59-12:00", None),
    ],
)
def test_calendar_edge_dates_in_queries_are_422(
    client: Any, auth: Callable[..., dict[str, str]], path: str, role: str | None
) -> None:
    _problem(client.get(path, headers=auth(role) if role else {}), 422)


def test_calendar_edge_dates_in_bodies_are_422(
    client: Any, db: Any, auth: Callable[..., dict[str, str]]
) -> None:
    ingest = auth("ingest")
    r = client.post(
        "/api/v1/posts",
        json={"id": "d1", "author": "a", "text": "x", "created_at": "0001-01-01T00:00:00+05:00"},
        headers=ingest,
    )
    _problem(r, 422)
    r = client.post(
        "/api/v1/actions",
        json={
            "subject_type": "post",
            "subject_id": "d1",
            "action": "remove",
            "rule_id": "spam.scam",
            "reason": "x",
            "ends_at": "9999-12-31T23:59:59-12:00",
        },
        headers=auth("admin"),
    )
    _problem(r, 422)
    assert _count(db, Post) == 0


@pytest.mark.parametrize("bad", ["zz", "<b>x</b>", "english-language", "f\u200br"])
def test_lang_is_validated(client: Any, db: Any, auth: Callable[..., dict[str, str]], bad: str) -> None:
    r = client.post(
        "/api/v1/posts", json={"id": "l1", "author": "a", "text": "x", "lang": bad}, headers=auth("ingest")
    )
    _problem(r, 422)
    assert _count(db, Post) == 0


@pytest.mark.parametrize("bad_id", ["a\u202eb", "a\u200bb", "a\u0007b", "a\ufeffb", "a\u2028b"])
def test_hidden_characters_in_ids_are_refused(
    client: Any, db: Any, auth: Callable[..., dict[str, str]], bad_id: str
) -> None:
    ingest = auth("ingest")
    _problem(
        client.post("/api/v1/posts", json={"id": bad_id, "author": "a", "text": "x"}, headers=ingest), 422
    )
    _problem(
        client.post("/api/v1/posts", json={"id": "ok1", "author": bad_id, "text": "x"}, headers=ingest), 422
    )
    assert _count(db, Post) == 0


def test_post_ids_ending_like_a_subroute_are_refused(
    client: Any, auth: Callable[..., dict[str, str]]
) -> None:
    """`/posts/{id}/actions` is a route, so a post id ending in `/actions` could never be fetched."""
    r = client.post(
        "/api/v1/posts", json={"id": "x/actions", "author": "a", "text": "x"}, headers=auth("ingest")
    )
    _problem(r, 422)


def test_atproto_uri_ids_are_fetchable_everywhere(client: Any, auth: Callable[..., dict[str, str]]) -> None:
    pid = "at://did:plc:abc123/app.bsky.feed.post/3k2la"
    author = "did:plc:abc123"
    r = client.post(
        "/api/v1/posts", json={"id": pid, "author": author, "text": "bonjour"}, headers=auth("ingest")
    )
    assert r.status_code == 201, r.text
    r = client.get(f"/api/v1/posts/{pid}")
    assert r.status_code == 200 and r.json()["id"] == pid, r.text
    from urllib.parse import quote

    assert client.get(f"/api/v1/posts/{quote(pid, safe='')}").json()["id"] == pid
    mod = auth("moderator")
    assert client.get(f"/api/v1/posts/{pid}/actions", headers=mod).status_code == 200
    assert client.get(f"/api/v1/accounts/{author}/actions", headers=mod).status_code == 200
    page = client.get(f"/posts/{quote(pid, safe='')}", headers={"accept": "text/html"})
    assert page.status_code == 200 and "bonjour" in page.text


def test_oversize_chunked_body_is_413(client: Any, auth: Callable[..., dict[str, str]]) -> None:
    def chunks() -> Any:
        for _ in range(30):
            yield b"x" * 100_000

    r = client.post("/api/v1/posts", content=chunks(), headers={**auth("ingest"), **JSON})
    _problem(r, 413)


def test_other_tenants_objects_are_404_not_403(client: Any, auth: Callable[..., dict[str, str]]) -> None:
    admin = auth("admin")
    for adv in ("acme", "globex"):
        assert client.post("/api/v1/ads/advertisers", json={"id": adv}, headers=admin).status_code == 201
    r = client.post("/api/v1/ads/advertisers/globex/profiles", json={"preset": "standard"}, headers=admin)
    assert r.status_code == 201, r.text
    profile_id = r.json()["id"]
    acme = auth("advertiser", advertiser_id="acme")
    other = client.get(f"/api/v1/ads/profiles/{profile_id}", headers=acme)
    missing = client.get(f"/api/v1/ads/profiles/{profile_id + 1000}", headers=acme)
    assert other.status_code == missing.status_code == 404
    assert client.get("/api/v1/ads/advertisers/globex", headers=acme).status_code == 404
    assert client.get("/api/v1/ads/advertisers/nobody", headers=acme).status_code == 404
