"""Bulk decisions: one action, one rule and one public explanation for many cases, each decided on its own.

Every case still goes through the single enforcement path (``decisions.decide`` → ``policy.enforce.apply_action``),
so each gets its own action, statement of reasons, audit record, strikes and notifications. Each case runs in its
own savepoint: a case that another moderator holds, that was decided meanwhile, or whose queue may not take the
action is reported back with the reason and changes nothing, while the others are decided. Appeal cases are not
bulk-decided (each appeal deserves its own reading).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from townsquare.core.errors import DomainError, Invalid
from townsquare.moderation import decisions, review
from townsquare.moderation.cases import get_case

MAX_BULK = 100


def bulk_decide(
    session: Session,
    *,
    case_ids: list[int],
    moderator: str,
    action: str,
    rule_id: str,
    explanation: str = "",
    private_note: str = "",
) -> list[dict[str, Any]]:
    """Claim and decide each case; returns one result per case (``ok`` and the decision or the error)."""
    ids = list(dict.fromkeys(int(i) for i in case_ids))
    if not ids:
        raise Invalid("select at least one case")
    if len(ids) > MAX_BULK:
        raise Invalid(f"at most {MAX_BULK} cases per bulk decision")
    decisions.parse_action(action)
    if not (rule_id or "").strip():
        raise Invalid("a decision must name the rule it applies (rule_id)")
    if action != "none" and not (explanation or "").strip():
        raise Invalid("an action needs a public explanation for the authors (explanation)")
    results: list[dict[str, Any]] = []
    for case_id in ids:
        try:
            with session.begin_nested():
                case = get_case(session, case_id)
                if case.origin == "appeal":
                    raise Invalid("appeals are decided one by one")
                review.claim(session, case_id=case_id, moderator=moderator)
                decision = decisions.decide(
                    session,
                    case_id=case_id,
                    moderator=moderator,
                    action=action,
                    rule_id=rule_id,
                    explanation=explanation,
                    private_note=private_note,
                )
            results.append(
                {"case_id": case_id, "ok": True, "decision_id": decision.id, "action_id": decision.action_id}
            )
        except DomainError as exc:
            results.append({"case_id": case_id, "ok": False, "status": exc.status, "error": exc.detail})
    return results
