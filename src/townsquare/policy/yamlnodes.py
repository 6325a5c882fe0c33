"""A YAML reader that keeps line and column marks, so `policy check` can point at the offending spot.

PyYAML's composer already builds a node tree with marks; we validate that tree directly instead of the plain
Python objects `safe_load` would return (which forget where each value came from).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode


@dataclass(frozen=True)
class Problem:
    """One error in a policy file, 1-based line and column like compilers print them."""

    line: int
    col: int
    message: str

    def render(self, filename: str) -> str:
        return f"{filename}:{self.line}:{self.col}: {self.message}"


class PolicySyntaxError(Exception):
    """The file is not even valid YAML (or is empty)."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.message)
        self.problem = problem


_COMPOSER = getattr(
    yaml, "CSafeLoader", yaml.SafeLoader
)  # libyaml when present: same nodes and marks, ~7x faster
_constructor = yaml.SafeLoader("")  # only used to turn scalar nodes into Python values
_constructor_lock = threading.Lock()  # it keeps per-call state; policies may load from several threads


class N:
    """A YAML node with its position; accessors record problems instead of raising."""

    def __init__(self, node: Node) -> None:
        self.node = node

    @property
    def line(self) -> int:
        return int(self.node.start_mark.line) + 1

    @property
    def col(self) -> int:
        return int(self.node.start_mark.column) + 1

    @property
    def is_map(self) -> bool:
        return isinstance(self.node, MappingNode)

    @property
    def is_seq(self) -> bool:
        return isinstance(self.node, SequenceNode)

    @property
    def is_scalar(self) -> bool:
        return isinstance(self.node, ScalarNode)

    @property
    def kind(self) -> str:
        if self.is_map:
            return "a mapping"
        if self.is_seq:
            return "a list"
        value = self.value()
        if value is None:
            return "null"
        return {bool: "a boolean", int: "an integer", float: "a number", str: "a string"}.get(
            type(value), type(value).__name__
        )

    def value(self) -> Any:
        """The Python value of a scalar node (int, float, bool, str, None, date...)."""
        assert isinstance(self.node, ScalarNode)
        with _constructor_lock:
            return self._construct()

    def _construct(self) -> Any:
        assert isinstance(self.node, ScalarNode)
        try:
            return _constructor.construct_object(self.node, deep=True)
        except (yaml.YAMLError, ValueError, OverflowError):
            return str(self.node.value)  # odd tags ('=', '!custom', bad dates) stay plain text
        finally:  # the shared constructor must not keep every node it ever saw
            _constructor.constructed_objects.clear()
            _constructor.recursive_objects.clear()

    def items(self) -> Iterator[tuple[N, N]]:
        assert isinstance(self.node, MappingNode)
        for k, v in self.node.value:
            yield N(k), N(v)

    def elements(self) -> Iterator[N]:
        assert isinstance(self.node, SequenceNode)
        for v in self.node.value:
            yield N(v)

    def problem(self, message: str) -> Problem:
        return Problem(self.line, self.col, message)


def compose(text: str) -> N:
    """Parse YAML text into a marked node tree; PolicySyntaxError for invalid YAML or an empty document.

    libyaml composes when installed; on a syntax error the pure-Python composer re-reads the text, so the message
    (pinned by golden tests) is the same whether or not libyaml is present.
    """
    try:
        node = yaml.compose(text, Loader=_COMPOSER)
    except yaml.YAMLError:
        node = _compose_python(text)
    if node is None:
        raise PolicySyntaxError(Problem(1, 1, "empty policy file"))
    return N(node)


def _compose_python(text: str) -> Node | None:
    try:
        node: Node | None = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = int(mark.line) + 1 if mark else 1
        col = int(mark.column) + 1 if mark else 1
        what = (exc.problem or exc.context or "invalid YAML").strip()
        raise PolicySyntaxError(Problem(line, col, f"invalid YAML: {what}")) from exc
    except yaml.YAMLError as exc:
        raise PolicySyntaxError(Problem(1, 1, f"invalid YAML: {exc}")) from exc
    return node
