"""Runtime settings the engine reads (today: the automation ceiling), changed only with an audit record.

A settings change is an enforcement-relevant decision like any other: the old and new values and who changed them
go into the audit chain in the same transaction as the change.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from townsquare import audit
from townsquare.core import clock
from townsquare.core.enums import POST_ACTIONS, ActionType
from townsquare.core.errors import Invalid
from townsquare.policy.ceiling import automation_ceiling, forget_ceiling
from townsquare.storage.models import RuntimeSetting

CEILING_KEY = "automation_ceiling"
CEILING_CHOICES = tuple(a.value for a in POST_ACTIONS)


def set_automation_ceiling(session: Session, *, value: str, actor: str) -> ActionType:
    """Set the strongest post action automation may take alone; account actions are never allowed."""
    actor = (actor or "").strip()
    if not actor:
        raise Invalid("a settings change needs the actor who makes it")
    if value not in CEILING_CHOICES:
        raise Invalid(
            f"automation_ceiling must be a post action ({', '.join(CEILING_CHOICES)}); got {value!r}",
            field=CEILING_KEY,
        )
    old = automation_ceiling(session)
    row = session.get(RuntimeSetting, CEILING_KEY)
    new: dict[str, Any] = {"value": value}
    if row is None:
        session.add(RuntimeSetting(key=CEILING_KEY, value=new, updated_at=clock.now(), updated_by=actor))
    else:
        row.value, row.updated_at, row.updated_by = new, clock.now(), actor
    session.flush()
    forget_ceiling(session)
    audit.append(
        session,
        actor=actor,
        event="settings.changed",
        subject_type="setting",
        subject_id=CEILING_KEY,
        payload={"key": CEILING_KEY, "old": old.value, "new": value},
    )
    return ActionType(value)


def public_policy(session: Session) -> dict[str, Any]:
    """The active rules as the public reads them: ids, versions, actions, conditions, texts, strikes, ceiling."""
    from townsquare.policy.engine import active_policy

    policy = active_policy(session)
    return {
        "name": policy.name,
        "version": policy.label,
        "automation_ceiling": automation_ceiling(session).value,
        "evaluation": "every automatic rule in order; the strongest action wins; on a tie the earlier rule",
        "rules": [
            {
                "id": r.ref,
                "action": r.action.value,
                "automatic": r.automatic,
                "when": r.when.describe() if r.when else None,
                "strike": r.strike,
                "title": r.title,
                "text": r.text,
            }
            for r in policy.rules
        ],
        "strikes": {
            "id": policy.strikes.ref,
            "expiry_days": policy.strikes.expiry_days,
            "thresholds": [
                {"at": t.at, "action": t.action.value, "hours": t.hours} for t in policy.strikes.thresholds
            ],
            "title": policy.strikes.title,
            "text": policy.strikes.text,
        },
    }
