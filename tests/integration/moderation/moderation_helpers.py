"""Moderation test helpers shared by several test modules (fixtures stay in conftest.py)."""

from __future__ import annotations

from townsquare.moderation import reports
from townsquare.storage.db import Database


def report_post(db: Database, reporter: str = "u1", post_id: str = "p1", reason: str = "hate") -> int:
    """A user's report of a post, committed; returns the id of the case it opened or joined."""
    with db.session() as s:
        report, _ = reports.submit_report(
            s, reporter_id=reporter, subject_type="post", subject_id=post_id, reason=reason
        )
        assert report.case_id is not None
        return report.case_id
