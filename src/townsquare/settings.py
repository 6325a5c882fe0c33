"""Effective settings: environment (prefix TOWNSQUARE_), then `.env`, then defaults.

Every field is documented in docs/configuration.md; a test fails when one is missing there.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_SECRET = "change-me-dev-secret"  # noqa: S105 - the refused placeholder


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="TOWNSQUARE_", env_file=".env", extra="ignore")

    database_url: str = Field(
        "sqlite:///./var/townsquare.db",
        description="SQLAlchemy URL; SQLite by default, PostgreSQL in production.",
    )
    secret_key: SecretStr = Field(
        SecretStr(DEFAULT_SECRET), description="Signs sessions, CSRF tokens and webhooks. Must be changed."
    )
    dev_mode: bool = Field(False, description="Allows the default secret key and verbose demo behaviour.")
    host: str = Field("127.0.0.1", description="Bind address of `townsquare serve`.")
    port: int = Field(8000, ge=1, le=65535, description="Bind port of `townsquare serve`.")
    max_body_bytes: int = Field(
        2_000_000, ge=1024, description="Requests with a larger body are refused with 413."
    )
    automation_ceiling: str = Field(
        "limit_reach", description="Strongest post action automation may take; stronger becomes a case."
    )
    policy_file: str = Field("", description="Path of the active policy YAML; empty = the shipped default.")
    webhook_url: str = Field("", description="Outbound webhook for reporter notifications; empty = none.")
    webhook_secret: SecretStr = Field(SecretStr(""), description="HMAC-SHA256 key signing webhook bodies.")
    report_rate_limit: int = Field(30, ge=1, description="Reports one reporter may file per hour before 429.")
    report_expiry_days: int = Field(
        14, ge=1, description="Days a report may wait for review before it closes as not reviewed in time."
    )
    claim_timeout_seconds: int = Field(
        900, ge=10, description="A moderator's claim on a case expires after this."
    )
    council_panel_size: int = Field(5, ge=3, description="Members drawn for a council panel.")
    council_deadline_days: int = Field(14, ge=1, description="Days a council panel has to vote.")
    council_recommendation_days: int = Field(
        60,
        ge=1,
        description="Days the platform has to answer a council recommendation before it shows overdue.",
    )
    council_notice_days: int = Field(
        7, ge=0, description="Public notice before an approved council membership change takes effect."
    )
    council_rereferral_cooldown_days: int = Field(
        90, ge=0, description="Days after a council decision before the same action may be re-referred."
    )
    council_viewpoint_groups: list[str] = Field(
        default_factory=lambda: ["progressive", "conservative", "civil-society", "industry"],
        description="The charter's declared viewpoint groups (each member declares one at appointment).",
    )
    council_charter_version: str = Field(
        "2026-12-01", description="Version label of the council charter (published with its digest)."
    )
    council_min_net_supporters_per_side: int = Field(
        4,
        ge=1,
        description="Bridged support needs at least this many net supporters on each side of the viewpoint axis.",
    )
    council_min_ratings_per_rater: int = Field(
        10,
        ge=1,
        description="Raters with fewer ratings are left out of the bridging fit (no reliable position).",
    )
    cookie_secure: bool | None = Field(
        None, description="Mark the session cookie Secure; unset = Secure everywhere but dev mode."
    )
    session_lifetime_seconds: int = Field(
        12 * 3600, ge=60, le=90 * 86400, description="A web session ends this long after sign-in."
    )
    session_idle_seconds: int = Field(
        2 * 3600, ge=60, le=90 * 86400, description="A web session unused for this long ends."
    )
    redis_url: str = Field("", description="Redis for shared rate-limit counters; empty = in-process memory.")
    rate_limits_enabled: bool = Field(True, description="Turn the HTTP rate limits off (benchmarks only).")
    rate_limit_login: str = Field("10/minute", description="Failed web sign-ins per client address.")
    rate_limit_auth_failures: str = Field("30/minute", description="Unknown bearer keys per client address.")
    rate_limit_reports: str = Field(
        "120/minute", description="Reports filed per API key and per client address."
    )
    rate_limit_demands: str = Field(
        "20/minute", description="Advertiser content demands per key and per address."
    )
    max_concurrent_requests: int = Field(
        256,
        ge=0,
        le=100_000,
        description="Requests in flight per process past which 503 + Retry-After; 0 = off.",
    )
    nats_url: str = Field(
        "",
        description="NATS server with JetStream; set = distributed mode (ingest publishes, workers process).",
    )
    stream_prefix: str = Field(
        "townsquare", description="Prefix of the JetStream stream, consumer, subjects and KV buckets."
    )
    stream_max_backlog: int = Field(
        100_000, ge=1, description="Unprocessed posts beyond which ingest answers 503 with Retry-After."
    )
    stream_ack_wait_seconds: float = Field(
        30.0, gt=0, description="A delivered batch not acked within this is redelivered to another worker."
    )
    worker_batch_size: int = Field(
        500, ge=1, le=5_000, description="Posts a worker pulls and commits at once."
    )
    worker_classify_process: bool = Field(
        True,
        description="A worker reads and classifies the next batch in a child process while it commits the "
        "current one (uses a second core; false: on a thread of the worker itself).",
    )
    public_url: str = Field(
        "", description="Public base URL of this townsquare (links sent to platforms with a decision)."
    )
    mastodon_url: str = Field("", description="Base URL of the Mastodon instance the connector acts on.")
    mastodon_token: SecretStr = Field(
        SecretStr(""), description="Mastodon access token with admin:read and admin:write scopes."
    )
    mastodon_webhook_secret: SecretStr = Field(
        SecretStr(""), description="Secret of the Mastodon admin webhook (verifies X-Hub-Signature)."
    )
    mastodon_push_automated: bool = Field(
        False, description="Also push automated interim measures to Mastodon (default: human decisions only)."
    )
    atproto_labeler_did: str = Field("", description="DID of the atproto labeler (did:plc:… or did:web:…).")
    atproto_labeler_key_file: str = Field(
        "./var/labeler.pem", description="PEM file of the labeler's signing key (`townsquare keys labeler`)."
    )
    jetstream_url: str = Field(
        "wss://jetstream2.us-east.bsky.network/subscribe",
        description="Bluesky Jetstream endpoint that `townsquare connect bluesky jetstream` reads.",
    )

    def secure_cookies(self) -> bool:
        """`cookie_secure` when set, else Secure everywhere but dev mode (plain http on a laptop)."""
        return self.cookie_secure if self.cookie_secure is not None else not self.dev_mode

    def check_secret(self) -> None:
        """Outside dev mode, refuse to start with a weak or placeholder secret (it signs what the server trusts)."""
        from townsquare.access.secrets import HOW_TO, weakness

        if self.dev_mode:
            return
        problem = weakness(self.secret_key.get_secret_value())
        if problem:
            raise RuntimeError(f"{problem}; {HOW_TO} (or set TOWNSQUARE_DEV_MODE=true on a laptop)")

    def masked(self) -> dict[str, Any]:
        """Effective values with secrets masked, for `config show` and the admin page: secret fields are starred
        and every URL loses its credentials (database, webhook, NATS, Redis)."""
        from townsquare.access.secrets import mask_url

        out: dict[str, Any] = {}
        for name in type(self).model_fields:
            value = getattr(self, name)
            if isinstance(value, SecretStr):
                out[name] = "********" if value.get_secret_value() else ""
            elif name.endswith("_url") and isinstance(value, str):
                out[name] = mask_url(value)
            else:
                out[name] = value
        return out


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
