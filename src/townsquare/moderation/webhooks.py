"""Outbound webhook for notifications: signed with HMAC-SHA256, retried with exponential backoff.

Delivery reads the outbox (``Notification.webhook_status == 'pending'`` and ``webhook_next_at <= now``) in a
short transaction that also leases the rows (pushes ``webhook_next_at`` forward), posts each body with no
database transaction open (an HTTP timeout must never hold SQLite's write lock), then records the result in a
second short transaction. Two concurrent deliverers therefore do not send the same row at the same time.

Headers: ``X-Townsquare-Event`` (notification kind), ``X-Townsquare-Delivery`` (notification id, the receiver's
idempotency key), ``X-Townsquare-Timestamp`` (unix seconds) and ``X-Townsquare-Signature: sha256=<hex>`` where
hex = HMAC-SHA256(webhook_secret, "<timestamp>." + raw body). Attempt n failing waits
``min(MAX_DELAY, BASE_DELAY * 2**(n-1))`` seconds; after MAX_ATTEMPTS the row is ``failed`` (kept, listed).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import threading
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import httpx
from sqlalchemy import select

from townsquare.core import clock
from townsquare.settings import get_settings
from townsquare.storage.db import Database
from townsquare.storage.models import Notification

log = logging.getLogger("townsquare.moderation.webhooks")

SIGNATURE_HEADER = "X-Townsquare-Signature"
TIMESTAMP_HEADER = "X-Townsquare-Timestamp"
EVENT_HEADER = "X-Townsquare-Event"
DELIVERY_HEADER = "X-Townsquare-Delivery"
BASE_DELAY = 30.0
MAX_DELAY = 3600.0
MAX_ATTEMPTS = 8
LEASE_SECONDS = 120.0


@dataclass
class DeliveryResult:
    delivered: int = 0
    retrying: int = 0
    failed: int = 0

    def to_dict(self) -> dict[str, int]:
        return {"delivered": self.delivered, "retrying": self.retrying, "failed": self.failed}


def sign(secret: str, timestamp: str, body: bytes) -> str:
    mac = hmac.new(secret.encode("utf-8"), timestamp.encode("ascii") + b"." + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def verify(secret: str, timestamp: str, body: bytes, signature: str) -> bool:
    """What a receiving platform does (also used by the tests)."""
    return hmac.compare_digest(sign(secret, timestamp, body), signature)


def backoff(attempts: int) -> float:
    return float(min(MAX_DELAY, BASE_DELAY * 2 ** max(0, attempts - 1)))


def body_of(note: Notification) -> bytes:
    doc = {
        "id": note.id,
        "kind": note.kind,
        "recipient_id": note.recipient_id,
        "report_id": note.report_id,
        "payload": note.payload,
        "created_at": note.created_at.isoformat(),
    }
    return json.dumps(doc, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def _lease(db: Database, limit: int) -> list[tuple[int, str, bytes]]:
    now = clock.now()
    with db.session() as session:
        rows = list(
            session.scalars(
                select(Notification)
                .where(Notification.webhook_status == "pending", Notification.webhook_next_at <= now)
                .order_by(Notification.id)
                .limit(limit)
            )
        )
        out = []
        for note in rows:
            note.webhook_next_at = now + timedelta(seconds=LEASE_SECONDS)
            out.append((note.id, note.kind, body_of(note)))
        return out


def _record(db: Database, note_id: int, error: str | None, result: DeliveryResult) -> None:
    now = clock.now()
    with db.session() as session:
        note = session.get(Notification, note_id)
        if note is None or note.webhook_status != "pending":
            return
        note.webhook_attempts = (note.webhook_attempts or 0) + 1
        if error is None:
            note.webhook_status, note.webhook_error, note.webhook_next_at = "delivered", None, None
            result.delivered += 1
        elif note.webhook_attempts >= MAX_ATTEMPTS:
            note.webhook_status, note.webhook_error, note.webhook_next_at = "failed", error[:2000], None
            result.failed += 1
        else:
            note.webhook_error = error[:2000]
            note.webhook_next_at = now + timedelta(seconds=backoff(note.webhook_attempts))
            result.retrying += 1


def deliver_pending(
    db: Database,
    *,
    url: str | None = None,
    secret: str | None = None,
    limit: int = 100,
    timeout: float = 5.0,
    client: httpx.Client | None = None,
) -> DeliveryResult:
    """Send due notifications once; call it periodically (``townsquare moderation deliver-webhooks --loop``)."""
    settings = get_settings()
    url = url if url is not None else settings.webhook_url
    secret = secret if secret is not None else settings.webhook_secret.get_secret_value()
    result = DeliveryResult()
    if not url:
        return result
    batch = _lease(db, limit)
    if not batch:
        return result
    own = client is None
    http = client or httpx.Client(timeout=timeout)
    try:
        for note_id, kind, body in batch:
            ts = str(int(clock.now().timestamp()))
            headers: dict[str, Any] = {
                "Content-Type": "application/json",
                EVENT_HEADER: kind,
                DELIVERY_HEADER: str(note_id),
                TIMESTAMP_HEADER: ts,
            }
            if secret:
                headers[SIGNATURE_HEADER] = sign(secret, ts, body)
            error: str | None = None
            try:
                response = http.post(url, content=body, headers=headers)
                if not 200 <= response.status_code < 300:
                    error = f"HTTP {response.status_code}"
            except httpx.HTTPError as exc:
                error = f"{type(exc).__name__}: {exc}"
            _record(db, note_id, error, result)
    finally:
        if own:
            http.close()
    return result


def run_loop(db: Database, *, interval: float = 5.0, stop: threading.Event | None = None) -> None:
    """Until ``stop`` is set: deliver due webhooks, return expired claims to their queues, expire overdue reports.

    One failing round (database restarting, endpoint misbehaving) is logged and retried next round, so the loop
    never dies silently.
    """
    from townsquare.moderation.claims import expire_claims
    from townsquare.notices.expiry import expire_reports

    stop = stop or threading.Event()
    while not stop.is_set():
        try:
            deliver_pending(db)
            with db.session() as session:
                expire_claims(session)
            with db.session() as session:
                expire_reports(session)  # reports past the service-level time: "not reviewed in time"
        except Exception:  # noqa: BLE001 - keep the worker alive; the error is logged
            log.exception("moderation worker round failed")
        stop.wait(interval)


def start_worker(db: Database, *, interval: float = 5.0) -> threading.Event:
    """Run ``run_loop`` in a daemon thread (for the server's lifespan); set the returned event to stop it."""
    stop = threading.Event()
    thread = threading.Thread(
        target=run_loop,
        args=(db,),
        kwargs={"interval": interval, "stop": stop},
        daemon=True,
        name="townsquare-moderation-worker",
    )
    thread.start()
    return stop
