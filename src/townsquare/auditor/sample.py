"""A random sample of enforcement decisions an auditor can re-draw: the seed is shown, the same seed over the same
actions gives the same sample. Each sampled decision comes with what it rests on: the post and its assessment's
evidence spans, the statement of reasons, the actor's private note (auditors may read it), the audit records that
name it, and what `transparency check` finds wrong with it, if anything."""

from __future__ import annotations

import random
import secrets
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from townsquare.core.errors import Invalid
from townsquare.storage.models import Action, Assessment, AuditRecord, Post

MAX_SAMPLE = 50


def draw(ids: list[int], *, seed: int, n: int) -> list[int]:
    """The sample itself: ids sorted first so the draw depends only on the seed and the set of ids."""
    ordered = sorted(ids)
    return sorted(random.Random(seed).sample(ordered, min(n, len(ordered))))


def new_seed() -> int:
    return secrets.randbelow(1_000_000)


def sample_decisions(
    session: Session, *, seed: int, n: int = 10, automated: bool | None = None
) -> list[dict[str, Any]]:
    """`n` decisions drawn with `seed` (optionally only automated or only human ones), with their evidence."""
    if not 1 <= n <= MAX_SAMPLE:
        raise Invalid(f"a sample holds 1 to {MAX_SAMPLE} decisions", field="n")
    if seed < 0:
        raise Invalid("the seed is a non-negative integer", field="seed")
    query = select(Action.id)
    if automated is not None:
        query = query.where(Action.automated.is_(automated))
    chosen = draw(list(session.scalars(query)), seed=seed, n=n)
    return [decision_file(session, action_id) for action_id in chosen]


def decision_file(session: Session, action_id: int) -> dict[str, Any]:
    """One decision with everything it rests on (a NotFound-free read: the id came from the table)."""
    from townsquare.transparency.check import check_action

    action = session.get(Action, action_id)
    assert action is not None
    post = session.get(Post, action.post_id) if action.post_id else None
    assessment = None
    if post is not None:
        assessment = session.scalar(
            select(Assessment).where(Assessment.post_id == post.id).order_by(Assessment.id.desc()).limit(1)
        )
    records = list(
        session.scalars(
            select(AuditRecord)
            .where(
                or_(
                    (AuditRecord.subject_type == "action") & (AuditRecord.subject_id == str(action.id)),
                    (AuditRecord.subject_type == "post") & (AuditRecord.subject_id == (action.post_id or "")),
                    (AuditRecord.subject_type == "account")
                    & (AuditRecord.subject_id == (action.account_id or "")),
                )
            )
            .order_by(AuditRecord.seq)
            .limit(50)
        )
    )
    return {
        "action": action,
        "post": post,
        "assessment": assessment,
        "evidence": list((assessment.evidence if assessment is not None else None) or []),
        "statement": action.statement or {},
        "private_note": action.reason,
        "audit": records,
        "findings": check_action(session, action),
    }
