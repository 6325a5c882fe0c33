"""Browser fixtures: a real uvicorn server over a fresh migrated SQLite database with the demo data, and Debian's
Chromium driven headless by Playwright.

Without /usr/bin/chromium the tests are skipped with the reason, except under CI=true where they fail: the browser
flows are part of what CI proves. Screenshots go to var/screenshots/ (kept for review, ignored by git).
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"

pytestmark = pytest.mark.e2e


def _browser_missing() -> str | None:
    if not Path(CHROMIUM).exists():
        return f"{CHROMIUM} is missing (apt-get install chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright is not installed"
    return None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    reason = _browser_missing()
    if reason is None or IN_CI:  # under CI the `browser` fixture fails instead
        return
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.skip(reason=f"browser tests skipped: {reason}"))


@dataclass
class LiveServer:
    url: str
    db_url: str
    tokens: dict[str, str]
    database: Any
    extra: dict[str, Any] = field(default_factory=dict)

    def session(self) -> Any:
        return self.database.session()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    import uvicorn

    from townsquare.api.app import create_app
    from townsquare.demo import loader
    from townsquare.settings import Settings
    from townsquare.storage import migrate
    from townsquare.storage.db import Database

    path = tmp_path_factory.mktemp("e2e") / "e2e.db"
    url = f"sqlite:///{path}"
    migrate.upgrade(url)
    database = Database(url)
    with database.session() as s:
        result = loader.load(s, with_keys=True)
    settings = Settings(database_url=url, dev_mode=True, secret_key="e2e-secret-key-not-default")  # type: ignore[arg-type]
    app = create_app(settings, database)
    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    )
    thread = threading.Thread(target=server.run, name="e2e-uvicorn", daemon=True)
    thread.start()
    for _ in range(500):  # the server starts in well under a second; this only bounds a broken start
        if server.started:
            break
        if not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.02)
    yield LiveServer(url=f"http://127.0.0.1:{port}", db_url=url, tokens=dict(result.keys), database=database)
    server.should_exit = True
    thread.join(timeout=10)
    database.dispose()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    reason = _browser_missing()
    if reason:
        if IN_CI:
            pytest.fail(f"CI=true but the browser tests cannot run: {reason}")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture(scope="session")
def screenshots() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


class Page:
    """A Playwright page that records console errors and failed requests, with the flows' helpers."""

    def __init__(self, page: Any, server: LiveServer, shots: Path) -> None:
        self.page = page
        self.server = server
        self.shots = shots
        self.errors: list[str] = []
        page.on("console", lambda m: self.errors.append(f"console: {m.text}") if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(f"pageerror: {e}"))

    def goto(self, path: str) -> Any:
        response = self.page.goto(self.server.url + path)
        self.assert_labelled()
        return response

    def login(self, token: str) -> None:
        self.goto("/login")
        self.page.fill("#api-key", token)
        self.page.click("form[action='/login'] button[type=submit]")
        self.page.wait_for_load_state()

    def logout(self) -> None:
        self.page.click("form[action='/logout'] button")
        self.page.wait_for_load_state()

    def shot(self, name: str, full_page: bool = True) -> Path:
        target = self.shots / f"{name}.png"
        self.page.screenshot(path=str(target), full_page=full_page)
        return target

    def unlabelled_fields(self) -> list[str]:
        """Every visible input, select and textarea must have a label (label[for], wrapping label or aria)."""
        result: list[str] = self.page.evaluate(
            """() => Array.from(document.querySelectorAll('input, select, textarea'))
                .filter(el => !['hidden', 'submit', 'button', 'reset', 'image'].includes(el.type))
                .filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label')
                              && !el.getAttribute('aria-labelledby'))
                .map(el => el.outerHTML.slice(0, 120))"""
        )
        return result

    def assert_labelled(self) -> None:
        missing = self.unlabelled_fields()
        assert not missing, f"form fields without a label on {self.page.url}: {missing}"


def _make_page(browser: Any, live_server: LiveServer, screenshots: Path, **context: Any) -> Iterator[Page]:
    ctx = browser.new_context(**context)
    page = Page(ctx.new_page(), live_server, screenshots)
    yield page
    ctx.close()
    assert not page.errors, f"console errors: {page.errors}"


@pytest.fixture
def page(browser: Any, live_server: LiveServer, screenshots: Path) -> Iterator[Page]:
    yield from _make_page(browser, live_server, screenshots, viewport={"width": 1280, "height": 860})


@pytest.fixture
def phone(browser: Any, live_server: LiveServer, screenshots: Path) -> Iterator[Page]:
    yield from _make_page(
        browser,
        live_server,
        screenshots,
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        has_touch=True,
        device_scale_factor=2,
    )


@pytest.fixture
def new_page(browser: Any, live_server: LiveServer, screenshots: Path) -> Iterator[Callable[[], Page]]:
    """A factory for extra browser contexts (a second moderator, a council member each)."""
    made: list[Iterator[Page]] = []

    def make() -> Page:
        gen = _make_page(browser, live_server, screenshots, viewport={"width": 1280, "height": 860})
        made.append(gen)
        return next(gen)

    yield make
    for gen in made:
        next(gen, None)


@pytest.fixture
def api(live_server: LiveServer) -> Iterator[Callable[[str], Any]]:
    """api(key_name_or_token) -> an httpx client acting as the platform / a person through the real API."""
    import httpx

    clients: list[Any] = []

    def make(who: str) -> Any:
        token = live_server.tokens.get(who, who)
        c = httpx.Client(base_url=live_server.url, headers={"Authorization": f"Bearer {token}"}, timeout=30)
        clients.append(c)
        return c

    yield make
    for c in clients:
        c.close()


@pytest.fixture(scope="session")
def make_key(live_server: LiveServer) -> Callable[..., str]:
    """make_key(role, name, advertiser_id=None) -> raw token (through access.keys, as `townsquare keys create`)."""
    from townsquare.access.keys import create_key

    def make(role: str, name: str, advertiser_id: str | None = None) -> str:
        if name in live_server.tokens:
            return live_server.tokens[name]
        with live_server.session() as s:
            _, token = create_key(s, role=role, name=name, advertiser_id=advertiser_id, actor="e2e")
        live_server.tokens[name] = token
        return token

    return make
