"""Proposals above the automation ceiling become cases for human review (moderation issue's `open_case`)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from townsquare.core.enums import ActionType
from townsquare.storage.models import Case


def propose(
    session: Session, *, subject_type: str, subject_id: str, proposed_action: ActionType, proposed_rule: str
) -> Case:
    """Open (or strengthen) the open case on the subject with origin `automation`; audited by open_case."""
    from townsquare.moderation.cases import open_case

    case: Case = open_case(
        session,
        subject_type=subject_type,
        subject_id=subject_id,
        origin="automation",
        proposed_action=proposed_action.value,
        proposed_rule=proposed_rule,
        actor="automation",
    )
    return case
