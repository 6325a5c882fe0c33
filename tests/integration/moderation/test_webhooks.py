"""Outbound webhook against a real HTTP server on 127.0.0.1: signed bodies, retries with backoff, give-up."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator

import pytest
from moderation_helpers import report_post
from sqlalchemy import select

from townsquare.core import clock
from townsquare.moderation import claims, decisions, webhooks
from townsquare.settings import get_settings
from townsquare.storage.db import Database
from townsquare.storage.models import Case, Notification
from webhook_receiver import Receiver, receiving

SECRET = "whsec-test"


@pytest.fixture
def receiver(monkeypatch: pytest.MonkeyPatch) -> Iterator[Receiver]:
    with receiving(monkeypatch, SECRET) as r:
        yield r


def _decided_report(db: Database, post: Callable[..., str]) -> None:
    post("p1")
    case_id = report_post(db)
    with db.session() as s:
        claims.claim(s, case_id=case_id, moderator="mod-a")
        decisions.decide(s, case_id=case_id, moderator="mod-a", action="none", rule_id="hate.derogation")


def _note(db: Database) -> Notification:
    with db.session() as s:
        return s.scalars(select(Notification)).one()


def test_signed_delivery_with_retry_and_backoff(
    db: Database, post: Callable[..., str], receiver: Receiver
) -> None:
    _decided_report(db, post)
    assert _note(db).webhook_status == "pending"
    receiver.statuses = [500, 503]

    assert webhooks.deliver_pending(db).retrying == 1
    note = _note(db)
    assert note.webhook_attempts == 1 and note.webhook_error == "HTTP 500"
    assert note.webhook_next_at is not None
    wait = (note.webhook_next_at - clock.now()).total_seconds()
    assert webhooks.BASE_DELAY - 5 < wait <= webhooks.BASE_DELAY
    assert webhooks.deliver_pending(db).to_dict() == {
        "delivered": 0,
        "retrying": 0,
        "failed": 0,
    }  # not due yet

    clock.advance(webhooks.backoff(1) + 1)
    assert webhooks.deliver_pending(db).retrying == 1
    note = _note(db)
    assert note.webhook_attempts == 2
    assert (note.webhook_next_at - clock.now()).total_seconds() > webhooks.BASE_DELAY  # type: ignore[operator]

    clock.advance(webhooks.backoff(2) + 1)
    assert webhooks.deliver_pending(db).delivered == 1
    assert _note(db).webhook_status == "delivered"
    assert len(receiver.received) == 3

    last = receiver.received[-1]
    headers = {k.lower(): v for k, v in last["headers"].items()}
    assert webhooks.verify(
        SECRET, headers["x-townsquare-timestamp"], last["body"], headers["x-townsquare-signature"]
    )
    assert not webhooks.verify(
        "wrong", headers["x-townsquare-timestamp"], last["body"], headers["x-townsquare-signature"]
    )
    doc = json.loads(last["body"])
    assert doc["kind"] == "report_outcome" and doc["recipient_id"] == "u1"
    assert doc["payload"]["outcome"] == "rejected" and headers["x-townsquare-delivery"] == str(doc["id"])
    assert webhooks.deliver_pending(db).delivered == 0  # delivered once, never again


def test_gives_up_after_max_attempts_but_keeps_the_notification(
    db: Database, post: Callable[..., str], receiver: Receiver
) -> None:
    _decided_report(db, post)
    receiver.statuses = [500] * webhooks.MAX_ATTEMPTS
    for attempt in range(1, webhooks.MAX_ATTEMPTS + 1):
        webhooks.deliver_pending(db)
        clock.advance(webhooks.backoff(attempt) + 1)
    note = _note(db)
    assert note.webhook_status == "failed" and note.webhook_attempts == webhooks.MAX_ATTEMPTS
    assert note.payload["outcome"] == "rejected"  # still readable through GET /notifications


def test_unreachable_endpoint_is_retried(db: Database, post: Callable[..., str], receiver: Receiver) -> None:
    _decided_report(db, post)
    receiver.close()
    result = webhooks.deliver_pending(db, timeout=1.0)
    assert result.retrying == 1
    assert "Error" in (_note(db).webhook_error or "")


def test_background_worker_delivers_and_expires_claims(
    db: Database, post: Callable[..., str], receiver: Receiver
) -> None:
    _decided_report(db, post)
    post("p2")
    case_id = report_post(db, "u2", "p2")
    with db.session() as s:
        claims.claim(s, case_id=case_id, moderator="mod-a")
    clock.advance(get_settings().claim_timeout_seconds + 1)
    stop = webhooks.start_worker(db, interval=0.05)
    try:
        done = threading.Event()
        for _ in range(400):  # wait for the worker, not a timing assertion
            delivered = _note(db).webhook_status == "delivered"
            with db.session() as s:
                case = s.get(Case, case_id)
                reopened = case is not None and case.status == "open"
            if delivered and reopened:
                done.set()
                break
            done.wait(0.05)
        assert done.is_set()
    finally:
        stop.set()
