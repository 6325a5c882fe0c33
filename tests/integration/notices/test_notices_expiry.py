"""Reports not reviewed in time: expired honestly, counted, and reviewed if the reporter submits again."""

from __future__ import annotations

from notices_helpers import add_post, latest_outcomes
from sqlalchemy import select

from townsquare.core import clock
from townsquare.moderation import claims, decisions, reports
from townsquare.notices.expiry import expire_reports, expired_count
from townsquare.storage.db import Database
from townsquare.storage.models import Case, Notification, Report

DAY = 86400


def test_an_expired_report_submitted_again_is_reviewed(db: Database) -> None:
    try:
        with db.session() as s:
            add_post(s, "p1", lang="fr")
            reports.submit_report(
                s, reporter_id="u1", subject_type="post", subject_id="p1", reason="hate", text="a"
            )
        clock.advance(13 * DAY)
        with db.session() as s:
            assert expire_reports(s) == 0  # within the service-level time
        clock.advance(2 * DAY)
        with db.session() as s:
            assert expire_reports(s) == 1 and expired_count(s) == 1
            first_case = s.scalars(select(Case)).one()
            assert first_case.status == "expired" and first_case.open_key is None
            note = s.scalars(select(Notification)).one()
            assert note.payload["outcome"] == "expired" and note.payload["lang"] == "fr"
            assert "pas examiné votre signalement à temps (sous 14 jours)" in note.payload["text"]
        with db.session() as s:
            report, changed = reports.submit_report(
                s, reporter_id="u1", subject_type="post", subject_id="p1", reason="hate", text="still there"
            )
            assert changed and report.outcome is None and report.case_id != first_case.id
            case_id = report.case_id
        clock.advance(1 * DAY)
        with db.session() as s:
            assert expire_reports(s) == 0  # the new review has its own service-level time
            claims.claim(s, case_id=case_id, moderator="mod")
            decisions.decide(
                s,
                case_id=case_id,
                moderator="mod",
                action="label",
                rule_id="hate.borderline",
                explanation="Label.",
            )
        with db.session() as s:
            assert s.scalars(select(Report)).one().outcome == "upheld"
            to_u1 = select(Notification).where(Notification.recipient_id == "u1").order_by(Notification.id)
            assert [n.payload["outcome"] for n in s.scalars(to_u1)] == ["expired", "pending", "upheld"]
            assert all(outcome == last for outcome, last in latest_outcomes(s).values())
    finally:
        clock.reset()
