"""Cross-check: every action's stored statement of reasons matches the digest its audit record sealed.

The `actions` table changes over time (status, reversal), so it cannot be append-only; its statement must not.
`action.applied` records carry `statement_sha256`; a statement edited afterwards, or an action with no audit record,
is reported by `townsquare audit verify` next to the chain check.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from townsquare.storage.models import Action, AuditRecord


@dataclass(frozen=True)
class ActionProblem:
    action_id: int
    puid: str
    reason: str


def statement_digest(statement: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(statement, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def verify_actions(session: Session) -> tuple[int, ActionProblem | None]:
    """Number of actions checked and the first whose statement or audit record does not match."""
    sealed: dict[int, str] = {}
    for payload in session.scalars(select(AuditRecord.payload).where(AuditRecord.event == "action.applied")):
        if isinstance(payload, dict) and isinstance(payload.get("action_id"), int):
            sealed[payload["action_id"]] = str(payload.get("statement_sha256", ""))
    n = 0
    for action in session.scalars(select(Action).order_by(Action.id)):
        n += 1
        if action.id not in sealed:
            return n, ActionProblem(action.id, action.puid, "no action.applied audit record")
        if statement_digest(action.statement or {}) != sealed[action.id]:
            return n, ActionProblem(
                action.id, action.puid, "statement of reasons differs from the audited one"
            )
    return n, None
