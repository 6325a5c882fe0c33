"""Flow: a user reports a post through the platform; a moderator finds it in its queue, claims it with the
keyboard, decides it under a rule; the post's public page shows the decision and its statement of reasons; the
reporter is told the outcome."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # fixtures' types (conftest is not importable as a module)
    from conftest import LiveServer, Page

POST = {
    "id": "e2e-mod-1",
    "author": "e2e-author-1",
    "text": "Hey @sam you are a pathetic loser and everyone at school laughs at you, just disappear.",
    "lang": "en",
}


def test_moderator_resolves_a_reported_post(
    page: Page, live_server: LiveServer, api: Callable[[str], Any]
) -> None:
    platform = api("demo-ingest")
    assert platform.post("/api/v1/posts", json=POST).status_code in (200, 201)
    report = platform.post(
        "/api/v1/reports",
        json={
            "subject_type": "post",
            "subject_id": POST["id"],
            "reason": "harassment",
            "text": "This is bullying a kid from my school.",
            "reporter_id": "e2e-reporter-1",
        },
    )
    assert report.status_code == 201, report.text
    case_id = report.json()["case_id"]
    assert case_id

    page.login(live_server.tokens["demo-moderator"])
    assert page.page.url.endswith("/moderation")
    queue = api("demo-moderator").get(f"/api/v1/cases/{case_id}").json()["case"]["queue"]
    page.goto(f"/moderation?queue={queue}")
    page.shot("moderation-1-queue")
    row = page.page.locator(f"#cases a[href='/moderation/cases/{case_id}']")
    assert row.count() == 1
    row.click()
    page.page.wait_for_url(f"**/moderation/cases/{case_id}")
    page.assert_labelled()
    assert POST["id"] in page.page.inner_text("main")
    assert page.page.locator("h2#h-rep").count() == 1  # the report is on the case page

    box = page.page.locator("#post-box")
    if "blurred" in (box.get_attribute("class") or ""):  # severe content starts blurred; b reveals it
        page.page.keyboard.press("b")
        assert "blurred" not in (box.get_attribute("class") or "")
        page.page.keyboard.press("b")
        assert "blurred" in (box.get_attribute("class") or "")
    page.page.keyboard.press("c")  # shortcut: claim
    page.page.wait_for_selector("#decide-form")
    page.assert_labelled()
    assert "claimed" in page.page.locator(".flash").first.inner_text()
    page.page.keyboard.press("d")  # shortcut: focus the decision
    assert page.page.evaluate("document.activeElement.id") == "decide-action"
    page.page.select_option("#decide-action", "remove")
    rules: list[str] = page.page.eval_on_selector_all("#decide-rule option", "els => els.map(e => e.value)")
    rule = next(r for r in rules if r.startswith("harassment.targeted"))
    page.page.select_option("#decide-rule", rule)
    page.page.fill("#decide-explanation", "Targeted bullying of a minor, confirmed by the report.")
    page.page.fill("#decide-note", "Reporter is a classmate; see the school thread.")
    page.shot("moderation-2-case-claimed")
    page.page.click("#decide-submit")
    page.page.wait_for_url("**/moderation?queue=*")
    assert f"Case {case_id} decided." in page.page.locator(".flash").first.inner_text()
    assert page.page.locator(f"#cases a[href='/moderation/cases/{case_id}']").count() == 0
    page.shot("moderation-3-queue-after")

    page.goto(f"/posts/{POST['id']}")
    main = page.page.inner_text("main")
    assert "removed" in main
    assert "harassment.targeted" in main
    page.shot("moderation-4-post-status")

    notes = platform.get("/api/v1/notifications", params={"recipient_id": "e2e-reporter-1"}).json()
    assert any(n["report_id"] == report.json()["id"] for n in notes["notifications"]), notes
