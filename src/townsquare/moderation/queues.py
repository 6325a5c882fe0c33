"""Queue configuration: which queues exist, where a new case goes, and what each queue may decide.

Kept in YAML (``queues.yaml`` next to this module) so trust & safety leads change routing without a release;
the loader validates it strictly because a typo in an allowed-action list would silently widen a queue's powers.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from townsquare.core.enums import ActionType
from townsquare.core.errors import Invalid, NotFound

QUEUES_FILE = Path(__file__).with_name("queues.yaml")
ROUTING_KEYS = frozenset({"origin", "reason", "label", "proposed_action"})


@dataclass(frozen=True)
class Queue:
    name: str
    label: dict[str, str]
    description: dict[str, str]
    allowed_actions: frozenset[ActionType]

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "label": dict(self.label),
            "description": dict(self.description),
            "allowed_actions": sorted(a.value for a in self.allowed_actions),
        }


@dataclass(frozen=True)
class Route:
    when: dict[str, frozenset[str]]
    queue: str

    def matches(self, facts: dict[str, set[str]]) -> bool:
        return all(facts.get(key, set()) & wanted for key, wanted in self.when.items())


@dataclass(frozen=True)
class QueueConfig:
    queues: dict[str, Queue]
    routes: tuple[Route, ...]
    senior_queue: str
    appeals_queue: str
    council_queue: str
    default_queue: str
    source: str = field(default="")

    def get(self, name: str) -> Queue:
        try:
            return self.queues[name]
        except KeyError:
            raise NotFound(f"unknown queue {name!r}", queue=name) from None

    def route(
        self,
        *,
        origin: str,
        reasons: Iterable[str] = (),
        labels: Iterable[str] = (),
        proposed_action: str | None = None,
    ) -> str:
        """The first routing rule whose conditions all hold, else the default queue."""
        facts: dict[str, set[str]] = {
            "origin": {origin},
            "reason": set(reasons),
            "label": set(labels),
            "proposed_action": {proposed_action} if proposed_action else set(),
        }
        for route in self.routes:
            if route.matches(facts):
                return route.queue
        return self.default_queue


def _as_set(value: Any) -> frozenset[str]:
    if isinstance(value, str):
        return frozenset({value})
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return frozenset(value)
    raise Invalid(f"routing condition must be a string or a list of strings, got {value!r}")


def parse_queues(data: dict[str, Any], source: str = "") -> QueueConfig:
    """Validate a queues document; every queue name referenced must exist and every action must be known."""
    raw_queues = data.get("queues")
    if not isinstance(raw_queues, dict) or not raw_queues:
        raise Invalid("queues config needs a non-empty `queues` mapping")
    queues: dict[str, Queue] = {}
    for name, spec in raw_queues.items():
        spec = spec or {}
        try:
            allowed = frozenset(ActionType(a) for a in spec.get("allowed_actions", []))
        except ValueError as exc:
            raise Invalid(f"queue {name!r}: {exc}") from None
        label = spec.get("label") or {"en": name, "fr": name}
        desc = spec.get("description") or {"en": "", "fr": ""}
        queues[name] = Queue(name=name, label=dict(label), description=dict(desc), allowed_actions=allowed)
    routes: list[Route] = []
    for raw in data.get("routing", []) or []:
        when = raw.get("when") or {}
        unknown = set(when) - ROUTING_KEYS
        if unknown:
            raise Invalid(f"unknown routing condition(s) {sorted(unknown)}")
        if raw.get("queue") not in queues:
            raise Invalid(f"routing rule targets unknown queue {raw.get('queue')!r}")
        routes.append(Route(when={k: _as_set(v) for k, v in when.items()}, queue=raw["queue"]))
    special = {}
    for key, default in (
        ("senior_queue", "senior"),
        ("appeals_queue", "appeals"),
        ("council_queue", "council_referrals"),
        ("default_queue", "triage"),
    ):
        special[key] = str(data.get(key, default))
        if special[key] not in queues:
            raise Invalid(f"{key} names unknown queue {special[key]!r}")
    return QueueConfig(queues=queues, routes=tuple(routes), source=source, **special)


@lru_cache(maxsize=4)
def load_queues(path: str | None = None) -> QueueConfig:
    """The queues config (shipped file unless a path is given); cached because routing runs on every report."""
    file = Path(path) if path else QUEUES_FILE
    with file.open(encoding="utf-8") as fh:
        data = yaml.safe_load(fh) or {}
    return parse_queues(data, source=str(file))
