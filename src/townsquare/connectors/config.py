"""Effective connector configuration: a value stored by `townsquare connect …` wins over the environment.

Why both: an instance admin sets things up once with a command that checks the connection works, while
deployments that configure everything by environment (containers) never need the database row. The stored row
holds the Mastodon token; it is never printed (`masked()`), audited or logged (invariant 5).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from townsquare import audit
from townsquare.core import clock
from townsquare.settings import get_settings
from townsquare.storage.models import RuntimeSetting

MASTODON_KEY = "connector.mastodon"
ATPROTO_KEY = "connector.atproto"


@dataclass(frozen=True)
class MastodonConfig:
    url: str
    token: str
    webhook_secret: str
    push_automated: bool

    @property
    def enabled(self) -> bool:
        return bool(self.url and self.token)

    def masked(self) -> dict[str, Any]:
        return {
            "url": self.url,
            "token": "********" if self.token else "",
            "webhook_secret": "********" if self.webhook_secret else "",
            "push_automated": self.push_automated,
        }


@dataclass(frozen=True)
class AtprotoConfig:
    did: str
    key_file: str


def _stored(session: Session | None, key: str) -> dict[str, Any]:
    if session is None:
        return {}
    row = session.get(RuntimeSetting, key)
    return dict(row.value) if row is not None and isinstance(row.value, dict) else {}


def mastodon(session: Session | None = None) -> MastodonConfig:
    s = get_settings()
    stored = _stored(session, MASTODON_KEY)
    return MastodonConfig(
        url=str(stored.get("url") or s.mastodon_url).rstrip("/"),
        token=str(stored.get("token") or s.mastodon_token.get_secret_value()),
        webhook_secret=str(stored.get("webhook_secret") or s.mastodon_webhook_secret.get_secret_value()),
        push_automated=bool(stored.get("push_automated", s.mastodon_push_automated)),
    )


def atproto(session: Session | None = None) -> AtprotoConfig:
    s = get_settings()
    stored = _stored(session, ATPROTO_KEY)
    return AtprotoConfig(
        did=str(stored.get("did") or s.atproto_labeler_did),
        key_file=str(stored.get("key_file") or s.atproto_labeler_key_file),
    )


def save(session: Session, key: str, value: dict[str, Any], *, actor: str) -> None:
    """Store a connector's configuration; the audit record names what changed, never a secret's value."""
    row = session.get(RuntimeSetting, key)
    if row is None:
        session.add(RuntimeSetting(key=key, value=value, updated_at=clock.now(), updated_by=actor))
    else:
        row.value, row.updated_at, row.updated_by = value, clock.now(), actor
    public = {k: v for k, v in value.items() if k not in ("token", "webhook_secret")}
    audit.append(
        session,
        actor=actor,
        event="connector.configured",
        subject_type="connector",
        subject_id=key,
        payload={**public, "secrets_set": sorted(k for k in ("token", "webhook_secret") if value.get(k))},
    )
    session.flush()
