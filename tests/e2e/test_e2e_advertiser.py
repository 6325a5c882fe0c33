"""Flow: an advertiser tightens its suitability profile and watches the live preview change before saving; then
reads its brand-safety report and downloads the CSV. A removal demand is refused (and counted publicly)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # fixtures' types (conftest is not importable as a module)
    from conftest import LiveServer, Page

POST = {
    "id": "e2e-ad-jazz",
    "author": "e2e-musician",
    "lang": "fr",
    "text": "Concert de jazz ce soir au parc, entrée libre, venez nombreux avec vos enfants !",
}
ROW = f"#preview-result tr[data-post='{POST['id']}']"


def test_advertiser_tightens_profile_and_sees_preview_change(
    page: Page, live_server: LiveServer, api: Callable[[str], Any]
) -> None:
    assert api("demo-ingest").post("/api/v1/posts", json=POST).status_code in (200, 201)
    page.login(live_server.tokens["demo-advertiser"])
    assert page.page.url.endswith("/advertiser")
    if not page.page.input_value("input[name=profile_id]"):  # no profile yet: save the default one first
        page.page.fill("#prof-name", "Brand default")
        page.page.click("#save-profile")
        page.page.wait_for_load_state()
        assert "Profile saved" in page.page.locator(".flash").first.inner_text()
    version_before = page.page.inner_text("#h-prof .badge")

    page.page.fill("#prof-keywords", "")
    page.page.select_option("#preview-posts", [POST["id"]])
    page.page.wait_for_selector(f"{ROW} .eligible")
    page.shot("advertiser-1-preview-eligible")

    page.page.fill("#prof-keywords", "jazz")  # typing updates the preview without saving
    page.page.wait_for_selector(f"{ROW} .ineligible")
    assert "excluded keyword" in page.page.inner_text(ROW)
    page.page.select_option("#prof-preset", "conservative")
    page.page.wait_for_selector(f"{ROW} .ineligible")
    assert page.page.inner_text("#tier-adult_sexual option[value='']").startswith("low")
    page.shot("advertiser-2-preview-keyword-excluded")
    assert page.page.inner_text("#h-prof .badge") == version_before  # nothing saved yet

    page.page.click("#save-profile")
    page.page.wait_for_load_state()
    assert "Profile saved" in page.page.locator(".flash").first.inner_text()
    assert page.page.inner_text("#h-prof .badge") != version_before
    assert page.page.input_value("#prof-keywords") == "jazz"
    assert page.page.input_value("#prof-preset") == "conservative"
    page.shot("advertiser-3-saved")

    # the post itself is untouched: advertiser settings decide only where ads go
    assert api("demo-ingest").get(f"/api/v1/posts/{POST['id']}").json()["visibility"] == "visible"

    page.goto("/advertiser/report")
    assert page.page.locator("#kpi-impressions").count() == 1
    assert page.page.locator("svg.chart").count() == 2
    page.shot("advertiser-4-report")
    with page.page.expect_download() as download:
        page.page.click("#csv-link")
    csv_path = download.value.path()
    assert csv_path is not None
    with open(csv_path, encoding="utf-8") as fh:
        assert fh.readline().strip() == "metric,campaign,category,tier,value"

    page.goto("/advertiser")
    page.page.fill("#fb-target", POST["id"])
    page.page.select_option("#fb-action", "remove")
    page.page.click("form[action='/advertiser/feedback'] button[type=submit]")
    page.page.wait_for_load_state()
    assert "Refused" in page.page.locator(".flash").first.inner_text()
    assert api("demo-ingest").get(f"/api/v1/posts/{POST['id']}").json()["visibility"] == "visible"
