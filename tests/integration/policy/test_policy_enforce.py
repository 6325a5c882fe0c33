"""Enforcement on SQLite and PostgreSQL: ceiling, interim actions, cases, strikes, reversal, ban lifting."""

from __future__ import annotations

from datetime import timedelta

import pytest
from jsonschema import Draft202012Validator
from policy_helpers import add_post, enforce_post, human_action, snapshot
from sqlalchemy import select

from townsquare.audit import verify
from townsquare.core import clock
from townsquare.core.enums import ActionType, ActorKind
from townsquare.core.errors import Conflict, Forbidden, Invalid, NotFound
from townsquare.policy import enforce, strikes
from townsquare.policy.status import author_notice, post_status
from townsquare.storage.db import Database
from townsquare.storage.models import (
    Account,
    Action,
    AuditRecord,
    Case,
    CouncilCase,
    CouncilDecision,
    Post,
    RuntimeSetting,
    Strike,
)
from townsquare.transparency.statements import schema_path

HATE_FLOOR = {"hate_speech": 0.92}
HATE_HIGH = {"hate_speech": 0.6}
HATE_MEDIUM = {"hate_speech": 0.4}


def events(s: object) -> list[str]:
    return list(s.scalars(select(AuditRecord.event).order_by(AuditRecord.seq)))  # type: ignore[attr-defined]


def validator() -> Draft202012Validator:
    import json

    return Draft202012Validator(json.loads(schema_path().read_text()))


def test_automation_caps_at_ceiling_and_opens_a_case_for_the_rest(db: Database) -> None:
    with db.session() as s:
        d = enforce_post(s, "p1", scores=HATE_FLOOR)
        assert d.action is ActionType.REMOVE
    with db.session() as s:
        post = s.get(Post, "p1")
        assert post is not None and post.visibility == "limited_reach"
        assert post.label_text is not None and set(post.label_text) == {"fr", "en"}
        (action,) = s.scalars(select(Action)).all()
        assert action.action == "limit_reach" and action.automated and action.actor_kind == "automation"
        assert f"{action.rule_id}@{action.rule_version}" == "hate.dehumanisation@2"
        assert action.fired_rules == ["hate.dehumanisation@2"]
        assert action.policy_version.startswith("2026.11-1+")
        assert not list(validator().iter_errors(action.statement))
        assert action.statement["automated_decision"] == "AUTOMATED_DECISION_FULLY"
        assert action.statement["decision_visibility"] == [
            "DECISION_VISIBILITY_CONTENT_DEMOTED",
            "DECISION_VISIBILITY_CONTENT_INTERACTION_RESTRICTED",
        ]
        (case,) = s.scalars(select(Case)).all()
        assert (case.origin, case.proposed_action, case.proposed_rule) == (
            "automation",
            "remove",
            "hate.dehumanisation@2",
        )
        ev = events(s)
        assert ev[0] == "policy.activated" and "action.applied" in ev and "case.opened" in ev
        proposal = s.scalars(select(AuditRecord).where(AuditRecord.event == "policy.proposed")).one()
        assert (
            proposal.payload["fired"] == ["hate.dehumanisation@2"]
            and proposal.payload["interim"] == "limit_reach"
        )
        assert "strike.added" in ev
        assert verify(s)[1] is None
        status = post_status(s, "p1")
        assert status["visibility"] == "limited_reach" and status["reach"]["in_recommendations"] is False
        assert status["statement"]["rule"] == "hate.dehumanisation@2" and status["label"]["fr"]


def test_within_ceiling_no_case_and_label_text(db: Database) -> None:
    with db.session() as s:
        enforce_post(s, "p1", scores=HATE_MEDIUM, lang="fr")
        enforce_post(s, "p2", scores={})
    with db.session() as s:
        p1, p2 = s.get(Post, "p1"), s.get(Post, "p2")
        assert p1 is not None and p2 is not None
        assert p1.visibility == "labelled" and "offensant" in p1.label_text["fr"]  # type: ignore[index]
        assert p2.visibility == "visible" and p2.label_text is None
        assert s.scalars(select(Case)).all() == []
        action = s.scalars(select(Action)).one()
        assert action.statement["decision_visibility"] == ["DECISION_VISIBILITY_CONTENT_LABELLED"]
        assert action.statement["content_language"] == "FR"
        notice = author_notice(s, action)
        assert notice["lang"] == "fr" and "étiquette" in notice["text"] and action.puid in notice["text"]
        assert "label" in author_notice(s, action, "en")["text"]


def test_runtime_ceiling_setting_lowers_what_automation_does(db: Database) -> None:
    with db.session() as s:
        s.add(RuntimeSetting(key="automation_ceiling", value={"value": "label"}))
    with db.session() as s:
        enforce_post(s, "p1", scores=HATE_HIGH)
    with db.session() as s:
        assert s.scalars(select(Action.action)).all() == ["label"]
        assert s.scalars(select(Case.proposed_action)).all() == ["limit_reach"]


def test_strikes_suspend_at_three_and_propose_ban_at_five(db: Database) -> None:
    with db.session() as s:
        for i in range(3):
            enforce_post(
                s, f"p{i}", author="bob", scores={"violent_threat": 0.6}
            )  # remove -> limit_reach, strike 1
    with db.session() as s:
        bob = s.get(Account, "bob")
        assert bob is not None and bob.status == "suspended"
        assert bob.suspended_until is not None
        hours = (bob.suspended_until - clock.now()).total_seconds() / 3600
        assert 71.9 < hours <= 72
        suspension = s.scalars(select(Action).where(Action.action == "suspend")).one()
        assert suspension.rule_id == "account.strikes" and suspension.actor_kind == "system"
        assert suspension.statement["decision_account"] == "DECISION_ACCOUNT_SUSPENDED"
        assert suspension.statement["end_date_account_restriction"]
        assert not list(validator().iter_errors(suspension.statement))
    with db.session() as s:
        for i in range(3, 5):
            enforce_post(s, f"p{i}", author="bob", scores={"violent_threat": 0.6})
    with db.session() as s:
        assert strikes.active_weight(s, "bob") == 5
        assert s.scalars(select(Action).where(Action.action == "permanent_ban")).all() == []
        ban_case = s.scalars(select(Case).where(Case.account_id == "bob")).one()
        assert (ban_case.proposed_action, ban_case.proposed_rule) == ("permanent_ban", "account.strikes@1")
        assert len(s.scalars(select(Action).where(Action.action == "suspend")).all()) == 1  # not re-applied


def test_strikes_expire_and_suspensions_end(db: Database) -> None:
    with db.session() as s:
        for i in range(3):
            enforce_post(s, f"p{i}", author="bob", scores={"violent_threat": 0.6})
    clock.advance(73 * 3600)
    with db.session() as s:
        assert enforce.expire_due(s) == 1
        bob = s.get(Account, "bob")
        assert bob is not None and bob.status == "active"
        assert "action.expired" in events(s)
        assert strikes.active_weight(s, "bob") == 3
    clock.advance(91 * 86400)
    with db.session() as s:
        assert strikes.active_weight(s, "bob") == 0


def test_reverse_restores_visibility_and_revokes_the_strike(db: Database) -> None:
    with db.session() as s:
        enforce_post(s, "p1", scores=HATE_HIGH)
        action_id = s.scalars(select(Action.id)).one()
    with db.session() as s:
        enforce.reverse_action(s, action_id=action_id, actor="mod1", reason="satire, not derogation")
    with db.session() as s:
        post = s.get(Post, "p1")
        assert post is not None and post.visibility == "visible" and post.label_text is None
        assert s.scalars(select(Strike.revoked_at)).one() is not None
        assert strikes.active_weight(s, "alice") == 0
        assert events(s)[-1] == "action.reversed"
        with pytest.raises(Conflict):
            enforce.reverse_action(s, action_id=action_id, actor="mod1", reason="again")
        with pytest.raises(NotFound):
            enforce.reverse_action(s, action_id=9999, actor="mod1", reason="x")


def test_manual_action_by_a_person(db: Database) -> None:
    with db.session() as s:
        add_post(s, "p1", scores=HATE_FLOOR)
        a = enforce.apply_action(
            s,
            subject_type="post",
            subject_id="p1",
            action=ActionType.REMOVE,
            rule_id="hate.dehumanisation",
            actor="mod1",
            actor_kind=ActorKind.MODERATOR,
            source_type="SOURCE_ARTICLE_16",
            reason="clear case",
        )
        assert a.statement["automated_decision"] == "AUTOMATED_DECISION_NOT_AUTOMATED"
        assert a.statement["source_type"] == "SOURCE_ARTICLE_16"
        assert a.statement["decision_visibility"] == ["DECISION_VISIBILITY_CONTENT_REMOVED"]
        assert not list(validator().iter_errors(a.statement))
        court = enforce.apply_action(
            s,
            subject_type="post",
            subject_id="p1",
            action="remove",
            rule_id="legal.court_order@1",
            actor="admin1",
            actor_kind="moderator",
            reason="order no. 12",
        )
        assert court.statement["decision_ground"] == "DECISION_GROUND_ILLEGAL_CONTENT"
        assert not list(validator().iter_errors(court.statement))
        warn = human_action(s, "account", "alice", "warn", "account.warning")
        assert not list(validator().iter_errors(warn.statement))
        assert s.get(Account, "alice").status == "warned"  # type: ignore[union-attr]
        assert s.get(Post, "p1").visibility == "removed"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"subject_id": "nope"}, NotFound),
        ({"rule_id": "hate.nothing"}, Invalid),
        ({"rule_id": "hate.dehumanisation@9"}, Invalid),
        ({"action": "obliterate"}, Invalid),
        ({"action": "suspend"}, Invalid),  # account action on a post
        ({"action": "none"}, Invalid),
        ({"source_type": "SOURCE_RUMOUR"}, Invalid),
        ({"actor": " "}, Invalid),
        ({"actor_kind": "automation", "action": "remove"}, Forbidden),  # above the ceiling
        (
            {"subject_type": "account", "subject_id": "alice", "action": "permanent_ban", "automated": True},
            Forbidden,
        ),
        ({"case_id": 4242}, NotFound),
    ],
)
def test_bad_input_is_refused_and_changes_nothing(
    db: Database, kwargs: dict[str, object], error: type
) -> None:
    with db.session() as s:
        add_post(s, "p1", scores=HATE_HIGH)
        human_action(s, "post", "p1", "label", "hate.borderline")  # policy recorded, chain non-empty
    before = snapshot(db)
    args: dict[str, object] = {
        "subject_type": "post",
        "subject_id": "p1",
        "action": "limit_reach",
        "rule_id": "hate.derogation@1",
        "actor": "mod1",
        "actor_kind": "moderator",
    }
    args.update(kwargs)
    with pytest.raises(error), db.session() as s:
        enforce.apply_action(s, **args)  # type: ignore[arg-type]
    assert snapshot(db) == before


def test_permanent_ban_only_lifted_by_binding_overturn(db: Database) -> None:
    with db.session() as s:
        add_post(s, "p1")
        ban = human_action(s, "account", "alice", "permanent_ban", "account.ban_evasion", actor="admin1")
        assert ban.statement["decision_account"] == "DECISION_ACCOUNT_TERMINATED"
        assert not list(validator().iter_errors(ban.statement))
        ban_id = ban.id
    before = snapshot(db)
    with pytest.raises(Forbidden), db.session() as s:
        enforce.reverse_action(s, action_id=ban_id, actor="admin1", reason="I am the admin")
    assert snapshot(db) == before
    with db.session() as s:
        cc = CouncilCase(
            origin="appeal", question="?", action_id=ban_id, deadline=clock.now() + timedelta(days=14)
        )
        s.add(cc)
        s.flush()
        for binding, outcome in ((False, "overturn"), (True, "uphold"), (True, "no_consensus")):
            d = CouncilDecision(
                council_case_id=cc.id, outcome=outcome, binding=binding, bridging={}, published={}
            )
            s.add(d)
            s.flush()
            with pytest.raises(Forbidden):
                enforce.lift_permanent_ban(s, decision=d, actor="council")
            s.delete(d)
            s.flush()
        with pytest.raises(Forbidden):
            enforce.lift_permanent_ban(
                s, decision=CouncilDecision(outcome="overturn", binding=True), actor="x"
            )
        assert s.get(Account, "alice").status == "banned"  # type: ignore[union-attr]
        good = CouncilDecision(
            council_case_id=cc.id, outcome="overturn", binding=True, bridging={}, published={}
        )
        s.add(good)
        s.flush()
        lifted = enforce.lift_permanent_ban(s, decision=good, actor="council")
        assert lifted.status == "reversed"
        assert s.get(Account, "alice").status == "active"  # type: ignore[union-attr]
        assert events(s)[-1] == "ban.lifted"
        assert verify(s)[1] is None


def test_banned_account_takes_no_further_account_action(db: Database) -> None:
    with db.session() as s:
        add_post(s, "p1")
        human_action(s, "account", "alice", "permanent_ban", "account.ban_evasion", actor="admin1")
    with pytest.raises(Conflict), db.session() as s:
        human_action(s, "account", "alice", "suspend", "account.impersonation")


def test_human_decision_supersedes_the_interim_measure_with_one_strike(db: Database) -> None:
    with db.session() as s:
        enforce_post(s, "p1", scores=HATE_FLOOR)  # interim limit_reach + case proposing remove
        case = s.scalars(select(Case)).one()
        final = enforce.apply_action(
            s,
            subject_type="post",
            subject_id="p1",
            action="remove",
            rule_id="hate.dehumanisation@2",
            actor="mod1",
            actor_kind="moderator",
            case_id=case.id,
            reason="confirmed",
        )
        assert final.statement["automated_decision"] == "AUTOMATED_DECISION_PARTIALLY"
        assert final.statement["automated_detection"] == "Yes"
    with db.session() as s:
        statuses = dict(s.execute(select(Action.action, Action.status)).all())
        assert statuses == {"limit_reach": "reversed", "remove": "active"}
        assert s.get(Post, "p1").visibility == "removed"  # type: ignore[union-attr]
        assert strikes.active_weight(s, "alice") == 1  # one strike for one post under one rule
        assert "action.superseded" in events(s)


def test_release_interim_when_a_person_finds_no_violation(db: Database) -> None:
    with db.session() as s:
        enforce_post(s, "p1", scores=HATE_FLOOR)
    with db.session() as s:
        released = enforce.release_interim(s, post_id="p1", actor="mod1", reason="quoted to condemn it")
        assert [a.action for a in released] == ["limit_reach"]
        assert s.get(Post, "p1").visibility == "visible"  # type: ignore[union-attr]
        assert strikes.active_weight(s, "alice") == 0
        with pytest.raises(NotFound):
            enforce.release_interim(s, post_id="ghost", actor="mod1", reason="x")
        assert verify(s)[1] is None


def test_automation_does_not_repeat_itself(db: Database) -> None:
    from townsquare.policy.pipeline import enforce_assessment
    from townsquare.storage.models import Assessment

    with db.session() as s:
        enforce_post(s, "p1", scores=HATE_HIGH)
    with db.session() as s:
        post = s.get(Post, "p1")
        row = s.scalars(select(Assessment)).one()
        assert post is not None
        enforce_assessment(s, post, row)  # re-assessment with the same result
        assert len(s.scalars(select(Action)).all()) == 1
        with pytest.raises(Conflict):
            enforce.apply_action(
                s,
                subject_type="post",
                subject_id="p1",
                action="limit_reach",
                rule_id="hate.derogation",
                actor="automation",
                actor_kind="automation",
            )


def test_every_change_of_the_policy_in_force_is_audited(
    db: Database, tmp_path: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pathlib import Path

    from townsquare.policy.engine import PACKAGED_DEFAULT, active_policy
    from townsquare.settings import get_settings
    from townsquare.storage.models import PolicyVersion

    other = Path(str(tmp_path)) / "other.yaml"
    other.write_text(
        PACKAGED_DEFAULT.read_text(encoding="utf-8").replace('version: "2026.11-1"', 'version: "test-2"')
    )

    def use(path: str) -> str:
        monkeypatch.setenv("TOWNSQUARE_POLICY_FILE", path)
        get_settings.cache_clear()
        with db.session() as s:
            return active_policy(s).version

    try:
        assert use("") == "2026.11-1"
        assert use("") == "2026.11-1"  # unchanged: no new record
        assert use(str(other)) == "test-2"
        assert use("") == "2026.11-1"  # back to a known text: audited again
    finally:
        get_settings.cache_clear()
    with db.session() as s:
        records = s.scalars(select(AuditRecord).where(AuditRecord.event == "policy.activated")).all()
        assert [r.payload["version"] for r in records] == ["2026.11-1", "test-2", "2026.11-1"]
        assert records[2].payload["previous"] == records[1].payload["sha256"]
        assert len(s.scalars(select(PolicyVersion)).all()) == 2
