"""Property-based: random report / claim / release / escalate / decide / appeal / expire sequences keep the case
state machine valid and lose no report and no notification (SQLite and PostgreSQL).

Each hypothesis example works on its own posts (a unique prefix), so examples share the test's database and the
invariants look only at the example's own rows.
"""

from __future__ import annotations

import uuid
from collections import Counter
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule, run_state_machine_as_test
from sqlalchemy import select

from townsquare.core import clock
from townsquare.core.errors import DomainError
from townsquare.moderation import appeals, claims, decisions, reports
from townsquare.moderation.cases import CLAIMED, DECIDED, OPEN, REFERRED, STATUSES, UNDECIDED
from townsquare.settings import get_settings
from townsquare.storage.db import Database
from townsquare.storage.models import Action, Appeal, Case, CaseDecision, Notification, Report

MODERATORS = ("mod-a", "mod-b", "mod-c")
REPORTERS = ("r1", "r2", "r3")
ACTORS = st.sampled_from((*MODERATORS, "holder", "holder", "holder"))
DECISIONS = (("none", "hate.derogation"), ("label", "hate.borderline"), ("remove", "hate.dehumanisation"))


def make_machine(db: Database, seed_post: Any) -> type[RuleBasedStateMachine]:
    class ModerationMachine(RuleBasedStateMachine):
        @initialize()
        def setup(self) -> None:
            prefix = uuid.uuid4().hex[:8]
            self.posts = [f"{prefix}-p{i}" for i in range(2)]
            for i, p in enumerate(self.posts):
                seed_post(db, p, author=f"{prefix}-author{i}")
            self.reporters = [f"{prefix}-{r}" for r in REPORTERS]
            self.submissions: Counter[tuple[str, str]] = Counter()
            self.texts: set[tuple[str, str, str]] = set()

        def _cases(self, s: Any) -> list[Case]:
            return list(s.scalars(select(Case).where(Case.post_id.in_(self.posts)).order_by(Case.id)))

        def _pick(self, statuses: tuple[str, ...], index: int) -> int | None:
            with db.session() as s:
                found = [c.id for c in self._cases(s) if c.status in statuses]
            return found[index % len(found)] if found else None

        def _actor(self, case_id: int, m: str) -> str:
            """Mostly the claim holder (so decisions happen), sometimes anyone (so conflicts happen too)."""
            if m != "holder":
                return m
            with db.session() as s:
                case = s.get(Case, case_id)
                return (case.claimed_by if case is not None else None) or "mod-a"

        def _try(self, fn: Any, **kw: Any) -> Any:
            try:
                with db.session() as s:
                    return fn(s, **kw)
            except DomainError:
                return None

        @rule(
            r=st.integers(0, 2),
            p=st.integers(0, 1),
            reason=st.sampled_from(["hate", "spam", "harassment"]),
            text=st.sampled_from(["", "bad", "worse"]),
        )
        def report(self, r: int, p: int, reason: str, text: str) -> None:
            reporter, post_id = self.reporters[r], self.posts[p]
            done = self._try(
                reports.submit_report,
                reporter_id=reporter,
                subject_type="post",
                subject_id=post_id,
                reason=reason,
                text=text,
            )
            assert done is not None, "a valid report must be accepted"
            if (reporter, post_id, reason + "|" + text) not in self.texts:
                self.texts.add((reporter, post_id, reason + "|" + text))
                self.submissions[(reporter, post_id)] += 1

        @rule(i=st.integers(0, 10), m=st.sampled_from(MODERATORS))
        def claim(self, i: int, m: str) -> None:
            case_id = self._pick(UNDECIDED, i)
            if case_id is not None:
                self._try(claims.claim, case_id=case_id, moderator=m)

        @rule(i=st.integers(0, 10), m=ACTORS)
        def release(self, i: int, m: str) -> None:
            case_id = self._pick((CLAIMED,), i)
            if case_id is not None:
                self._try(claims.release, case_id=case_id, moderator=self._actor(case_id, m))

        @rule(i=st.integers(0, 10), m=ACTORS)
        def escalate(self, i: int, m: str) -> None:
            case_id = self._pick((CLAIMED,), i)
            if case_id is not None:
                self._try(claims.escalate, case_id=case_id, moderator=self._actor(case_id, m))

        @rule(i=st.integers(0, 10), m=ACTORS, d=st.integers(0, len(DECISIONS) - 1))
        def decide(self, i: int, m: str, d: int) -> None:
            case_id = self._pick((CLAIMED,), i)
            if case_id is not None:
                action, rule_id = DECISIONS[d]
                self._try(
                    decisions.decide,
                    case_id=case_id,
                    moderator=self._actor(case_id, m),
                    action=action,
                    rule_id=rule_id,
                )

        @rule(i=st.integers(0, 10), m=st.sampled_from(MODERATORS), d=st.integers(0, len(DECISIONS) - 1))
        def claim_and_decide(self, i: int, m: str, d: int) -> None:
            """The everyday workflow in two transactions: claim an undecided case, then decide it."""
            case_id = self._pick(UNDECIDED, i)
            if case_id is not None and self._try(claims.claim, case_id=case_id, moderator=m) is not None:
                action, rule_id = DECISIONS[d]
                self._try(decisions.decide, case_id=case_id, moderator=m, action=action, rule_id=rule_id)

        @rule(i=st.integers(0, 10))
        def appeal(self, i: int) -> None:
            with db.session() as s:
                actions = list(
                    s.scalars(select(Action).where(Action.post_id.in_(self.posts)).order_by(Action.id))
                )
                if not actions:
                    return
                action = actions[i % len(actions)]
                author = action.account_id
            self._try(appeals.file_appeal, action_id=action.id, appellant_id=author, text="please review")

        @rule(
            i=st.integers(0, 10),
            m=st.sampled_from(MODERATORS),
            outcome=st.sampled_from(["uphold", "overturn", "modify"]),
        )
        def decide_appeal(self, i: int, m: str, outcome: str) -> None:
            with db.session() as s:
                pending = list(
                    s.scalars(
                        select(Appeal)
                        .join(Case, Case.id == Appeal.case_id)
                        .where(Case.post_id.in_(self.posts), Appeal.status == "pending")
                        .order_by(Appeal.id)
                    )
                )
                if not pending:
                    return
                appeal = pending[i % len(pending)]
            self._try(claims.claim, case_id=appeal.case_id, moderator=m)
            self._try(
                appeals.decide_appeal,
                appeal_id=appeal.id,
                moderator=m,
                outcome=outcome,
                statement="reviewed",
                new_action="label",
            )

        @rule()
        def expire(self) -> None:
            clock.advance(get_settings().claim_timeout_seconds + 1)
            with db.session() as s:
                claims.expire_claims(s)

        @invariant()
        def state_machine_valid(self) -> None:
            if not hasattr(self, "posts"):
                return
            with db.session() as s:
                cases = self._cases(s)
                undecided_keys = Counter(c.open_key for c in cases if c.status in UNDECIDED)
                for c in cases:
                    assert c.status in STATUSES
                    assert (c.open_key is not None) == (c.status in UNDECIDED), c.id
                    assert (c.decided_at is not None) == (c.status == DECIDED), c.id
                    if c.status == CLAIMED:
                        assert c.claimed_by and c.claim_expires_at is not None
                    if c.status == OPEN:
                        assert c.claimed_by is None and c.claim_expires_at is None
                    final = [
                        d
                        for d in s.scalars(select(CaseDecision).where(CaseDecision.case_id == c.id))
                        if d.outcome != "escalate"
                    ]
                    assert len(final) == (1 if c.status == DECIDED else 0), (c.id, c.status, len(final))
                    assert c.status != REFERRED  # no bans here, so nothing goes to the council
                assert all(n == 1 for n in undecided_keys.values())

        @invariant()
        def no_report_or_notification_lost(self) -> None:
            if not hasattr(self, "posts"):
                return
            with db.session() as s:
                rows = list(s.scalars(select(Report).where(Report.post_id.in_(self.posts))))
                assert {(r.reporter_id, r.post_id) for r in rows} == set(self.submissions)
                for r in rows:
                    assert r.count == self.submissions[(r.reporter_id, r.post_id)] == len(r.texts)
                    case = s.get(Case, r.case_id)
                    assert case is not None and case.post_id == r.post_id and case.origin != "appeal"
                    outcomes = list(
                        s.scalars(
                            select(Notification).where(
                                Notification.report_id == r.id, Notification.kind == "report_outcome"
                            )
                        )
                    )
                    if case.status == DECIDED:
                        assert r.outcome in (
                            "upheld",
                            "rejected",
                            "overturned",
                            "modified",
                        )  # appeals change it
                        # one notice per change of outcome (decision, then appeal): the latest is the current one
                        outcomes.sort(key=lambda n: n.id)
                        assert outcomes and all(n.recipient_id == r.reporter_id for n in outcomes)
                        assert outcomes[-1].payload["outcome"] == r.outcome
                        assert len(outcomes) == len({n.payload["outcome"] for n in outcomes})
                    else:
                        assert r.outcome is None and not outcomes
                decided_appeals = list(
                    s.scalars(
                        select(Appeal)
                        .join(Case, Case.id == Appeal.case_id)
                        .where(Case.post_id.in_(self.posts), Appeal.status != "pending")
                    )
                )
                for a in decided_appeals:
                    kinds = {
                        n.payload.get("appeal_id")
                        for n in s.scalars(
                            select(Notification).where(
                                Notification.recipient_id == a.author_id,
                                Notification.kind == "appeal_outcome",
                            )
                        )
                    }
                    assert a.id in kinds and a.reviewer is not None

    return ModerationMachine


def test_random_operations_keep_invariants(db: Database, seed: Any) -> None:
    machine = make_machine(db, seed)
    run_state_machine_as_test(
        machine,
        settings=settings(
            max_examples=10,
            stateful_step_count=30,
            deadline=None,
            suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
        ),
    )
