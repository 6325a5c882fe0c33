"""Sign-in, the session cookie, CSRF and role checks of the web consoles, through the real app."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi.routing import iter_route_contexts

from townsquare.api.security import roles_of
from townsquare.web.csrf import csrf_protect

HTML = {"accept": "text/html"}


def test_public_pages_render(client: Any) -> None:
    for path in ("/", "/login", "/transparency"):
        r = client.get(path, headers=HTML)
        assert r.status_code == 200, path
        assert r.headers["content-type"].startswith("text/html")
        assert "default-src 'self'" in r.headers["content-security-policy"]
        assert r.headers["x-frame-options"] == "DENY"


def test_unknown_post_is_an_html_404_but_api_stays_problem_json(client: Any) -> None:
    page = client.get("/posts/nope", headers=HTML)
    assert page.status_code == 404
    assert page.headers["content-type"].startswith("text/html")
    assert "nope" in page.text
    api = client.get("/api/v1/posts/nope", headers=HTML)
    assert api.status_code == 404
    assert api.headers["content-type"].startswith("application/problem+json")


def test_language_switch_by_query_cookie_and_header(client: Any) -> None:
    fr = client.get("/?lang=fr", headers=HTML)
    assert '<html lang="fr">' in fr.text and "Consoles" in fr.text
    assert "ts_lang=fr" in fr.headers["set-cookie"]
    again = client.get("/", headers=HTML)  # the cookie remembers the choice
    assert '<html lang="fr">' in again.text
    client.cookies.clear()
    assert '<html lang="fr">' in client.get("/", headers={**HTML, "accept-language": "fr-FR,fr;q=0.9"}).text
    assert '<html lang="en">' in client.get("/", headers={**HTML, "accept-language": "de"}).text


def test_anonymous_console_redirects_to_login(client: Any) -> None:
    for path in ("/moderation", "/council", "/advertiser", "/admin"):
        r = client.get(path, headers=HTML, follow_redirects=False)
        assert r.status_code == 303, path
        assert r.headers["location"] == f"/login?next=%2F{path[1:]}"


def test_login_sets_a_signed_http_only_lax_cookie(
    client: Any, csrf: Callable[[str], str], api_key: Callable[..., str]
) -> None:
    token = api_key("admin", "web-admin")
    token_csrf = csrf(client.get("/login", headers=HTML).text)
    r = client.post(
        "/login", data={"api_key": token, "csrf_token": token_csrf, "next": "/admin"}, follow_redirects=False
    )
    assert r.status_code == 303 and r.headers["location"] == "/admin"
    cookie = r.headers["set-cookie"]
    assert "ts_session=" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert token not in cookie  # the raw key never leaves the server
    assert client.get("/admin", headers=HTML).status_code == 200


def test_bad_key_and_missing_csrf_are_refused(
    client: Any, csrf: Callable[[str], str], api_key: Callable[..., str]
) -> None:
    token_csrf = csrf(client.get("/login", headers=HTML).text)
    bad = client.post("/login", data={"api_key": "ts_nope_nope", "csrf_token": token_csrf}, headers=HTML)
    assert bad.status_code == 401 and "unknown or revoked" in bad.text
    token = api_key("admin", "web-admin")
    no_csrf = client.post("/login", data={"api_key": token}, headers=HTML, follow_redirects=False)
    assert no_csrf.status_code == 403
    forged = client.post("/login", data={"api_key": token, "csrf_token": "x" * 43}, headers=HTML)
    assert forged.status_code == 403
    cross = client.post(
        "/login",
        data={"api_key": token, "csrf_token": token_csrf},
        headers={**HTML, "origin": "https://evil.example"},
        follow_redirects=False,
    )
    assert cross.status_code == 403


def test_open_redirect_is_refused(
    client: Any, csrf: Callable[[str], str], api_key: Callable[..., str]
) -> None:
    token = api_key("moderator", "web-mod")
    token_csrf = csrf(client.get("/login", headers=HTML).text)
    r = client.post(
        "/login",
        data={"api_key": token, "csrf_token": token_csrf, "next": "//evil.example/x"},
        follow_redirects=False,
    )
    assert r.headers["location"] == "/moderation"


def test_roles_match_the_api(client: Any, web_login: Callable[..., str]) -> None:
    web_login("moderator")
    assert client.get("/moderation", headers=HTML).status_code == 200
    for path in ("/admin", "/advertiser"):
        r = client.get(path, headers=HTML)
        assert r.status_code == 403, path
        assert "text/html" in r.headers["content-type"]
    # the session is not an API credential: the API still wants a key
    assert client.get("/api/v1/queues").status_code == 401


def test_tampered_cookie_is_anonymous(client: Any, web_login: Callable[..., str]) -> None:
    web_login("admin")
    value = client.cookies.get("ts_session")
    payload, mac = value.rsplit(".", 1)
    client.cookies.set("ts_session", payload + "." + mac[:-2] + ("AA" if mac[-2:] != "AA" else "BB"))
    assert client.get("/admin", headers=HTML, follow_redirects=False).status_code == 303


def test_revoking_a_key_ends_its_web_session(client: Any, web_login: Callable[..., str], db: Any) -> None:
    from townsquare.access.keys import revoke_key

    name = web_login("admin")
    assert client.get("/admin", headers=HTML).status_code == 200
    with db.session() as s:
        revoke_key(s, name=name, actor="test")
    assert client.get("/admin", headers=HTML, follow_redirects=False).status_code == 303


def test_logout(client: Any, csrf: Callable[[str], str], web_login: Callable[..., str]) -> None:
    web_login("admin")
    page = client.get("/admin", headers=HTML)
    r = client.post("/logout", data={"csrf_token": csrf(page.text)}, follow_redirects=False)
    assert r.status_code == 303
    assert client.get("/admin", headers=HTML, follow_redirects=False).status_code == 303


def test_every_web_route_has_csrf_and_roles(app: Any) -> None:
    """The effective dependencies (router-level ones included) of every page route: CSRF check and roles."""
    web = [
        c
        for c in iter_route_contexts(app.routes)
        if c.path
        and not c.path.startswith(
            ("/api", "/docs", "/openapi", "/static", "/healthz", "/readyz", "/metrics", "/xrpc")
        )
    ]
    assert len(web) > 15
    for ctx in web:
        calls = [d.call for d in ctx.dependant.dependencies]
        assert csrf_protect in calls, ctx.path
        assert any(roles_of(c) for c in calls if c is not None), ctx.path
