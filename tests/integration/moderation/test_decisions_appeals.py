"""Decisions and appeals in the domain layer: queue powers, escalation, sources, notifications, bans → council."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from moderation_helpers import report_post
from sqlalchemy import select

from townsquare.core.errors import Conflict, Forbidden, Invalid
from townsquare.moderation import appeals, claims, credibility, decisions, reports
from townsquare.moderation.cases import DECIDED, REFERRED, get_case, open_case
from townsquare.policy import enforce
from townsquare.storage.db import Database
from townsquare.storage.models import Action, Appeal, CouncilCase, Notification

Post = Callable[..., str]


def _claim_decide(db: Database, case_id: int, mod: str, action: str, rule: str) -> int | None:
    with db.session() as s:
        claims.claim(s, case_id=case_id, moderator=mod)
        return decisions.decide(s, case_id=case_id, moderator=mod, action=action, rule_id=rule).action_id


def test_every_reporter_is_told_the_outcome(db: Database, post: Post) -> None:
    post("p1")
    case_id = report_post(db, "u1")
    report_post(db, "u2")
    report_post(db, "u3")
    assert _claim_decide(db, case_id, "mod-a", "none", "hate.derogation") is None
    with db.session() as s:
        notes = list(s.scalars(select(Notification).where(Notification.kind == "report_outcome")))
        assert sorted(n.recipient_id for n in notes) == ["u1", "u2", "u3"]
        assert {n.payload["outcome"] for n in notes} == {"rejected"}
        assert {n.payload["rule_id"] for n in notes} == {"hate.derogation"}
        assert all(n.payload["message"]["fr"] for n in notes)
        assert credibility.reporter_profile(s, "u1")["credibility"] == pytest.approx(1 / 3, abs=1e-3)
    # A repeat after the decision is kept and answered at once, the case is not reopened.
    with db.session() as s:
        again, changed = reports.submit_report(
            s, reporter_id="u1", subject_type="post", subject_id="p1", reason="hate", text="really"
        )
        assert changed and again.count == 2 and again.case_id == case_id
        repeat = s.scalars(select(Notification).where(Notification.kind == "report_repeat_decided")).one()
        assert repeat.payload["outcome"] == "rejected" and repeat.payload["rule_id"] == "hate.derogation"
        assert get_case(s, case_id).status == DECIDED


def test_triage_cannot_suspend_senior_can(db: Database, post: Post) -> None:
    post("p1", labels=["spam_scam"], scores={"spam_scam": 0.9})
    case_id = report_post(db, "u1", reason="spam")
    with db.session() as s:
        case = get_case(s, case_id)
        assert case.queue == "triage"
        claims.claim(s, case_id=case_id, moderator="mod-a")
    with pytest.raises(Forbidden), db.session() as s:
        decisions.decide(s, case_id=case_id, moderator="mod-a", action="suspend", rule_id="spam.scam")
    with db.session() as s:
        case = claims.escalate(s, case_id=case_id, moderator="mod-a", note="serial scammer")
        assert case.queue == "senior" and case.escalated and case.status == "open"
    action_id = _claim_decide(db, case_id, "senior-1", "suspend", "spam.scam")
    with db.session() as s:
        action = s.get(Action, action_id)
        assert action is not None and action.subject_type == "account" and action.account_id == "alice"
        assert action.source_type == "SOURCE_ARTICLE_16" and action.actor == "senior-1"


def test_automation_case_is_voluntary_and_joins_reports(db: Database, post: Post) -> None:
    post("p1")
    with db.session() as s:
        case = open_case(
            s,
            subject_type="post",
            subject_id="p1",
            origin="automation",
            proposed_action="remove",
            proposed_rule="hate.dehumanisation",
        )
        case_id = case.id
        assert case.queue == "hate_harassment" and case.proposed_action == "remove"
        again = open_case(
            s,
            subject_type="post",
            subject_id="p1",
            origin="automation",
            proposed_action="label",
            proposed_rule="hate.borderline",
        )
        assert again.id == case_id and again.proposed_action == "remove"  # the stronger proposal stays
    action_id = _claim_decide(db, case_id, "mod-a", "remove", "hate.dehumanisation")
    with db.session() as s:
        action = s.get(Action, action_id)
        assert action is not None and action.source_type == "SOURCE_VOLUNTARY" and action.case_id == case_id


def test_bad_decisions_change_nothing(db: Database, post: Post) -> None:
    post("p1")
    case_id = report_post(db, "u1")
    with pytest.raises(Conflict), db.session() as s:  # not claimed
        decisions.decide(
            s, case_id=case_id, moderator="mod-a", action="remove", rule_id="hate.dehumanisation"
        )
    with db.session() as s:
        claims.claim(s, case_id=case_id, moderator="mod-a")
    for action, rule in (("remove", ""), ("explode", "hate.derogation"), ("remove", "no.such.rule")):
        with (
            pytest.raises(Invalid) if rule != "no.such.rule" else pytest.raises(Exception),
            db.session() as s,
        ):
            decisions.decide(s, case_id=case_id, moderator="mod-a", action=action, rule_id=rule)
    with db.session() as s:
        case = get_case(s, case_id)
        assert case.status == "claimed" and case.decided_at is None
        assert s.scalars(select(Action)).first() is None
        assert s.scalars(select(Notification)).first() is None


def test_appeal_rules(db: Database, post: Post) -> None:
    post("p1")
    case_id = report_post(db, "u1")
    action_id = _claim_decide(db, case_id, "mod-a", "remove", "hate.dehumanisation")
    assert action_id is not None
    with pytest.raises(Forbidden), db.session() as s:
        appeals.file_appeal(s, action_id=action_id, appellant_id="mallory", text="not mine")
    with pytest.raises(Invalid), db.session() as s:
        appeals.file_appeal(s, action_id=action_id, appellant_id="alice", text="  ")
    with db.session() as s:
        appeal, created = appeals.file_appeal(s, action_id=action_id, appellant_id="alice", text="satire")
        assert created and appeal.status == "pending"
        appeal_id, appeal_case = appeal.id, appeal.case_id
    with db.session() as s:
        same, created = appeals.file_appeal(s, action_id=action_id, appellant_id="alice", text="satire")
        assert not created and same.id == appeal_id
    with pytest.raises(Conflict), db.session() as s:
        appeals.file_appeal(s, action_id=action_id, appellant_id="alice", text="second try")
    assert appeal_case is not None
    with db.session() as s:
        claims.claim(s, case_id=appeal_case, moderator="mod-b")
    with pytest.raises(Invalid), db.session() as s:  # harsher than the appealed action
        appeals.decide_appeal(
            s, appeal_id=appeal_id, moderator="mod-b", outcome="modify", statement="x", new_action="suspend"
        )
    with db.session() as s:
        appeals.decide_appeal(
            s,
            appeal_id=appeal_id,
            moderator="mod-b",
            outcome="overturn",
            statement="Satire of a politician's speech; not hate speech.",
        )
    with db.session() as s:
        action = s.get(Action, action_id)
        assert action is not None and action.status == "reversed"
        outcome = s.scalars(select(Notification).where(Notification.kind == "appeal_outcome")).one()
        assert outcome.recipient_id == "alice" and outcome.payload["status"] == "overturned"
    with pytest.raises(Conflict), db.session() as s:
        appeals.decide_appeal(s, appeal_id=appeal_id, moderator="mod-c", outcome="uphold", statement="x")


def test_permanent_ban_appeal_goes_to_the_council(db: Database, post: Post) -> None:
    post("p1")
    with db.session() as s:
        case = open_case(
            s,
            subject_type="account",
            subject_id="alice",
            origin="automation",
            proposed_action="permanent_ban",
            proposed_rule="account.ban_evasion",
        )
        assert case.queue == "senior"
        case_id = case.id
    action_id = _claim_decide(db, case_id, "senior-1", "permanent_ban", "account.ban_evasion")
    assert action_id is not None
    with db.session() as s:
        appeal, _ = appeals.file_appeal(s, action_id=action_id, appellant_id="alice", text="I am not him")
        assert appeal.status == "referred" and appeal.council_case_id is not None
        council = s.get(CouncilCase, appeal.council_case_id)
        assert council is not None and council.appeal_id == appeal.id and council.origin == "appeal"
        assert council.case_id == appeal.case_id
        told = appeals.notify_outcome(s, appeal_id=appeal.id)
        assert told.recipient_id == "alice" and told.payload["council_case_id"] == council.id
        referral_case = get_case(s, appeal.case_id or 0)
        assert referral_case.status == REFERRED and referral_case.queue == "council_referrals"
        appeal_id, referral_case_id = appeal.id, referral_case.id
    with pytest.raises(Conflict), db.session() as s:  # referred: not a moderator's case any more
        claims.claim(s, case_id=referral_case_id, moderator="senior-2")
    for mod in ("senior-2", "admin"):
        with pytest.raises((Forbidden, Conflict)), db.session() as s:
            appeals.decide_appeal(s, appeal_id=appeal_id, moderator=mod, outcome="overturn", statement="lift")
        with pytest.raises(Forbidden), db.session() as s:
            enforce.reverse_action(s, action_id=action_id, actor=mod, reason="lift")
    with db.session() as s:
        action = s.get(Action, action_id)
        assert action is not None and action.status == "active"
        assert s.get(Appeal, appeal_id).status == "referred"  # type: ignore[union-attr]


def test_appeal_of_automation_and_modify_of_account_action(db: Database, post: Post) -> None:
    post("p1")
    post("p2", author="bob")
    with db.session() as s:
        auto = enforce.apply_action(
            s,
            subject_type="post",
            subject_id="p2",
            action="label",
            rule_id="hate.borderline",
            actor="automation",
            actor_kind="automation",
            automated=True,
        )
        auto_id = auto.id
    with db.session() as s:
        appeal, _ = appeals.file_appeal(s, action_id=auto_id, appellant_id="bob", text="not hateful")
        claims.claim(s, case_id=appeal.case_id or 0, moderator="mod-a")
        appeals.decide_appeal(
            s,
            appeal_id=appeal.id,
            moderator="mod-a",
            outcome="uphold",
            statement="The label stays: borderline wording.",
        )
        assert appeal.status == "upheld"
    case_id = report_post(db, "u1")
    suspend_id = _claim_decide(db, case_id, "mod-a", "suspend", "hate.dehumanisation")
    with db.session() as s:
        suspension = s.get(Action, suspend_id)
        assert (
            suspension is not None
            and suspension.subject_type == "account"
            and suspension.account_id == "alice"
        )
        appeal, _ = appeals.file_appeal(
            s, action_id=suspend_id or 0, appellant_id="alice", text="first offence"
        )
        claims.claim(s, case_id=appeal.case_id or 0, moderator="mod-b")
        appeals.decide_appeal(
            s,
            appeal_id=appeal.id,
            moderator="mod-b",
            outcome="modify",
            statement="A warning is proportionate for a first offence.",
            new_action="warn",
        )
        assert appeal.status == "modified" and appeal.new_action_id is not None
        replacement = s.get(Action, appeal.new_action_id)
        assert replacement is not None and replacement.action == "warn" and replacement.account_id == "alice"
        assert s.get(Action, suspend_id).status == "reversed"  # type: ignore[union-attr]
