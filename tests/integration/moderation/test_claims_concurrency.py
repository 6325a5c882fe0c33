"""Two moderators can never hold or decide the same case (SQLite and PostgreSQL)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import TypeVar

import pytest
from moderation_helpers import report_post

from townsquare.core import clock
from townsquare.core.errors import Conflict
from townsquare.moderation import claims, decisions, reports
from townsquare.moderation.cases import CLAIMED, OPEN, get_case
from townsquare.settings import get_settings
from townsquare.storage.db import Database
from townsquare.storage.models import Case, CaseDecision, Report

T = TypeVar("T")


def _case(db: Database, post: Callable[..., str]) -> int:
    post("p1")
    return report_post(db)


def _race(work: Callable[[T], None], args: Sequence[T]) -> None:
    """``work(arg)`` for each arg in its own thread, all released at the same instant by a barrier."""
    barrier = threading.Barrier(len(args))

    def run(arg: T) -> None:
        barrier.wait()
        work(arg)

    threads = [threading.Thread(target=run, args=(a,)) for a in args]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def test_two_threads_claim_at_once_one_wins(db: Database, post: Callable[..., str]) -> None:
    case_id = _case(db, post)
    outcomes: dict[str, str] = {}

    def worker(name: str) -> None:
        try:
            with db.session() as s:
                claims.claim(s, case_id=case_id, moderator=name)
            outcomes[name] = "won"
        except Conflict:
            outcomes[name] = "conflict"

    _race(worker, ["mod-a", "mod-b"])
    assert sorted(outcomes.values()) == ["conflict", "won"]
    winner = next(n for n, o in outcomes.items() if o == "won")
    with db.session() as s:
        case = get_case(s, case_id)
        assert case.status == CLAIMED and case.claimed_by == winner and case.version == 1


def test_stale_version_update_matches_nothing(db: Database, post: Callable[..., str]) -> None:
    """The optimistic lock itself: a transition computed from a stale read is refused."""
    case_id = _case(db, post)
    with db.session() as s:
        seen_by_a = get_case(s, case_id)
    with db.session() as s:
        seen_by_b = get_case(s, case_id)
    assert seen_by_a.version == seen_by_b.version == 0
    with db.session() as s:
        stale_a = s.merge(seen_by_a, load=False)
        claims.transition(s, stale_a, status=CLAIMED, claimed_by="mod-a", claim_expires_at=clock.now())
    with pytest.raises(Conflict), db.session() as s:
        stale_b = s.merge(seen_by_b, load=False)
        claims.transition(s, stale_b, status=CLAIMED, claimed_by="mod-b", claim_expires_at=clock.now())
    with db.session() as s:
        assert get_case(s, case_id).claimed_by == "mod-a"


def test_two_threads_decide_at_once_one_decision(db: Database, post: Callable[..., str]) -> None:
    """Even a moderator racing themself (two tabs) produces one decision and one action."""
    case_id = _case(db, post)
    with db.session() as s:
        claims.claim(s, case_id=case_id, moderator="mod-a")
    results: list[str] = []

    def worker(action: str) -> None:
        try:
            with db.session() as s:
                decisions.decide(
                    s, case_id=case_id, moderator="mod-a", action=action, rule_id="hate.derogation"
                )
            results.append("ok")
        except Conflict:
            results.append("conflict")

    _race(worker, ["remove", "limit_reach"])
    assert sorted(results) == ["conflict", "ok"]
    with db.session() as s:
        assert len(list(s.query(CaseDecision).filter_by(case_id=case_id))) == 1


def test_claim_times_out_and_the_late_moderator_cannot_decide(db: Database, post: Callable[..., str]) -> None:
    case_id = _case(db, post)
    with db.session() as s:
        claims.claim(s, case_id=case_id, moderator="mod-a")
    with pytest.raises(Conflict), db.session() as s:
        claims.claim(s, case_id=case_id, moderator="mod-b")
    clock.advance(get_settings().claim_timeout_seconds + 1)
    with db.session() as s:
        claims.claim(s, case_id=case_id, moderator="mod-b")  # expired claims are free
    with pytest.raises(Conflict), db.session() as s:
        decisions.decide(s, case_id=case_id, moderator="mod-a", action="none", rule_id="hate.derogation")
    clock.advance(get_settings().claim_timeout_seconds + 1)
    with db.session() as s:
        assert claims.expire_claims(s) == 1
        assert get_case(s, case_id).status == OPEN


def test_simultaneous_reports_open_one_case(db: Database, post: Callable[..., str]) -> None:
    """Different reporters at the same instant: one report each, one case for the subject."""
    post("p1")
    n = 4
    errors: list[BaseException] = []

    def worker(i: int) -> None:
        try:
            with db.session() as s:
                reports.submit_report(
                    s, reporter_id=f"u{i}", subject_type="post", subject_id="p1", reason="hate"
                )
        except BaseException as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)

    _race(worker, list(range(n)))
    assert not errors
    with db.session() as s:
        rows = list(s.query(Report).filter_by(subject_id="p1"))
        assert len(rows) == n and len({r.case_id for r in rows}) == 1
        assert s.query(Case).count() == 1
