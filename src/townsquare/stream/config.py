"""Names and limits of the stream, derived from settings so every process (API, workers, tests) agrees."""

from __future__ import annotations

from dataclasses import dataclass

from townsquare.settings import Settings


@dataclass(frozen=True)
class StreamConfig:
    url: str
    prefix: str = "townsquare"
    max_backlog: int = 100_000
    ack_wait: float = 30.0
    batch_size: int = 500

    @property
    def stream(self) -> str:
        """JetStream stream names allow no dots: the prefix is used as typed, with `_posts`."""
        return f"{self.prefix}_posts"

    @property
    def subject(self) -> str:
        return f"{self.prefix}.posts"

    @property
    def durable(self) -> str:
        """One durable pull consumer shared by all workers: that is the consumer group."""
        return f"{self.prefix}_workers"

    @property
    def hard_limit(self) -> int:
        """The stream refuses new messages past this (discard=new): a publish fails, it never drops."""
        return self.max_backlog * 2

    @property
    def risk_bucket(self) -> str:
        return f"{self.prefix}_ads_risk"

    @property
    def profile_bucket(self) -> str:
        return f"{self.prefix}_ads_profiles"

    @classmethod
    def from_settings(cls, settings: Settings) -> StreamConfig:
        return cls(
            url=settings.nats_url,
            prefix=settings.stream_prefix,
            max_backlog=settings.stream_max_backlog,
            ack_wait=settings.stream_ack_wait_seconds,
            batch_size=settings.worker_batch_size,
        )
