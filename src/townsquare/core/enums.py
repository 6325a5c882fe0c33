"""Closed vocabularies stored in the database; values are the wire and storage form."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    """Who may call what. `public` is the unauthenticated caller."""

    ADMIN = "admin"
    MODERATOR = "moderator"
    COUNCIL = "council"
    ADVERTISER = "advertiser"
    AUDITOR = "auditor"
    INGEST = "ingest"
    PUBLIC = "public"


class Visibility(StrEnum):
    """A post's visibility state as the platform reads it (strongest action in force)."""

    VISIBLE = "visible"
    LABELLED = "labelled"
    LIMITED_REACH = "limited_reach"
    AGE_RESTRICTED = "age_restricted"
    REMOVED = "removed"


class AccountStatus(StrEnum):
    ACTIVE = "active"
    WARNED = "warned"
    SUSPENDED = "suspended"
    BANNED = "banned"


class ActionType(StrEnum):
    """Graduated actions, ordered by strength within their subject (see STRENGTH)."""

    NONE = "none"
    LABEL = "label"
    LIMIT_REACH = "limit_reach"
    AGE_RESTRICT = "age_restrict"
    REMOVE = "remove"
    WARN = "warn"
    SUSPEND = "suspend"
    PERMANENT_BAN = "permanent_ban"


POST_ACTIONS = (
    ActionType.NONE,
    ActionType.LABEL,
    ActionType.LIMIT_REACH,
    ActionType.AGE_RESTRICT,
    ActionType.REMOVE,
)
ACCOUNT_ACTIONS = (ActionType.WARN, ActionType.SUSPEND, ActionType.PERMANENT_BAN)

STRENGTH: dict[ActionType, int] = {a: i for i, a in enumerate(ActionType)}

VISIBILITY_OF_ACTION: dict[ActionType, Visibility] = {
    ActionType.NONE: Visibility.VISIBLE,
    ActionType.LABEL: Visibility.LABELLED,
    ActionType.LIMIT_REACH: Visibility.LIMITED_REACH,
    ActionType.AGE_RESTRICT: Visibility.AGE_RESTRICTED,
    ActionType.REMOVE: Visibility.REMOVED,
}


class SubjectType(StrEnum):
    POST = "post"
    ACCOUNT = "account"


class ActionStatus(StrEnum):
    ACTIVE = "active"
    REVERSED = "reversed"
    EXPIRED = "expired"
    PROPOSED = "proposed"


class ActorKind(StrEnum):
    """Who took an action: the automation, a person (moderator/admin), or the council."""

    AUTOMATION = "automation"
    MODERATOR = "moderator"
    COUNCIL = "council"
    SYSTEM = "system"
