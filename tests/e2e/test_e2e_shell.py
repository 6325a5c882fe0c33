"""The shell every console shares: landing page, language switch, sign-in and out, admin page, errors, phone."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # fixtures' types (conftest is not importable as a module)
    from conftest import LiveServer, Page


def test_landing_explains_and_switches_language(page: Page) -> None:
    page.goto("/")
    assert page.page.locator("html").get_attribute("lang") == "en"
    assert page.page.locator("h1").inner_text().startswith("A public town square")
    for href in ("/transparency", "/moderation", "/council", "/advertiser", "/admin"):
        assert page.page.locator(f".cards a[href='{href}']").count() == 1
    page.shot("shell-home-en")
    page.page.click(".langs a[hreflang=fr]")
    page.page.wait_for_load_state()
    assert page.page.locator("html").get_attribute("lang") == "fr"
    assert "Une place publique" in page.page.locator("h1").inner_text()
    page.goto("/transparency")  # the cookie keeps French
    assert page.page.locator("h1").inner_text() == "Transparence"
    page.shot("shell-transparency-fr")


def test_sign_in_admin_keys_and_sign_out(page: Page, live_server: LiveServer) -> None:
    page.goto("/admin")
    assert "/login?next=%2Fadmin" in page.page.url
    page.page.fill("#api-key", live_server.tokens["demo-admin"])
    page.page.click("form[action='/login'] button[type=submit]")
    page.page.wait_for_url("**/admin")
    page.assert_labelled()
    assert page.page.locator("#policy-version").inner_text()
    settings = page.page.locator("#settings").inner_text()
    assert "secret_key" in settings and "********" in settings and "e2e-secret-key" not in settings
    page.page.fill("#key-name", "e2e-auditor")
    page.page.select_option("#key-role", "auditor")
    page.page.click("form[action='/admin/keys'] button[type=submit]")
    page.page.wait_for_load_state()
    new_key = page.page.locator("#new-key").inner_text()
    assert new_key.startswith("ts_")
    page.shot("shell-admin-key-created")
    page.page.once("dialog", lambda dialog: dialog.accept())  # revoking asks for confirmation first
    page.page.click("button[aria-label='Revoke e2e-auditor']")
    page.page.wait_for_load_state()
    assert "revoked" in page.page.locator(".flash[role=status]").inner_text()
    page.logout()
    assert page.page.locator("a[href='/login']").count() == 1
    page.goto("/admin")
    assert "/login" in page.page.url


def test_wrong_role_and_unknown_post_are_html_pages(page: Page, live_server: LiveServer) -> None:
    page.login(live_server.tokens["demo-advertiser"])
    response = page.page.goto(live_server.url + "/moderation")
    assert response is not None and response.status == 403
    assert "may not open this page" in page.page.inner_text("main")
    response = page.page.goto(live_server.url + "/posts/no-such-post")
    assert response is not None and response.status == 404
    page.shot("shell-404")
    page.errors.clear()  # the browser logs the 403/404 responses themselves; nothing else may be logged


def test_phone_layout_has_no_horizontal_scroll(phone: Page, live_server: LiveServer) -> None:
    phone.login(live_server.tokens["demo-moderator"])
    for path, name in (
        ("/", "phone-home"),
        ("/moderation", "phone-moderation"),
        ("/transparency", "phone-transparency"),
    ):
        phone.goto(path)
        overflow: Any = phone.page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, f"{path} scrolls sideways by {overflow}px"
        phone.shot(name)


def test_keyboard_only_navigation(page: Page) -> None:
    page.goto("/")
    page.page.keyboard.press("Tab")
    assert page.page.evaluate("document.activeElement.className") == "skip"
    page.page.keyboard.press("g")
    page.page.keyboard.press("t")
    page.page.wait_for_url("**/transparency")
    page.page.keyboard.press("?")
    assert page.page.locator("dialog#shortcuts[open]").count() == 1
