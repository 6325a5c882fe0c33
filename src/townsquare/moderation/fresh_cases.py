"""Cases opened by automation for a batch of fresh posts, in a constant number of statements.

`cases.open_case` handles every situation (an open case to strengthen, reports to weigh, a concurrent opener) at
~10 statements a case. A worker's batch asks for cases on posts it has just assessed and that had no case a moment
ago; for those the queue and priority are known from the assessment alone, so the cases go in one INSERT and their
`case.opened` records in one chained append. The rows and records are those `open_case` writes (a test compares
both). A post whose case another transaction opened meanwhile (a report arriving now) is returned to the caller,
which opens or joins it the ordinary way.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from townsquare import audit
from townsquare.core import clock
from townsquare.core.enums import ActionType, SubjectType
from townsquare.moderation import priority
from townsquare.moderation.cases import OPEN, opened_payload, subject_key
from townsquare.moderation.queues import load_queues
from townsquare.storage.bulk import in_values, insert_new
from townsquare.storage.models import Case, Post


@dataclass(frozen=True)
class Proposal:
    """A post with no case yet, and the action automation proposes on it."""

    post: Post
    assessment: Any  # labels, risk and scores of the post's latest assessment
    action: ActionType
    rule: str


def open_fresh_cases(session: Session, proposals: Sequence[Proposal], *, actor: str) -> dict[str, int]:
    """Open one case per proposal; returns {post id: case id} for those opened here (the others joined a case
    opened meanwhile, and are for `open_case`)."""
    if not proposals:
        return {}
    now = clock.now()
    queues = load_queues()
    rows: list[dict[str, Any]] = []
    for p in proposals:
        value = priority.priority(
            risk=p.assessment.risk,
            scores=p.assessment.scores,
            reach=p.post.reach,
            credibilities=[],
            proposed=True,
            claims=[],
        )
        rows.append(
            {
                "subject_type": SubjectType.POST.value,
                "post_id": p.post.id,
                "queue": queues.route(
                    origin="automation",
                    labels=[str(x) for x in p.assessment.labels],
                    proposed_action=p.action.value,
                ),
                "status": OPEN,
                "origin": "automation",
                "proposed_action": p.action.value,
                "proposed_rule": p.rule,
                "open_key": subject_key(SubjectType.POST.value, p.post.id),
                "created_at": now,
                "version": 0,
                "priority": value,
                "rank_key": priority.rank_key(value, now),
            }
        )
    opened = insert_new(session, Case, rows, Case.open_key)
    ids = {
        str(k): int(i)
        for k, i in session.execute(
            select(Case.open_key, Case.id).where(in_values(session, Case.open_key, sorted(opened)))
        )
    }
    entries = [
        audit.Entry(
            actor,
            "case.opened",
            SubjectType.POST.value,
            r["post_id"],
            opened_payload(
                ids[r["open_key"]], r["queue"], r["origin"], r["proposed_action"], r["proposed_rule"]
            ),
        )
        for r in rows
        if r["open_key"] in opened
    ]
    audit.append_many(session, entries)
    return {str(r["post_id"]): ids[r["open_key"]] for r in rows if r["open_key"] in opened}
