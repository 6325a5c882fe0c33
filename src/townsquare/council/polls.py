"""Advisory community polls attached to council cases.

One account, one vote; only eligible accounts (old enough, active enough, not suspended or banned) may vote.
Results are shown raw and bridged — `council.scoring` (the Community Notes rules: low-volume raters left out,
intercept ≥ 0.40, |factor| < 0.5, net supporters on each side, a reputation round) over the community's whole rating
history (`CommunityVote`, which every poll vote is also written to); the poll itself is the contested item, so its
own outcome never earns a rater reputation. A poll never decides anything: the council sees
both readings next to its own vote, and nothing in the decision rule reads a poll.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import numpy as np
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from townsquare import audit
from townsquare.core import clock
from townsquare.core.enums import AccountStatus
from townsquare.core.errors import Conflict, Forbidden, Invalid, NotFound
from townsquare.council import cases as council_cases
from townsquare.council import scoring
from townsquare.settings import get_settings
from townsquare.storage.models import Account, CommunityVote, Poll, PollVote, Post

DEFAULT_ELIGIBILITY: dict[str, Any] = {
    "min_account_age_days": 30,
    "min_activity": 1,
    "exclude_statuses": [AccountStatus.SUSPENDED.value, AccountStatus.BANNED.value],
}
VALUES = (0.0, 0.5, 1.0)
MAX_BATCH = 10_000


def poll_item(poll_id: int) -> str:
    return f"poll:{poll_id}"


def create(
    session: Session,
    *,
    council_case_id: int,
    question: str,
    actor: str,
    days: int = 7,
    eligibility: dict[str, Any] | None = None,
) -> Poll:
    council_cases.get_case(session, council_case_id)
    question = (question or "").strip()
    if not question:
        raise Invalid("a poll needs a question")
    if days < 1 or days > 90:
        raise Invalid("a poll stays open between 1 and 90 days")
    rules = {**DEFAULT_ELIGIBILITY, **(eligibility or {})}
    unknown = set(rules) - set(DEFAULT_ELIGIBILITY)
    if unknown:
        raise Invalid(f"unknown eligibility rules: {', '.join(sorted(unknown))}")
    if not isinstance(rules["min_account_age_days"], int) or not isinstance(rules["min_activity"], int):
        raise Invalid("min_account_age_days and min_activity must be integers")
    now = clock.now()
    poll = Poll(
        council_case_id=council_case_id,
        question=question,
        eligibility=rules,
        opens_at=now,
        closes_at=now + timedelta(days=days),
        created_at=now,
    )
    session.add(poll)
    session.flush()
    audit.append(
        session,
        actor=actor,
        event="poll.created",
        subject_type="poll",
        subject_id=str(poll.id),
        payload={
            "council_case_id": council_case_id,
            "question": question,
            "eligibility": rules,
            "days": days,
        },
    )
    return poll


def get(session: Session, poll_id: int) -> Poll:
    poll = session.get(Poll, poll_id)
    if poll is None:
        raise NotFound(f"poll {poll_id} not found")
    return poll


def activity(session: Session, account_id: str, *, exclude_item: str | None = None) -> int:
    """Posts written plus ratings given (other than in this poll)."""
    posts = session.scalar(select(func.count()).where(Post.author_id == account_id)) or 0
    q = select(func.count()).where(CommunityVote.account_id == account_id)
    if exclude_item is not None:
        q = q.where(CommunityVote.item != exclude_item)
    return int(posts) + int(session.scalar(q) or 0)


def check_eligible(session: Session, poll: Poll, account_id: str, now: datetime) -> Account:
    account = session.get(Account, account_id)
    if account is None:
        raise NotFound(f"account {account_id!r} not found")
    rules = poll.eligibility
    if account.status in rules.get("exclude_statuses", []):
        raise Forbidden(f"account {account_id!r} is {account.status} and may not vote")
    age = now - clock.as_utc(account.created_at)
    if age < timedelta(days=int(rules.get("min_account_age_days", 0))):
        raise Forbidden(f"account {account_id!r} is younger than {rules['min_account_age_days']} days")
    if activity(session, account_id, exclude_item=poll_item(poll.id)) < int(rules.get("min_activity", 0)):
        raise Forbidden(f"account {account_id!r} has too little activity to vote")
    return account


def vote(session: Session, *, poll_id: int, account_id: str, value: float, actor: str) -> PollVote:
    """One account, one vote (1 support, 0.5 partly, 0 oppose)."""
    poll = get(session, poll_id)
    if value not in VALUES:
        raise Invalid("value must be 1 (support), 0.5 (partly) or 0 (oppose)")
    now = clock.now()
    if now < clock.as_utc(poll.opens_at) or now > clock.as_utc(poll.closes_at):
        raise Conflict(f"poll {poll_id} is closed")
    check_eligible(session, poll, account_id, now)
    row = PollVote(poll_id=poll.id, account_id=account_id, value=float(value), created_at=now)
    try:
        with session.begin_nested():
            session.add(row)
            session.add(
                CommunityVote(
                    item=poll_item(poll.id), account_id=account_id, value=float(value), created_at=now
                )
            )
            session.flush()
    except IntegrityError:
        raise Conflict(f"account {account_id!r} already voted in poll {poll_id}") from None
    audit.append(
        session,
        actor=actor,
        event="poll.vote",
        subject_type="poll",
        subject_id=str(poll.id),
        payload={"account_id": account_id, "value": float(value)},
    )
    return row


def add_history(session: Session, *, votes: list[dict[str, Any]], actor: str) -> tuple[int, int]:
    """Record community ratings of other items (the history the bridged reading is fitted on).

    Returns (created, unchanged). Re-sending the same rating is a no-op; a different value for the same item and
    account is a conflict, and the whole batch is refused (nothing half-written).
    """
    if not votes or len(votes) > MAX_BATCH:
        raise Invalid(f"send between 1 and {MAX_BATCH} votes")
    created = unchanged = 0
    seen: dict[tuple[str, str], float] = {}
    for v in votes:
        item, account, value = (
            str(v.get("item", "")).strip(),
            str(v.get("account_id", "")).strip(),
            v.get("value"),
        )
        if not item or not account or value not in VALUES:
            raise Invalid("each vote needs item, account_id and value in {0, 0.5, 1}")
        if item.startswith("poll:"):
            raise Invalid("poll votes go through the poll, not the history")
        if seen.get((item, account), value) != value:
            raise Conflict(f"two values for {item!r} by {account!r} in one batch")
        seen[(item, account)] = float(value)
    for (item, account), value in seen.items():
        existing = session.scalars(
            select(CommunityVote).where(CommunityVote.item == item, CommunityVote.account_id == account)
        ).first()
        if existing is not None:
            if existing.value != value:
                raise Conflict(f"{account!r} already rated {item!r} with a different value")
            unchanged += 1
            continue
        session.add(CommunityVote(item=item, account_id=account, value=value, created_at=clock.now()))
        created += 1
    session.flush()
    audit.append(
        session, actor=actor, event="community.votes", payload={"created": created, "unchanged": unchanged}
    )
    return created, unchanged


def results(session: Session, poll_id: int) -> dict[str, Any]:
    """Raw and bridged results. Advisory only."""
    poll = get(session, poll_id)
    values = np.array(
        list(session.scalars(select(PollVote.value).where(PollVote.poll_id == poll.id))), dtype=float
    )
    n = int(values.size)
    raw = {
        "votes": n,
        "support": round(float((values >= 0.75).mean()), 4) if n else None,
        "partly": round(float(((values > 0.25) & (values < 0.75)).mean()), 4) if n else None,
        "oppose": round(float((values <= 0.25).mean()), 4) if n else None,
        "mean": round(float(values.mean()), 4) if n else None,
    }
    out: dict[str, Any] = {
        "poll_id": poll.id,
        "council_case_id": poll.council_case_id,
        "question": poll.question,
        "opens_at": clock.as_utc(poll.opens_at).isoformat(),
        "closes_at": clock.as_utc(poll.closes_at).isoformat(),
        "open": clock.as_utc(poll.opens_at) <= clock.now() <= clock.as_utc(poll.closes_at),
        "eligibility": poll.eligibility,
        "advisory": True,
        "note": "Advisory only: the council sees these results; a poll never decides a case.",
        "raw": raw,
        "bridged": None,
    }
    if n == 0:
        return out
    rows = session.execute(
        select(CommunityVote.account_id, CommunityVote.item, CommunityVote.value).order_by(
            CommunityVote.account_id, CommunityVote.item
        )
    ).all()
    item = poll_item(poll.id)
    result = scoring.score(
        [(str(a), str(i), float(v)) for a, i, v in rows], params=scoring_params(), contested={item}
    )
    s = result.items[item]
    out["bridged"] = {
        "votes": s.ratings,
        "votes_in_fit": s.ratings_in_fit,
        "raw_support": round(float(values.mean()), 4),
        "bridged_support": None if s.bridged_support is None else round(s.bridged_support, 4),
        "intercept": None if s.intercept is None else round(s.intercept, 4),
        "factor": None if s.factor is None else round(s.factor, 4),
        "polarisation": None if s.factor is None else round(abs(s.factor), 4),
        "sides": {
            side: {
                "voters": s.raters[key],
                "supporters": s.supporters[key],
                "net_supporters": s.net_supporters[key],
            }
            for side, key in (("left", "negative"), ("right", "positive"))
        },
        "status": s.status,
        "reasons": s.reasons,
        "excluded_low_volume": len(result.excluded_low_volume),
        "excluded_reputation": len(result.excluded_reputation),
        "reputation_applied": result.reputation_applied,
        "rounds": result.rounds,
        "history_votes": len(rows),
        "history_items": len({r[1] for r in rows}),
    }
    return out


def scoring_params() -> scoring.ScoringParams:
    """The scorer's thresholds for community readings (the two the charter sets come from the settings)."""
    settings = get_settings()
    return scoring.ScoringParams(
        min_ratings_per_rater=settings.council_min_ratings_per_rater,
        min_net_per_side=settings.council_min_net_supporters_per_side,
    )


def for_case(session: Session, council_case_id: int) -> list[Poll]:
    return list(
        session.scalars(select(Poll).where(Poll.council_case_id == council_case_id).order_by(Poll.id))
    )
