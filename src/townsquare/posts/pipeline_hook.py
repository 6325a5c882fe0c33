"""Where ingestion hands over to classification and the standards engine."""

from __future__ import annotations

from sqlalchemy.orm import Session

from townsquare.storage.models import Post


def run(session: Session, posts: list[Post]) -> None:
    from townsquare.policy import pipeline

    pipeline.assess_and_enforce_batch(session, posts)
