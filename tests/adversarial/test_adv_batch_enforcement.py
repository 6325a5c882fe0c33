"""Attacks on the batch path of automated enforcement (`policy/batch.py`, invariant 3 and the strike rules).

A worker writes a batch's simple acted posts together. An abuser who packs violations into one batch must get the
consequences of posting them one by one (strikes, suspension, a ban proposal for a person — never a ban by
machine), every batch-written action must carry a statement naming what is in force, and a rogue admin who edits
a batch-written action row or its audit record directly in the database must be caught.
"""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DatabaseError

from townsquare import audit
from townsquare.audit.state import verify_states
from townsquare.posts.ingest import ingest
from townsquare.storage.db import Database
from townsquare.storage.models import Account, Action, AuditRecord, Case, Post, Strike
from townsquare.stream import process


def threat() -> dict[str, Any]:
    """A classifier result the default policy removes (automation: interim reach limit, a case, a strike)."""
    return {
        "model": "test",
        "lang": "en",
        "risk": "high",
        "labels": ["violent_threat"],
        "scores": {"violent_threat": 0.97},
        "tiers": {"violent_threat": "high"},
        "garm": {},
        "evidence": [],
    }


def clean() -> dict[str, Any]:
    return {
        "model": "test",
        "lang": "en",
        "risk": "none",
        "labels": [],
        "scores": {},
        "tiers": {},
        "garm": {},
    }


def enforce(db: Database, posts: list[tuple[str, str, dict[str, Any]]]) -> None:
    with db.session() as s:
        ingest(
            s, [{"id": p, "author": a, "text": f"text {p}", "lang": "en"} for p, a, _ in posts], assess=False
        )
    with db.session() as s:
        rows = [s.get(Post, p) for p, _, _ in posts]
        process.assess_posts(s, rows, [r for _, _, r in posts], worker="adv")  # type: ignore[arg-type]


def test_packing_violations_into_one_batch_dodges_no_strike_and_bans_nobody(db: Database) -> None:
    """Five threats by one author in one batch (among others' posts): five strikes, the suspension at three, and
    at five a case proposing a ban for a person to decide — the author is not banned by a machine."""
    posts = [(f"spam{i}", "abuser", threat()) for i in range(5)]
    posts += [(f"other{i}", f"bystander{i}", threat() if i % 2 else clean()) for i in range(6)]
    posts.sort(key=lambda p: p[0][-1])  # the abuser's posts interleaved with the others'
    enforce(db, posts)
    with db.session() as s:
        strikes = s.scalars(select(Strike).where(Strike.account_id == "abuser")).all()
        account = s.get(Account, "abuser")
        ban_cases = s.scalars(
            select(Case).where(Case.account_id == "abuser", Case.proposed_action == "permanent_ban")
        ).all()
        bans = s.scalars(select(Action).where(Action.action == "permanent_ban")).all()
        post_actions = s.scalars(select(Action).where(Action.subject_type == "post")).all()
        assert len(strikes) == 5 and account is not None
        assert account.status == "suspended" and account.suspended_until is not None
        assert len(ban_cases) == 1 and bans == []
        assert len(post_actions) == 5 + 3  # every threat got its interim measure, the abuser's included
        for a in post_actions:  # the statement names the action in force
            assert a.statement["incompatible_content_explanation"] or a.statement.get(
                "illegal_content_explanation"
            )
            assert a.statement["decision_facts"].endswith(f"Action: {a.action}."), a.statement[
                "decision_facts"
            ]
        count, problem = audit.verify(s)
        checked, problems = verify_states(s)
    assert problem is None and count > 0
    assert problems == [] and checked > 0


def test_a_rogue_edit_of_a_batch_written_action_is_caught(db: Database) -> None:
    """The batch path writes rows and records in bulk; editing them behind its back is still caught: a status
    changed in place shows in the state replay, and its audit record refuses to change at all."""
    enforce(db, [(f"p{i}", f"a{i}", threat()) for i in range(4)])
    with db.session() as s:
        target = s.scalars(select(Action).where(Action.post_id == "p2")).one()
        record = s.scalars(
            select(AuditRecord.seq).where(
                AuditRecord.event == "action.applied", AuditRecord.subject_id == "p2"
            )
        ).one()
    with db.session() as s:  # a rogue admin with database access "reverses" it without the door
        s.execute(text("UPDATE actions SET status = 'reversed' WHERE id = :i"), {"i": target.id})
    with db.session() as s:
        _, problems = verify_states(s)
    assert [(p.kind, p.row_id, p.status) for p in problems] == [("action", str(target.id), "reversed")]
    for statement in (
        "UPDATE audit_records SET payload = '{}' WHERE seq = :i",
        "DELETE FROM audit_records WHERE seq = :i",
    ):
        with pytest.raises(DatabaseError), db.session() as s:
            s.execute(text(statement), {"i": record})
