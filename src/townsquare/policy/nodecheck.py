"""Typed accessors over marked YAML nodes that record a positioned problem instead of raising.

The policy parser builds on these; each returns None (or an empty value) after recording what was wrong and where,
so one pass reports every problem in a file.
"""

from __future__ import annotations

from typing import Any

from townsquare.classify import taxonomy
from townsquare.core.enums import ActionType
from townsquare.policy.rules import LANGS
from townsquare.policy.yamlnodes import N, Problem


class NodeChecker:
    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def err(self, node: N, message: str) -> None:
        self.problems.append(node.problem(message))

    # -- generic helpers -------------------------------------------------------------------------------
    def mapping(
        self, node: N, where: str, allowed: tuple[str, ...], required: tuple[str, ...] = ()
    ) -> dict[str, N]:
        if not node.is_map:
            self.err(node, f"{where} must be a mapping, got {node.kind}")
            return {}
        out: dict[str, N] = {}
        for key, value in node.items():
            name = key.value() if key.is_scalar else None
            if not isinstance(name, str):
                self.err(key, f"{where}: keys must be strings")
                continue
            if name in out:
                self.err(key, f"{where}: duplicate key '{name}'")
                continue
            if name not in allowed:
                self.err(key, f"{where}: unknown key '{name}' (allowed: {', '.join(allowed)})")
                continue
            out[name] = value
        for name in required:
            if name not in out:
                self.err(node, f"{where}: missing required key '{name}'")
        return out

    def scalar(self, node: N, where: str, kinds: tuple[type, ...], what: str) -> Any:
        value = node.value() if node.is_scalar else None
        if (
            not node.is_scalar
            or (isinstance(value, bool) and bool not in kinds)
            or not isinstance(value, kinds)
        ):
            self.err(node, f"{where} must be {what}, got {node.kind}")
            return None
        return value

    def string(self, node: N, where: str) -> str | None:
        value = self.scalar(node, where, (str,), "a string")
        if isinstance(value, str) and not value.strip():
            self.err(node, f"{where} must not be empty")
            return None
        return value if isinstance(value, str) else None

    def number(self, node: N, where: str, minimum: float = 0.0) -> float | None:
        value = self.scalar(node, where, (int, float), "a number")
        if value is None:
            return None
        if value < minimum:
            self.err(node, f"{where} must be >= {minimum:g}, got {value:g}")
            return None
        return float(value)

    def integer(self, node: N, where: str, minimum: int = 1) -> int | None:
        value = self.scalar(node, where, (int,), "an integer")
        if value is None:
            return None
        if value < minimum:
            self.err(node, f"{where} must be >= {minimum}, got {value}")
            return None
        return int(value)

    def texts(self, node: N, where: str) -> dict[str, str]:
        fields = self.mapping(node, where, LANGS, LANGS)
        out: dict[str, str] = {}
        for lang, value in fields.items():
            text = self.string(value, f"{where}.{lang}")
            if text is not None:
                out[lang] = text.strip()
        return out

    def string_list(self, node: N, where: str) -> tuple[str, ...]:
        if node.is_scalar and isinstance(node.value(), str):
            return (node.value(),)
        if not node.is_seq:
            self.err(node, f"{where} must be a list of strings, got {node.kind}")
            return ()
        out = []
        for el in node.elements():
            value = self.string(el, f"{where} item")
            if value is not None:
                out.append(value)
        if not out:
            self.err(node, f"{where} must not be empty")
        return tuple(out)

    def action(self, node: N, where: str, allowed: tuple[ActionType, ...]) -> ActionType | None:
        name = self.string(node, where)
        if name is None:
            return None
        try:
            action = ActionType(name)
        except ValueError:
            self.err(
                node,
                f"{where}: unknown action '{name}' (expected one of: {', '.join(a.value for a in allowed)})",
            )
            return None
        if action not in allowed:
            self.err(
                node,
                f"{where}: action '{name}' is not allowed here (expected one of: "
                f"{', '.join(a.value for a in allowed)})",
            )
            return None
        return action

    def label_name(self, node: N, where: str, allow_any: bool = False) -> str | None:
        name = self.string(node, where)
        if name is None:
            return None
        if allow_any and name == "any":
            return name
        if name not in taxonomy.SPECS:
            self.err(node, f"{where}: unknown classifier label '{name}'")
            return None
        if not taxonomy.is_actionable(name):
            self.err(
                node, f"{where}: label '{name}' is a suitability signal only and may not trigger enforcement"
            )
            return None
        return name
