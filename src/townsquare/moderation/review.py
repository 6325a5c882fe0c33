"""Who may review what: an appeal is never offered to the moderator who decided the appealed action.

``appeals.decide_appeal`` refuses such a reviewer on submit, but that came after a claim that locked the appeal for
everyone else for the claim timeout. Here the same rule (``appeals.original_deciders``) filters the queue a
moderator sees, ``claim_next`` skips those cases, and ``claim`` refuses them up front (403), so the appeal stays
free for a colleague.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from townsquare.core import clock
from townsquare.core.errors import Conflict, Forbidden, NotFound
from townsquare.moderation import claims
from townsquare.moderation.appeals import original_deciders
from townsquare.moderation.cases import list_queue
from townsquare.storage.models import Action, Appeal, Case


def barred_cases(session: Session, moderator: str, cases: Iterable[Case]) -> set[int]:
    """The appeal cases among ``cases`` that ``moderator`` may not review (they decided the appealed action)."""
    ids = [c.id for c in cases if c.origin == "appeal"]
    if not ids:
        return set()
    barred: set[int] = set()
    rows = session.execute(
        select(Appeal.case_id, Action)
        .join(Action, Action.id == Appeal.action_id)
        .where(Appeal.case_id.in_(ids))
    ).all()
    for case_id, action in rows:
        if case_id is not None and moderator in original_deciders(session, action):
            barred.add(int(case_id))
    return barred


def may_review(session: Session, moderator: str, case: Case) -> bool:
    return case.id not in barred_cases(session, moderator, [case])


def claim(session: Session, *, case_id: int, moderator: str) -> Case:
    """``claims.claim``, refusing at once an appeal the moderator may not review."""
    case = claims.fresh_case(session, case_id)
    if not may_review(session, moderator, case):
        raise Forbidden(
            f"case {case_id} appeals a decision you took; a different moderator reviews it", case_id=case_id
        )
    return claims.claim(session, case_id=case_id, moderator=moderator)


def visible_queue(session: Session, *, queue: str, moderator: str, limit: int = 100) -> list[Case]:
    """The queue as ``moderator`` sees it: most urgent first, without appeals of their own decisions."""
    rows = list_queue(session, queue=queue, limit=limit)
    barred = barred_cases(session, moderator, rows)
    return [c for c in rows if c.id not in barred]


def claim_next(session: Session, *, queue: str, moderator: str) -> Case:
    """Claim the most urgent case of a queue that ``moderator`` may review and nobody else holds."""
    now = clock.now()
    for case in visible_queue(session, queue=queue, moderator=moderator, limit=50):
        if claims.claim_active(case, now) and case.claimed_by != moderator:
            continue
        try:
            with session.begin_nested():
                return claims.claim(session, case_id=case.id, moderator=moderator)
        except Conflict:
            continue
    raise NotFound(f"no case for you to claim in queue {queue!r}", queue=queue)
