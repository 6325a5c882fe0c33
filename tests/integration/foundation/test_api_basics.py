"""Health, readiness, OpenAPI, problem+json errors, body limit, authentication and role policies."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import FastAPI

from townsquare.api.introspect import flat_routes
from townsquare.api.security import roles_of

PUBLIC_FRAMEWORK_ROUTES = {"/openapi.json", "/docs", "/docs/oauth2-redirect"}


def test_every_route_declares_its_roles(app: FastAPI) -> None:
    missing = []
    seen = 0
    for route in flat_routes(app):
        if route.path in PUBLIC_FRAMEWORK_ROUTES or route.path.startswith("/static"):
            continue
        seen += 1
        if not any(roles_of(call) for call in route.dependency_calls()):
            missing.append(f"{sorted(route.methods)} {route.path}")
    assert seen > 3
    assert not missing, "routes without an explicit role policy:\n" + "\n".join(missing)


def test_health_ready_openapi_docs(client: Any) -> None:
    assert client.get("/healthz").json()["status"] == "ok"
    ready = client.get("/readyz")
    assert ready.status_code == 200 and ready.json()["status"] == "ready"
    spec = client.get("/openapi.json").json()
    assert "/api/v1/posts" in spec["paths"]
    assert client.get("/docs").status_code == 200


def test_unknown_route_is_problem_json(client: Any) -> None:
    r = client.get("/api/v1/nope")
    assert r.status_code == 404
    assert r.headers["content-type"].startswith("application/problem+json")
    assert r.json()["status"] == 404 and "Traceback" not in r.text


def test_validation_error_is_problem_json(client: Any, auth: Callable[..., dict[str, str]]) -> None:
    r = client.post(
        "/api/v1/posts", content=b"{not json", headers={**auth("ingest"), "content-type": "application/json"}
    )
    assert r.status_code == 422
    assert r.headers["content-type"].startswith("application/problem+json")
    assert r.json()["errors"]


def test_body_over_limit_is_413(client: Any, auth: Callable[..., dict[str, str]]) -> None:
    big = b'{"id":"x","author":"a","text":"' + b"a" * 2_100_000 + b'"}'
    r = client.post(
        "/api/v1/posts", content=big, headers={**auth("ingest"), "content-type": "application/json"}
    )
    assert r.status_code == 413
    assert r.headers["content-type"].startswith("application/problem+json")


def test_missing_bad_and_wrong_role_keys(client: Any, auth: Callable[..., dict[str, str]]) -> None:
    post = {"id": "p1", "author": "a", "text": "hello"}
    assert client.post("/api/v1/posts", json=post).status_code == 401
    bad = client.post("/api/v1/posts", json=post, headers={"Authorization": "Bearer ts_nope_nope"})
    assert bad.status_code == 401
    wrong = client.post("/api/v1/posts", json=post, headers=auth("auditor"))
    assert wrong.status_code == 403
    assert client.post("/api/v1/posts", json=post, headers=auth("ingest")).status_code == 201


def test_revoked_key_stops_working(client: Any, db: Any, api_key: Callable[..., str]) -> None:
    from townsquare.access.keys import revoke_key

    token = api_key("ingest", "feeder")
    headers = {"Authorization": f"Bearer {token}"}
    assert (
        client.post(
            "/api/v1/posts", json={"id": "p", "author": "a", "text": "x"}, headers=headers
        ).status_code
        == 201
    )
    with db.session() as s:
        revoke_key(s, name="feeder", actor="test")
    assert (
        client.post(
            "/api/v1/posts", json={"id": "q", "author": "a", "text": "x"}, headers=headers
        ).status_code
        == 401
    )


def test_keys_store_only_a_hash(db: Any, api_key: Callable[..., str]) -> None:
    from sqlalchemy import select

    from townsquare.storage.models import ApiKey

    token = api_key("moderator", "m1")
    with db.session() as s:
        row = s.scalar(select(ApiKey).where(ApiKey.name == "m1"))
        assert row is not None and token not in (row.key_hash, row.prefix)
