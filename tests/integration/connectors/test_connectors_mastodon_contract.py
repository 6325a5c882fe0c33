"""Mastodon contract tests: signed admin webhooks in (through the real ASGI app), admin API calls out through
Mastodon.py to a local double that implements exactly the documented endpoints (mastodon_double.py), with the
recorded payloads of tests/fixtures/mastodon. The whole path is real: webhook -> ingest -> classify -> policy ->
report -> case -> a moderator's decision -> outbox -> Mastodon.py -> HTTP.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from mastodon_double import FIXTURES, MastodonDouble, running
from sqlalchemy import select

from townsquare.connectors import config, outbox
from townsquare.connectors.config import MastodonConfig
from townsquare.connectors.mastodon import outbound, signature
from townsquare.core import clock
from townsquare.moderation.claims import claim
from townsquare.moderation.decisions import decide
from townsquare.policy.enforce import reverse_action
from townsquare.storage.db import Database
from townsquare.storage.models import Account, ConnectorLink, ConnectorOutbox, Post, Report

SECRET = "whsec-test-0123456789"
TOKEN = "mastodon-admin-token"
HOOK = "/api/v1/connectors/mastodon/webhook"
STATUS = "mastodon:status:113555000000000101"
AUTHOR = "mastodon:account:110000000000000042"
REPORTER = "mastodon:account:110000000000000077"


def payload(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def post_hook(client: Any, body: bytes, secret: str = SECRET) -> Any:
    return client.post(
        HOOK,
        content=body,
        headers={"Content-Type": "application/json", signature.HEADER: signature.sign(secret, body)},
    )


@pytest.fixture
def masto(db: Database) -> Any:
    state = MastodonDouble(token=TOKEN, accounts={"110000000000000042"}, reports={"9012", "9013"})
    with running(state) as double:
        with db.session() as s:
            config.save(
                s,
                config.MASTODON_KEY,
                {"url": double.url, "token": TOKEN, "webhook_secret": SECRET},
                actor="test",
            )
        yield double


def cfg(db: Database) -> MastodonConfig:
    with db.session() as s:
        return config.mastodon(s)


def test_status_webhook_becomes_a_post(client: Any, db: Database, masto: MastodonDouble) -> None:
    r = post_hook(client, payload("status_created.json"))
    assert r.status_code == 200, r.text
    assert r.json()["posts"][0] == {"id": STATUS, "status": "accepted", "code": 201}
    with db.session() as s:
        post = s.get(Post, STATUS)
        assert post is not None
        assert post.author_id == AUTHOR and post.lang == "fr"
        assert post.reply_to == "mastodon:status:113554999999999900"
        assert post.text == (
            "Ces gens-là ne sont que des parasites, il faut les chasser.\n\nLisez ça\u00a0: example.org/tract-lo"
        )
        account = s.get(Account, AUTHOR)
        assert account is not None and account.handle == "corentin" and account.display_name == "Corentin L."
    again = post_hook(client, payload("status_created.json"))
    assert again.json()["posts"][0]["status"] == "duplicate"
    edited = post_hook(client, payload("status_updated.json")).json()["posts"][0]
    assert edited["status"] == "accepted" and edited["id"] == f"{STATUS}:edit:2026-11-30T18:09:40.000Z"


@pytest.mark.parametrize(
    ("headers", "status"),
    [({}, 401), ({signature.HEADER: "sha256=" + "0" * 64}, 401), ({signature.HEADER: "garbage"}, 401)],
)
def test_unsigned_or_forged_webhook_is_refused_and_changes_nothing(
    client: Any, db: Database, masto: MastodonDouble, headers: dict[str, str], status: int
) -> None:
    r = client.post(HOOK, content=payload("status_created.json"), headers=headers)
    assert r.status_code == status
    assert r.headers["content-type"].startswith("application/problem+json")
    with db.session() as s:
        assert s.get(Post, STATUS) is None


def test_signed_garbage_is_422_and_a_tampered_body_401(
    client: Any, db: Database, masto: MastodonDouble
) -> None:
    assert post_hook(client, b"{not json").status_code == 422
    assert post_hook(client, b'{"event": "status.created", "object": {"id": "1"}}').status_code == 422
    body = payload("status_created.json")
    good = signature.sign(SECRET, body)
    tampered = body.replace(b"parasites", b"voisins!!")
    assert client.post(HOOK, content=tampered, headers={signature.HEADER: good}).status_code == 401
    with db.session() as s:
        assert s.scalars(select(Post)).first() is None


def test_no_secret_configured_is_401_and_says_what_to_set(client: Any, db: Database) -> None:
    r = post_hook(client, payload("account_created.json"))
    assert r.status_code == 401 and "--webhook-secret" in r.json()["detail"]
    with db.session() as s:
        assert s.get(Account, "mastodon:account:110000000000000099") is None


def test_account_created_and_unknown_events(client: Any, db: Database, masto: MastodonDouble) -> None:
    assert post_hook(client, payload("account_created.json")).json()["accounts"] == [
        "mastodon:account:110000000000000099"
    ]
    ignored = post_hook(client, json.dumps({"event": "account.approved", "object": {}}).encode())
    assert ignored.status_code == 200 and ignored.json()["status"] == "ignored"


def test_report_webhook_becomes_reports_with_rules_and_statuses(
    client: Any, db: Database, masto: MastodonDouble
) -> None:
    r = post_hook(client, payload("report_created.json"))
    assert r.status_code == 200, r.text
    spam = post_hook(client, payload("report_created_spam_account.json"))
    assert spam.status_code == 200, spam.text
    with db.session() as s:
        on_post = s.scalars(select(Report).where(Report.subject_type == "post")).one()
        assert (on_post.reporter_id, on_post.subject_id, on_post.reason) == (REPORTER, STATUS, "other")
        text = on_post.texts[0]["text"]
        assert "rule 3: Pas de discours déshumanisant" in text and "Il traite des gens de parasites." in text
        assert on_post.case_id is not None
        on_account = s.scalars(select(Report).where(Report.subject_type == "account")).one()
        assert (on_account.subject_id, on_account.reason) == (AUTHOR, "spam")
        links = s.scalars(select(ConnectorLink).where(ConnectorLink.remote_kind == "report")).all()
        assert sorted((link.remote_id, link.extra["rule_ids"]) for link in links) == [
            ("9012", ["3"]),
            ("9013", []),
        ]
    # A redelivered report changes nothing.
    assert post_hook(client, payload("report_created.json")).status_code == 200
    with db.session() as s:
        assert len(s.scalars(select(Report)).all()) == 2


def _decide_post_case(db: Database, action: str = "limit_reach") -> int:
    with db.session() as s:
        report = s.scalars(select(Report).where(Report.subject_id == STATUS)).one()
        assert report.case_id is not None
        claim(s, case_id=report.case_id, moderator="mod:ana")
        decision = decide(
            s,
            case_id=report.case_id,
            moderator="mod:ana",
            action=action,
            rule_id="hate.dehumanisation",
            explanation="Calling a group of people parasites dehumanises them.",
        )
        assert decision.action_id is not None
        return int(decision.action_id)


def test_decision_flows_back_as_an_admin_action_and_a_resolved_report(
    client: Any, db: Database, masto: MastodonDouble, monkeypatch: pytest.MonkeyPatch
) -> None:
    from townsquare.settings import get_settings

    monkeypatch.setenv("TOWNSQUARE_PUBLIC_URL", "https://moderation.town.example")
    get_settings.cache_clear()
    post_hook(client, payload("report_created.json"))
    action_id = _decide_post_case(db)
    with db.session() as s:
        queued = outbound.plan(s, config.mastodon(s))
        assert queued == 2  # the account action and the report resolution (automated measures stay home)
        assert outbound.plan(s, config.mastodon(s)) == 0
    result = outbound.deliver(db, cfg(db), timeout=60)
    assert result.to_dict() == {"done": 2, "skipped": 0, "retrying": 0, "failed": 0}
    action_call, resolve_call = masto.admin_calls()
    assert action_call.path == "/api/v1/admin/accounts/110000000000000042/action"
    assert action_call.auth == f"Bearer {TOKEN}"
    assert action_call.form["type"] == "silence" and action_call.form["report_id"] == "9012"
    text = action_call.form["text"]
    assert "Calling a group of people parasites dehumanises them." in text
    assert "https://moderation.town.example/posts/mastodon%3Astatus%3A113555000000000101" in text
    assert "Decision ts-" in text
    assert resolve_call.path == "/api/v1/admin/reports/9012/resolve"
    assert outbound.deliver(db, cfg(db), timeout=60).to_dict() == {
        "done": 0,
        "skipped": 0,
        "retrying": 0,
        "failed": 0,
    }
    assert len(masto.admin_calls()) == 2
    with db.session() as s:
        reverse_action(s, action_id=action_id, actor="mod:ben", reason="Appeal: quoted to criticise it.")
        assert outbound.plan(s, config.mastodon(s)) == 1
    outbound.deliver(db, cfg(db), timeout=60)
    assert masto.admin_calls()[-1].path == "/api/v1/admin/accounts/110000000000000042/unsilence"
    get_settings.cache_clear()


def test_outbox_retries_with_backoff_and_survives_a_restart(
    client: Any, db: Database, db_url: str, masto: MastodonDouble
) -> None:
    post_hook(client, payload("report_created.json"))
    _decide_post_case(db, action="remove")
    with db.session() as s:
        outbound.plan(s, config.mastodon(s))
    masto.fail_next = 100
    first = outbound.deliver(db, cfg(db), timeout=60)
    assert first.retrying == 2 and first.done == 0
    with db.session() as s:
        rows = s.scalars(select(ConnectorOutbox).order_by(ConnectorOutbox.id)).all()
        assert all(r.status == "pending" and r.attempts == 1 and r.next_at > clock.now() for r in rows)
    assert outbound.deliver(db, cfg(db), timeout=60).to_dict()["retrying"] == 0  # not due yet: nothing sent
    masto.fail_next = 0
    clock.advance(outbox.backoff(1) + 1)
    restarted = Database(db_url)  # a new process: only the database carries the outbox
    try:
        again = outbound.deliver(restarted, cfg(restarted), timeout=60)
    finally:
        restarted.dispose()
    assert again.done == 2
    action_call = next(c for c in masto.admin_calls() if c.form.get("type"))
    assert (
        action_call.form["type"] == "none"
    )  # removal: a warning with the statement (no status deletion API)


def test_what_has_no_equivalent_is_skipped_visibly_and_refusals_fail_at_once(
    client: Any, db: Database, masto: MastodonDouble
) -> None:
    post_hook(client, payload("report_created.json"))
    _decide_post_case(db, action="label")
    with db.session() as s:
        outbound.plan(s, config.mastodon(s))
    masto.accounts.clear()  # the instance no longer knows the account
    result = outbound.deliver(db, cfg(db), timeout=60)
    assert result.skipped == 1 and result.done == 1  # the label has no equivalent; the report is resolved
    with db.session() as s:
        skipped = s.scalars(select(ConnectorOutbox).where(ConnectorOutbox.status == "skipped")).one()
        assert "no Mastodon equivalent" in (skipped.error or "")
        outbox.enqueue(
            s,
            connector="mastodon",
            key="account:404:action:1",
            kind="account_action",
            payload={"account_id": "404", "type": "silence", "text": "x"},
        )
    assert outbound.deliver(db, cfg(db), timeout=60).failed == 1


def test_fixture_payloads_are_documented_shapes() -> None:
    for name in ("status_created.json", "status_updated.json", "report_created.json", "account_created.json"):
        doc = json.loads(Path(FIXTURES / name).read_text(encoding="utf-8"))
        assert set(doc) == {"event", "created_at", "object"}
