"""Flow: an auditor signs in, reads the audit chain's status (hash chain, sealed statements, recomputed states),
draws a seeded sample of decisions, opens one decision's evidence and statement of reasons, re-draws the same
sample from its link, checks a public figure against its source rows and downloads the DSA statements."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # fixtures' types (conftest is not importable as a module)
    from conftest import LiveServer, Page


def test_auditor_samples_a_decision(page: Page, live_server: LiveServer) -> None:
    page.login(live_server.tokens["demo-auditor"])
    assert page.page.url.endswith("/auditor")  # the auditor's home
    status = page.page.inner_text("#chain-status")
    assert "Hash chain verifies" in status and "State recomputation" in status
    assert page.page.locator("#chain-status .badge.bad").count() == 0
    page.shot("auditor-1-chain")

    page.page.fill("#s-seed", "2026")
    page.page.fill("#s-n", "5")
    page.page.click("#draw-sample")
    page.page.wait_for_load_state()
    assert "seed 2026" in page.page.inner_text("#sample-seed")
    drawn = page.page.locator("article.sampled").evaluate_all("els => els.map(e => e.id)")
    assert 1 <= len(drawn) <= 5
    first = page.page.locator("article.sampled").first
    assert "PUID" in first.inner_text()
    first.locator("details summary").click()
    statement = json.loads(first.locator("pre.statement-json").inner_text())
    assert statement["decision_ground"] and statement["puid"]
    assert first.locator("table.data tbody tr").count() >= 1  # the audit records naming it
    page.shot("auditor-2-sample")

    page.page.click("#sample-seed a:first-of-type")  # the permalink re-draws the same sample
    page.page.wait_for_load_state()
    assert page.page.locator("article.sampled").evaluate_all("els => els.map(e => e.id)") == drawn

    page.goto("/auditor/sources")
    actions = page.page.locator("#source-actions")
    assert "agrees" in actions.inner_text()
    actions.locator("summary").click()
    assert actions.locator("tbody tr").count() == int(actions.locator(".published").inner_text())
    page.shot("auditor-3-sources")

    page.goto("/auditor")
    with page.page.expect_download() as download:
        page.page.click("#export-statements")
    path = download.value.path()
    assert path is not None
    with open(path, encoding="utf-8") as fh:
        assert all(json.loads(line)["puid"] for line in fh if line.strip())
    assert (
        page.page.locator("form[method=post]").count() == 1
    )  # only the sign-out form: nothing to write here
