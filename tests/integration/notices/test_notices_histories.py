"""Random histories (hypothesis) over real SQLite and PostgreSQL: report, decide, appeal, manual action, expiry,
duplicate reports. After every history: the statement checker finds nothing, and each reporter's latest notice
carries the report's current outcome, once, with its own stable id."""

from __future__ import annotations

import contextlib
import itertools
import json
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from notices_helpers import add_post, latest_outcomes, seat_council
from sqlalchemy import select

from townsquare.core import clock
from townsquare.core.errors import DomainError
from townsquare.council import cases as council_cases
from townsquare.council import decisions as council_decisions
from townsquare.moderation import appeals, claims, decisions, reports
from townsquare.moderation.webhooks import DELIVERY_HEADER, deliver_pending
from townsquare.notices.expiry import expire_reports
from townsquare.notices.manual import open_subject_case, take_manual_action
from townsquare.storage.db import Database
from townsquare.storage.models import Account, Action, Appeal, CouncilCase, CouncilMember, Notification
from townsquare.transparency.check import check_all
from webhook_receiver import Receiver, receiving

SCORES = [{"hate_speech": 0.99}, {"misinformation": 0.6}, {}]
ACTIONS = ["none", "label", "limit_reach", "remove"]
RULES = {"none": "hate.derogation", "label": "hate.borderline", "limit_reach": "hate.derogation"}
OPS = [
    "post",
    "report",
    "report",
    "decide",
    "appeal",
    "manual",
    "expire",
    "duplicate",
    "ban",
    "refer",
    "council",
]
_ids = itertools.count()
SECRET = "SENTINEL-WEBHOOK-SECRET-3b7e"
STATS = {"histories": 0, "statements": 0, "council_decisions": 0}


def _op(db: Database, prefix: str, op: str, a: int, b: int, posts: list[str]) -> None:
    with db.session() as s:
        if op == "post" or not posts:
            pid = f"{prefix}-p{len(posts)}"
            add_post(
                s, pid, author=f"{prefix}-auth{a % 2}", lang="fr" if b % 2 else "en", scores=SCORES[a % 3]
            )
            posts.append(pid)
            return
        pid = posts[a % len(posts)]
        if op in ("report", "duplicate"):  # a duplicate is an identical retry; a report may add a new text
            text = "x" if op == "duplicate" else f"x{a % 3}"
            reports.submit_report(
                s, reporter_id=f"{prefix}-u{b}", subject_type="post", subject_id=pid, reason="hate", text=text
            )
        elif op == "decide":
            case = open_subject_case(s, "post", pid)
            if case is None:
                return
            claims.claim(s, case_id=case.id, moderator="mod-a")
            act = ACTIONS[b % 4]
            decisions.decide(
                s,
                case_id=case.id,
                moderator="mod-a",
                action=act,
                rule_id=RULES.get(act, "hate.dehumanisation"),
                explanation="Explained to the author.",
                private_note="private note of mod-a",
            )
        elif op == "appeal":
            action = s.scalars(
                select(Action).where(
                    Action.post_id == pid, Action.status == "active", Action.automated.is_(False)
                )
            ).first()
            if action is None or s.scalars(select(Appeal).where(Appeal.action_id == action.id)).first():
                return
            appeal, _ = appeals.file_appeal(
                s, action_id=action.id, appellant_id=str(action.account_id), text="no"
            )
            assert appeal.case_id is not None
            claims.claim(s, case_id=appeal.case_id, moderator="mod-b")
            appeals.decide_appeal(
                s,
                appeal_id=appeal.id,
                moderator="mod-b",
                outcome=["overturn", "uphold", "modify"][b % 3],
                statement="Reviewed again.",
                new_action="label",
                private_note="private note of mod-b",
            )
        elif op == "manual":
            act = ["remove", "label", "limit_reach"][b % 3]
            take_manual_action(
                s,
                subject_type="post",
                subject_id=pid,
                action=act,
                rule_id=RULES.get(act, "hate.dehumanisation"),
                actor="admin-x",
                explanation="Acted on the report.",
                private_note="private note of admin-x",
            )
        elif op == "ban":
            author = f"{prefix}-auth{a % 2}"
            if s.get(Account, author) is None or s.get(Account, author).status == "banned":  # type: ignore[union-attr]
                return
            reports.submit_report(
                s,
                reporter_id=f"{prefix}-u{b}",
                subject_type="account",
                subject_id=author,
                reason="other",
                text="x",
            )
            take_manual_action(
                s,
                subject_type="account",
                subject_id=author,
                action="permanent_ban",
                rule_id="account.ban_evasion",
                actor="admin-x",
                explanation="Ban evasion.",
                private_note="private note of admin-x",
            )
        elif op == "refer":
            ban = s.scalars(
                select(Action).where(
                    Action.account_id.startswith(prefix),
                    Action.action == "permanent_ban",
                    Action.status == "active",
                )
            ).first()
            if ban is not None and not s.scalars(select(Appeal).where(Appeal.action_id == ban.id)).first():
                appeals.file_appeal(s, action_id=ban.id, appellant_id=str(ban.account_id), text="not me")
        elif op == "council":
            ccase = s.scalars(
                select(CouncilCase).where(CouncilCase.status == "open", CouncilCase.appeal_id.is_not(None))
            ).first()
            if ccase is None:
                return
            if clock.now() > clock.as_utc(ccase.deadline):
                council_decisions.decide(s, case_id=ccase.id, actor="system", at_deadline=True)
                return
            members = {m.id: m.key_name for m in s.scalars(select(CouncilMember))}
            for seat in council_cases.seats(s, ccase.id):
                if ccase.status != "open":
                    break
                council_cases.cast_vote(
                    s,
                    case_id=ccase.id,
                    key_name=str(members[seat.member_id]),
                    vote="overturn" if b % 2 == 0 else "uphold",
                    rationale="The panel's reading.",
                )
        elif op == "expire":
            clock.advance(15 * 86400)
            expire_reports(s)


@pytest.fixture
def receiver(monkeypatch: pytest.MonkeyPatch) -> Iterator[Receiver]:
    with receiving(monkeypatch, SECRET) as r:
        yield r


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@example(history=[("post", 0, 0), ("ban", 0, 1), ("refer", 0, 0), ("council", 0, 0), ("duplicate", 0, 0)])
@example(history=[("post", 1, 0), ("ban", 1, 2), ("refer", 0, 0), ("council", 0, 1), ("expire", 0, 0)])
@example(history=[("post", 0, 0), ("ban", 0, 1), ("refer", 0, 0), ("expire", 0, 0), ("council", 0, 0)])
# a notice expires unanswered on a case that stays open; a person acts later: not a response to that notice
@example(history=[("post", 3, 5), ("report", 0, 3), ("expire", 0, 0), ("expire", 0, 0), ("manual", 1, 2)])
@given(history=st.lists(st.tuples(st.sampled_from(OPS), st.integers(0, 5), st.integers(0, 5)), max_size=16))
def test_random_histories_tell_the_truth(
    db: Database, receiver: Receiver, history: list[tuple[str, int, int]]
) -> None:
    prefix = f"h{next(_ids)}"
    with db.session() as s:
        if s.scalars(select(CouncilMember)).first() is None:
            seat_council(s)
    already = {r["headers"][DELIVERY_HEADER] for r in receiver.received}
    try:  # simulated time (expiry) runs until every notice of the history was delivered
        _run_and_check(db, receiver, prefix, history, already)
    finally:
        clock.reset()


def _run_and_check(
    db: Database, receiver: Receiver, prefix: str, history: list[tuple[str, int, int]], already: set[str]
) -> None:
    posts: list[str] = []
    for op, a, b in history:
        with contextlib.suppress(DomainError):  # a refused step changes nothing; the history goes on
            _op(db, prefix, op, a, b, posts)
    with db.session() as s:
        result = check_all(s)
        assert result.findings == [], result.findings
        for report_id, (outcome, told) in latest_outcomes(s).items():
            assert outcome == told, (report_id, outcome, told)
        ids = list(s.scalars(select(Notification.id)))
        assert len(ids) == len(set(ids))
    deliver_pending(db)
    deliver_pending(db)  # a second round sends nothing again
    delivered = [r["headers"][DELIVERY_HEADER] for r in receiver.received]
    assert len(delivered) == len(set(delivered))  # once each, keyed by the notification's stable id
    with db.session() as s:
        missing = [
            (n.id, n.kind, n.webhook_status, str(n.webhook_next_at), n.webhook_error)
            for n in s.scalars(select(Notification))
            if str(n.id) not in set(delivered)
        ]
        assert missing == []
        assert not list(s.scalars(select(Notification.id).where(Notification.webhook_status != "delivered")))
    for r in receiver.received:
        assert SECRET.encode() not in r["body"]
        if r["headers"][DELIVERY_HEADER] not in already:
            assert json.loads(r["body"])["id"] == int(r["headers"][DELIVERY_HEADER])
    STATS["histories"] += 1
    STATS["statements"] = result.statements
    with db.session() as s:
        STATS["council_decisions"] = len(
            list(
                s.scalars(
                    select(CouncilCase.id).where(
                        CouncilCase.status == "decided", CouncilCase.appeal_id.is_not(None)
                    )
                )
            )
        )


def test_histories_were_generated(db: Database) -> None:
    """Prints the counts for the closing note (histories generated, statements checked in the last one)."""
    print(f"notices histories: {STATS}")
