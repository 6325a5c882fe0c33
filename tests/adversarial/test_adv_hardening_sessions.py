"""Unforgeable identity (issue 13): weak secrets stop the server, sessions are server-side and revocable.

Attack sequences through the real app: replaying a cookie captured before logout, after key revocation, after an
admin's "sign out everywhere", after the idle timeout; forging a cookie; reading what `GET /login` hands out.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr
from typer.testing import CliRunner

from townsquare.access.secrets import make_secret, weakness
from townsquare.api.app import create_app
from townsquare.core import clock
from townsquare.settings import Settings

HTML = {"accept": "text/html"}
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def _csrf(html: str) -> str:
    found = CSRF.search(html)
    assert found
    return found.group(1)


def _login(client: Any, token: str) -> None:
    page = client.get("/login", headers=HTML)
    r = client.post(
        "/login",
        data={"api_key": token, "csrf_token": _csrf(page.text), "next": "/admin"},
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text


def _admin_page(client: Any) -> int:
    return int(client.get("/admin", headers=HTML, follow_redirects=False).status_code)


@pytest.mark.parametrize(
    "weak", ["", "x", "change-me-dev-secret", "a-real-secret", "0123456789abcdef" * 4, "hunter2" * 9]
)
def test_server_refuses_to_start_with_a_weak_secret(weak: str, db: Any) -> None:
    settings = Settings(database_url=db.url, dev_mode=False, secret_key=SecretStr(weak))
    with pytest.raises(RuntimeError, match="townsquare keys secret"):
        create_app(settings, db)


def test_keys_secret_makes_a_secret_the_server_accepts(db: Any) -> None:
    from townsquare.cli.main import app as cli

    out = CliRunner().invoke(cli, ["keys", "secret"])
    assert out.exit_code == 0
    secret = out.output.strip()
    assert re.fullmatch(r"[0-9a-f]{64}", secret) and weakness(secret) is None
    assert weakness(make_secret()) is None
    create_app(Settings(database_url=db.url, dev_mode=False, secret_key=SecretStr(secret)), db)


def test_serve_refuses_an_empty_secret(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from townsquare.cli.main import app as cli
    from townsquare.settings import get_settings

    monkeypatch.setenv("TOWNSQUARE_DATABASE_URL", f"sqlite:///{tmp_path / 'x.db'}")
    monkeypatch.setenv("TOWNSQUARE_DEV_MODE", "false")
    monkeypatch.setenv("TOWNSQUARE_SECRET_KEY", "")
    get_settings.cache_clear()
    try:
        r = CliRunner().invoke(cli, ["serve"])
    finally:
        get_settings.cache_clear()
    assert r.exit_code != 0 and "SECRET_KEY" in r.output


def test_get_login_hands_out_nothing_signed(client: Any) -> None:
    r = client.get("/login", headers=HTML)
    cookies = r.headers.get_list("set-cookie")
    assert not any(c.startswith("ts_session=") and "Max-Age=0" not in c for c in cookies)
    anon = [c for c in cookies if c.startswith("ts_anon=")]
    assert anon and "HttpOnly" in anon[0]
    from townsquare.web.session import decode_anon

    value = anon[0].split(";")[0].split("=", 1)[1]
    assert set(decode_anon(value)) == {"csrf"}  # a random token, no signature to attack offline


def test_a_forged_cookie_is_anonymous(client: Any, api_key: Callable[..., str]) -> None:
    import base64
    import hashlib
    import hmac
    import json

    api_key("admin", "boss")
    payload = base64.urlsafe_b64encode(
        json.dumps({"kid": 1, "csrf": "x" * 30, "iat": 2**40}).encode()
    ).decode()
    mac = base64.urlsafe_b64encode(hmac.new(b"", payload.encode(), hashlib.sha256).digest()).decode()
    for forged in (f"{payload}.{mac}", "v2." + "A" * 43, "v2.", "1"):
        client.cookies.set("ts_session", forged)
        assert _admin_page(client) == 303
        client.cookies.clear()


def test_logout_kills_a_captured_cookie(client: Any, api_key: Callable[..., str]) -> None:
    _login(client, api_key("admin", "boss"))
    stolen = client.cookies.get("ts_session")
    assert stolen and _admin_page(client) == 200
    page = client.get("/admin", headers=HTML)
    assert (
        client.post("/logout", data={"csrf_token": _csrf(page.text)}, follow_redirects=False).status_code
        == 303
    )
    client.cookies.clear()
    client.cookies.set("ts_session", stolen)
    assert _admin_page(client) == 303


def test_key_revocation_and_sign_out_everywhere(
    client: Any, db: Any, api_key: Callable[..., str], auth: Callable[..., dict[str, str]]
) -> None:
    from townsquare.access.keys import revoke_key
    from townsquare.access.sessions import live_count

    _login(client, api_key("moderator", "mod-a"))
    first = client.cookies.get("ts_session")
    with db.session() as s:
        revoke_key(s, name="mod-a", actor="test")
        assert live_count(s) == 0
    client.cookies.clear()
    client.cookies.set("ts_session", first)
    assert client.get("/moderation", headers=HTML, follow_redirects=False).status_code == 303

    client.cookies.clear()
    _login(client, api_key("admin", "boss"))
    assert _admin_page(client) == 200
    r = client.post("/api/v1/sessions/sign-out-everywhere", json={}, headers=auth("admin"))
    assert r.status_code == 200 and r.json()["ended"] == 1
    assert _admin_page(client) == 303
    r = client.post("/api/v1/sessions/sign-out-everywhere", json={}, headers=auth("moderator"))
    assert r.status_code == 403


def test_idle_timeout_and_lifetime(client: Any, api_key: Callable[..., str], settings: Any) -> None:
    _login(client, api_key("admin", "boss"))
    assert _admin_page(client) == 200
    clock.advance(settings.session_idle_seconds - 120)
    assert _admin_page(client) == 200  # used: the idle clock restarts
    clock.advance(settings.session_idle_seconds + 1)
    assert _admin_page(client) == 303

    client.cookies.clear()
    _login(client, api_key("admin", "boss2"))
    step = settings.session_idle_seconds - 120
    for _ in range(settings.session_lifetime_seconds // step - 1):
        clock.advance(step)
        assert _admin_page(client) == 200
    clock.advance(step * 2)
    assert _admin_page(client) == 303


@pytest.fixture
def prod_client(db: Any) -> Iterator[Any]:
    settings = Settings(database_url=db.url, dev_mode=False, secret_key=SecretStr(make_secret()))
    with TestClient(
        create_app(settings, db), base_url="https://testserver", raise_server_exceptions=False
    ) as c:
        yield c


def test_cookies_are_secure_outside_dev_mode(prod_client: Any, api_key: Callable[..., str]) -> None:
    page = prod_client.get("/login", headers=HTML)
    assert all("Secure" in c for c in page.headers.get_list("set-cookie"))
    r = prod_client.post(
        "/login",
        data={"api_key": api_key("admin", "boss"), "csrf_token": _csrf(page.text), "next": "/admin"},
        follow_redirects=False,
    )
    session_cookie = [c for c in r.headers.get_list("set-cookie") if c.startswith("ts_session=")]
    assert session_cookie and "Secure" in session_cookie[0] and "HttpOnly" in session_cookie[0]


def test_credentials_in_urls_are_masked_in_config_show_and_admin(
    db: Any, api_key: Callable[..., str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from townsquare.cli.main import app as cli
    from townsquare.settings import get_settings

    hook = "https://hookuser:hookpass@hooks.example/notify?token=tok123&x=1"
    monkeypatch.setenv("TOWNSQUARE_WEBHOOK_URL", hook)
    monkeypatch.setenv("TOWNSQUARE_REDIS_URL", "redis://:redispass@127.0.0.1:6379/0")
    get_settings.cache_clear()
    try:
        shown = CliRunner().invoke(cli, ["config", "show"]).output
    finally:
        get_settings.cache_clear()
    for secret in ("hookpass", "tok123", "redispass"):
        assert secret not in shown
    assert "hooks.example" in shown

    settings = Settings(database_url=db.url, dev_mode=True, webhook_url=hook, rate_limits_enabled=False)
    with TestClient(create_app(settings, db), raise_server_exceptions=False) as client:
        _login(client, api_key("admin", "boss"))
        page = client.get("/admin", headers=HTML)
        assert page.status_code == 200 and "hooks.example" in page.text
        assert "hookpass" not in page.text and "tok123" not in page.text
