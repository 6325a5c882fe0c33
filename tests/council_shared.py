"""Council set-up shared by the council, audit, notices and adversarial suites: a seeded voting history, a ban.

The bridging rule only reaches a binding decision once members have a past that places them in camps, so every
suite that needs a binding council outcome seeds the same deterministic history: camp-line votes on polarised
cases, agreement on the rest. One copy here keeps those suites agreeing on what "two camps" means. Appeals to
the council start from a permanent ban taken by a moderator (`permanent_ban`).
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.orm import Session

from townsquare.core import clock
from townsquare.storage.db import Database
from townsquare.storage.models import Account, CouncilCase, CouncilVote

CAMPS = {1: -1.0, 2: -1.0, 3: -0.6, 4: 0.0, 5: 0.6, 6: 1.0, 7: 1.0}
"""Positions of the seeded members (1-based seat -> position): two camps and a centre; other seats are centre."""


def add_history(s: Session, member_ids: list[int], n_cases: int = 14) -> None:
    """Decided past cases in this session: camp-line votes on polarised cases, agreement on the rest."""
    for c in range(n_cases):
        cc = CouncilCase(
            origin="platform",
            question=f"past question {c}",
            status="decided",
            deadline=clock.now() - timedelta(days=1),
            referred_by="seed",
        )
        s.add(cc)
        s.flush()
        for k, mid in enumerate(member_ids, start=1):
            pos = CAMPS.get(k, 0.0)
            if c % 3 == 2 or pos == 0.0:  # consensus case
                vote = "overturn" if c % 2 else "uphold"
            else:
                left_overturns = c % 2 == 0
                vote = "overturn" if (pos < 0) == left_overturns else "uphold"
            s.add(CouncilVote(council_case_id=cc.id, member_id=mid, vote=vote, rationale="seeded"))


def seed_history(db: Database, member_ids: list[int], n_cases: int = 14) -> None:
    """`add_history` in a session of its own (committed)."""
    with db.session() as s:
        add_history(s, member_ids, n_cases)


def permanent_ban(
    db: Database, account: str = "bob", actor: str = "mod-x", reason: str = "ban evasion"
) -> int:
    """A moderator's permanent ban of `account` (created a year old if missing), through the enforcement path;
    returns the action id (only a binding council decision can lift it)."""
    from townsquare.policy import enforce

    with db.session() as s:
        if s.get(Account, account) is None:
            s.add(Account(id=account, handle=account, created_at=clock.now() - timedelta(days=400)))
            s.flush()
        ban = enforce.apply_action(
            s,
            subject_type="account",
            subject_id=account,
            action="permanent_ban",
            rule_id="account.ban_evasion",
            actor=actor,
            actor_kind="moderator",
            reason=reason,
        )
        return int(ban.id)
