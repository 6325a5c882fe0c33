"""Flow: an advertiser sees what a stricter profile costs before saving it, sends feedback and stays on the same
profile, then drills from a brand-safety report figure (impressions next to floor-tier hate) into the posts behind
it — their public text and assessment, never their authors. The floor reads as risk (dark red), not green."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # fixtures' types (conftest is not importable as a module)
    from conftest import LiveServer, Page

GREENS = {"#3a9a5b", "#65a30d", "#166534", "#0f766e"}


def test_advertiser_drills_into_a_figure(page: Page, live_server: LiveServer) -> None:
    page.login(live_server.tokens["demo-advertiser"])
    estimate = page.page.locator("#inventory-estimate")
    assert "recent posts" in estimate.inner_text()
    assert estimate.get_attribute("data-lost") == "0"  # the saved profile costs nothing more than itself
    page.page.fill("#prof-keywords", "le\nthe\nla")  # much stricter, not saved
    page.page.wait_for_selector("#inventory-estimate:not([data-lost='0'])")
    assert "excludes" in page.page.inner_text("#cost-lost")
    page.shot("advertiser-5-inventory-cost")

    profiles = page.page.locator("nav ul.queue-list a")
    if profiles.count() > 1:  # feedback keeps the advertiser on the profile it was reading
        second = profiles.nth(1).get_attribute("href")
        assert second is not None
        page.goto(second)
        page.page.fill("#fb-target", "demo-001")
        page.page.select_option("#fb-action", "exclude_post")
        page.page.click("form[action='/advertiser/feedback'] button[type=submit]")
        page.page.wait_for_load_state()
        assert page.page.url.endswith(second)

    page.goto("/advertiser/report?days=365")
    segments = page.page.locator("svg.chart a rect").evaluate_all(
        "els => els.map(e => [e.getAttribute('fill'), e.textContent, e.parentElement.getAttribute('href')])"
    )
    floor = [fill for fill, title, _ in segments if " — floor:" in title]
    assert floor and set(floor) == {"#7f1d1d"} and not set(floor) & GREENS  # floor is dark red
    assert all(href.startswith("/advertiser/drilldown?") for _, _, href in segments)  # every segment drills
    page.shot("advertiser-6-report-drillable")

    figure = page.page.locator("#adjacent-table a[data-figure='hate_speech_aggression:floor']")
    count = int(figure.inner_text())
    figure.click()
    page.page.wait_for_load_state()
    assert "/advertiser/drilldown" in page.page.url
    assert f"{count} impressions" in page.page.inner_text("#drill-figure")
    posts = page.page.locator("#drill-posts li")
    assert posts.count() >= 1
    text = page.page.inner_text("main")
    shown = posts.evaluate_all("els => els.map(e => e.dataset.post)")
    from sqlalchemy import select

    from townsquare.storage.models import Post

    with live_server.session() as s:
        authors = set(s.scalars(select(Post.author_id).where(Post.id.in_(shown))))
    assert authors and not any(a in text for a in authors)  # public text and assessment, never who wrote it
    assert posts.first.locator(".badge.risk-floor").count() >= 1
    page.shot("advertiser-7-drilldown")
    page.page.click("text=Brand-safety report")
    page.page.wait_for_load_state()
    page.page.click("#kpi-impressions")  # every figure drills down, the headline count too
    page.page.wait_for_load_state()
    assert "All impressions" in page.page.inner_text("#drill-figure")
