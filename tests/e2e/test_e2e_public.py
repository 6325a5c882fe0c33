"""Flow: the public transparency page shows the new figures after a moderator acts and an advertiser's removal
demand is refused; a post's status page carries the label and statement of reasons."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # fixtures' types (conftest is not importable as a module)
    from conftest import LiveServer, Page

POST = {
    "id": "e2e-public-1",
    "author": "e2e-author-2",
    "lang": "en",
    "text": "Doctors confirmed that drinking bleach cures the flu, share before they delete it!",
}


def _kpis(page: Page) -> dict[str, str]:
    page.goto("/transparency")
    return {k: page.page.inner_text(f"#kpi-{k}") for k in ("actions", "demands", "decisions", "appeal-rate")}


def test_public_page_shows_the_new_figures(
    page: Page, new_page: Callable[[], Page], live_server: LiveServer, api: Callable[[str], Any]
) -> None:
    before = _kpis(page)
    page.shot("public-1-transparency-before")

    assert api("demo-ingest").post("/api/v1/posts", json=POST).status_code in (200, 201)
    label = api("demo-moderator").post(
        "/api/v1/actions",
        json={
            "subject_type": "post",
            "subject_id": POST["id"],
            "action": "label",
            "rule_id": "misinfo.harmful",
            "explanation": "Dangerous health claim contradicted by health authorities.",
        },
    )
    assert label.status_code == 201, label.text
    advertiser = new_page()
    advertiser.login(live_server.tokens["demo-advertiser"])
    advertiser.page.fill("#fb-target", POST["id"])
    advertiser.page.select_option("#fb-action", "remove")
    advertiser.page.click("form[action='/advertiser/feedback'] button[type=submit]")
    advertiser.page.wait_for_load_state()
    assert "Refused" in advertiser.page.locator(".flash").first.inner_text()

    after = _kpis(page)
    assert int(after["actions"]) >= int(before["actions"]) + 1
    assert int(after["demands"]) == int(before["demands"]) + 1
    assert page.page.locator("svg.chart").count() == 3
    page.shot("public-2-transparency-after")

    page.goto(f"/posts/{POST['id']}")
    main = page.page.inner_text("main")
    assert "labelled" in main and "misinfo.harmful" in main and "Statement of reasons" in main
    page.shot("public-3-post-status")
    page.page.click(".langs a[hreflang=fr]")
    page.page.wait_for_load_state()
    assert "Exposé des motifs" in page.page.inner_text("main")
    page.shot("public-4-post-status-fr")
