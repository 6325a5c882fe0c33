"""Flow: two admins activate a policy. The first uploads a policy file; a broken one is refused with the `policy
check` messages; a valid one is checked and replayed against the stored posts, and the proposer is told a second
admin must approve. A second, different admin reads the diff and approves (after a confirmation); the new policy is
in force. Safe defaults: the key form preselects the least-privileged role, revoking asks first, the settings show
the port the server really answers on."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:  # fixtures' types (conftest is not importable as a module)
    from conftest import LiveServer, Page

VERSION = "2026.12-e2e-admin"


def _candidate(tmp_path: Path) -> Path:
    from townsquare.policy.engine import PACKAGED_DEFAULT

    text = PACKAGED_DEFAULT.read_text(encoding="utf-8").replace(
        'version: "2026.11-1"', f'version: "{VERSION}"', 1
    )
    target = tmp_path / "candidate.yaml"
    target.write_text(text.replace("action: remove", "action: label", 1), encoding="utf-8")
    return target


@pytest.fixture
def restore_policy(live_server: LiveServer) -> Iterator[None]:
    """Later browser tests share this server: put the policy that was in force back (two admins, as always)."""
    from townsquare.policy import activation
    from townsquare.policy.engine import current_policy

    with live_server.session() as s:
        before = current_policy(s).source
    yield
    with live_server.session() as s:
        if current_policy(s).source != before:
            change = activation.propose_policy(s, source=before, actor="e2e-restore-a")
            activation.approve(s, change_id=change.id, actor="e2e-restore-b")


def test_two_admins_activate_a_policy(
    page: Page,
    new_page: Callable[[], Page],
    live_server: LiveServer,
    make_key: Callable[..., str],
    tmp_path: Path,
    restore_policy: None,
) -> None:
    page.login(live_server.tokens["demo-admin"])
    page.goto("/admin")
    assert page.page.input_value("#key-role") == "auditor"  # least privilege preselected
    port = live_server.url.rsplit(":", 1)[1]
    assert page.page.inner_text("#settings tr:has(code:text-is('port')) td:nth-child(2)") == port
    dialogs: list[str] = []
    page.page.once("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.page.click("button[aria-label='Revoke demo-admin']")  # own key: asked, dismissed, nothing happens
    assert dialogs and "YOUR key" in dialogs[0]
    assert page.page.url.endswith("/admin")
    page.shot("admin-1-console")

    page.page.click("#policies-link")
    page.page.wait_for_load_state()
    before = page.page.inner_text("#policy-in-force")
    page.page.fill("#pol-source", "name: broken\nversion: 1\nrules: []\n")
    page.page.click("#propose-policy")
    page.page.wait_for_load_state()
    assert "policy:" in page.page.inner_text("#check-problems")  # the check's messages, nothing saved
    assert page.page.locator("article[data-status=pending]").count() == 0
    assert page.errors == [  # the refusal is a 4xx page, which Chromium logs; nothing else went wrong
        "console: Failed to load resource: the server responded with a status of 422 (Unprocessable Entity)"
    ]
    page.errors.clear()

    page.page.set_input_files("#pol-file", str(_candidate(tmp_path)))
    page.page.fill("#pol-reason", "Remove becomes a label for the first rule")
    page.page.click("#propose-policy")
    page.page.wait_for_load_state()
    change = page.page.locator("article[data-status=pending]").first
    assert VERSION in change.inner_text()
    assert "stored posts would get another decision" in change.inner_text()
    assert change.locator("button.approve").count() == 0  # the proposer cannot approve
    assert "second, different admin" in change.inner_text()
    assert page.page.inner_text("#policy-in-force") == before
    page.shot("admin-2-policy-proposed")

    second = new_page()
    second.login(make_key("admin", "e2e-admin-second"))
    second.goto("/admin/policies")
    pending = second.page.locator("article[data-status=pending]").first
    second.page.once("dialog", lambda d: d.accept())
    pending.locator("button.approve").click()
    second.page.wait_for_load_state()
    assert "is in force" in second.page.locator(".flash").first.inner_text()
    assert VERSION in second.page.inner_text("#policy-in-force")
    assert second.page.locator("article[data-status=activated]").count() >= 1
    second.shot("admin-3-policy-activated")

    from townsquare.policy.engine import current_policy

    with live_server.session() as s:
        assert current_policy(s).version == VERSION
