"""Two-admin policy activation and automation-ceiling changes (SQLite and PostgreSQL): a proposal is checked and
replayed and changes nothing; its proposer cannot approve it; a second admin's approval activates it with audit
records; a stale proposal is refused; bad input changes nothing."""

from __future__ import annotations

import pytest
from admin_change_helpers import candidate_text, events
from sqlalchemy import func, select

from townsquare import audit
from townsquare.core.errors import Conflict, Forbidden, Invalid
from townsquare.policy import activation
from townsquare.policy.ceiling import automation_ceiling
from townsquare.policy.engine import active_policy, current_policy
from townsquare.storage.db import Database
from townsquare.storage.models import AdminChange, AuditRecord, PolicyVersion


def test_second_admin_activates_a_checked_and_replayed_policy(db: Database) -> None:
    with db.session() as s:
        before = active_policy(s)
        change = activation.propose_policy(
            s, source=candidate_text(), actor="admin-a", reason="softer first rule"
        )
        change_id = change.id
        assert change.status == "pending" and change.base == before.sha256
        assert "replay" in change.summary and change.summary["replay"]["current"] == before.label
        assert current_policy(s).sha256 == before.sha256  # proposing changes nothing in force
        s.commit()
    with db.session() as s:
        with pytest.raises(Forbidden):
            activation.approve(s, change_id=change_id, actor="admin-a")
        s.rollback()
    with db.session() as s:
        row = activation.approve(s, change_id=change_id, actor="admin-b")
        assert row.status == "activated" and row.decided_by == "admin-b"
        s.commit()
    with db.session() as s:
        now = active_policy(s)
        assert now.sha256 != before.sha256 and now.version == "2026.12-e2e"
        log = events(s)
        assert log.index("policy.proposed") < log.index("admin_change.approved") < len(log) - 1
        assert log[-1] == "policy.activated"
        assert s.scalar(select(PolicyVersion.activated_by).where(PolicyVersion.sha256 == now.sha256)) == (
            "admin-a+admin-b"
        )
        assert audit.verify(s)[1] is None
        with pytest.raises(Conflict):  # approved once, never twice
            activation.approve(s, change_id=change_id, actor="admin-c")


def test_invalid_policy_is_refused_with_the_check_messages_and_changes_nothing(db: Database) -> None:
    with db.session() as s:
        active_policy(s)
        s.commit()
        n_audit = s.scalar(select(func.count()).select_from(AuditRecord))
        with pytest.raises(Invalid) as err:
            activation.propose_policy(s, source="name: x\nversion: 1\nrules: []\n", actor="admin-a")
        assert "policy check" in err.value.detail and "policy:" in err.value.detail
        s.rollback()
        assert s.scalar(select(func.count()).select_from(AdminChange)) == 0
        assert s.scalar(select(func.count()).select_from(AuditRecord)) == n_audit
        with pytest.raises(Conflict):  # the text already in force
            activation.propose_policy(s, source=active_policy(s).source, actor="admin-a")


def test_a_stale_proposal_is_superseded_not_activated(db: Database) -> None:
    with db.session() as s:
        first = activation.propose_policy(s, source=candidate_text("2026.12-a"), actor="admin-a").id
        second = activation.propose_policy(
            s, source=candidate_text("2026.12-b", "limit_reach"), actor="admin-a"
        ).id
        activation.approve(s, change_id=first, actor="admin-b")
        s.commit()
    with db.session() as s:
        with pytest.raises(Conflict):
            activation.approve(s, change_id=second, actor="admin-b")
        s.commit()  # the superseded status and its audit record are kept
    with db.session() as s:
        assert activation.get_change(s, second).status == "superseded"
        assert current_policy(s).version == "2026.12-a"


def test_automation_ceiling_needs_two_admins(db: Database) -> None:
    with db.session() as s:
        old = automation_ceiling(s).value
        with pytest.raises(Invalid):
            activation.propose_ceiling(s, value="permanent_ban", actor="admin-a")
        change = activation.propose_ceiling(s, value="label", actor="admin-a")
        assert automation_ceiling(s).value == old
        with pytest.raises(Forbidden):
            activation.approve(s, change_id=change.id, actor="admin-a")
        activation.approve(s, change_id=change.id, actor="admin-b")
        s.commit()
    with db.session() as s:
        assert automation_ceiling(s).value == "label"
        assert events(s)[-2:] == ["admin_change.approved", "settings.changed"]


def test_cancelled_change_cannot_be_approved(db: Database) -> None:
    with db.session() as s:
        change = activation.propose_ceiling(s, value="label", actor="admin-a")
        activation.cancel(s, change_id=change.id, actor="admin-a", reason="typo")
        with pytest.raises(Conflict):
            activation.approve(s, change_id=change.id, actor="admin-b")
        assert automation_ceiling(s).value != "label"
