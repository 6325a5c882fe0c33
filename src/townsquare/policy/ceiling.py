"""The automation ceiling: the strongest post action automation may take on its own.

Read from the runtime setting `automation_ceiling` (an admin change, audited by whoever writes it) when present,
else from Settings (`TOWNSQUARE_AUTOMATION_CEILING`, default `limit_reach`). Only post actions qualify; an unknown
or account-level value falls back to the default, never to something stronger.
"""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy.orm import Session

from townsquare.core.enums import POST_ACTIONS, STRENGTH, ActionType
from townsquare.core.errors import Forbidden
from townsquare.storage import txcache
from townsquare.storage.models import RuntimeSetting

DEFAULT_CEILING = ActionType.LIMIT_REACH


def parse_ceiling(value: Any) -> ActionType:
    if isinstance(value, dict):
        value = value.get("value")
    try:
        action = ActionType(str(value))
    except ValueError:
        return DEFAULT_CEILING
    return action if action in POST_ACTIONS else DEFAULT_CEILING


_KEY = "townsquare.policy.ceiling"


def automation_ceiling(session: Session | None = None) -> ActionType:
    """Read once per transaction (an enforcement batch asked at every step, and a missing row is a query each
    time); `forget_ceiling` after a change in the same transaction."""
    if session is not None:
        cached = txcache.get(session, _KEY)
        if cached is not None:
            return cast(ActionType, cached)
        row = session.get(RuntimeSetting, "automation_ceiling")
        value = parse_ceiling(row.value) if row is not None else _configured()
        txcache.put(session, _KEY, value)
        return value
    return _configured()


def _configured() -> ActionType:
    from townsquare.settings import get_settings

    return parse_ceiling(get_settings().automation_ceiling)


def forget_ceiling(session: Session) -> None:
    txcache.forget(session, _KEY)


def cap(action: ActionType, ceiling: ActionType) -> ActionType:
    """The action automation may take itself: the proposal, or the ceiling when the proposal is stronger."""
    return action if STRENGTH[action] <= STRENGTH[ceiling] else ceiling


def refuse_above(action: ActionType, ceiling: ActionType) -> None:
    """Automation acting above the ceiling is refused (Forbidden): the door's check, for every writer of actions."""
    if STRENGTH[action] > STRENGTH[ceiling]:
        raise Forbidden(
            f"automation may act up to {ceiling.value}; {action.value} needs human review (a case)"
        )
