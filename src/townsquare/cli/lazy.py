"""Sub-commands that are imported only when they run, so `townsquare --help` costs Typer and nothing else.

Each sub-command module pulls in SQLAlchemy, the models and sometimes numpy or the classifier: importing them all
to print a help page made every invocation take seconds. The top-level group lists the commands from the table in
`cli/main.py` (name, module, attribute, one-line help) and loads a module only when its command is resolved for
running or for its own help. `tests/unit/foundation/test_cli_lazy.py` checks the table's help lines against the
modules, so they cannot drift.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
from dataclasses import dataclass
from types import ModuleType
from typing import Any

import typer
from typer.core import TyperCommand, TyperGroup


@dataclass(frozen=True)
class Lazy:
    """A sub-command: `module:attr` is a Typer sub-app, or a function when `function` is true."""

    module: str
    attr: str
    help: str
    function: bool = False


def lazy_module(name: str) -> ModuleType:
    """`name`, executed on its first attribute access: a command module can name its domain modules at the top
    (for readers and mypy, under TYPE_CHECKING) while `--help` never pays for numpy, the models or the classifier."""
    if name in sys.modules:
        return sys.modules[name]
    found = importlib.util.find_spec(name)
    if found is None or found.loader is None:
        raise ModuleNotFoundError(name)
    loader = importlib.util.LazyLoader(found.loader)
    found.loader = loader
    module = importlib.util.module_from_spec(found)
    sys.modules[name] = module
    loader.exec_module(module)
    return module


def load(name: str, spec: Lazy) -> Any:
    """The real click command behind a table entry."""
    target = getattr(importlib.import_module(spec.module), spec.attr)
    if spec.function:
        holder = typer.Typer(add_completion=False)
        holder.command(name)(target)
        command: Any = typer.main.get_command(holder)
    else:
        command = typer.main.get_group(target)
    command.name = name
    return command


class _Deferred(TyperCommand):
    """Stands in for a command in help listings; resolving it for a run loads the real one."""

    def __init__(self, name: str, spec: Lazy) -> None:
        super().__init__(name=name, help=spec.help, short_help=spec.help)
        self._spec = spec

    def make_context(self, info_name: str | None, args: list[str], parent: Any = None, **extra: Any) -> Any:
        from townsquare.cli import spinner

        words = [self.name or "", *(a for a in args[:1] if not a.startswith("-"))]
        spinner.start("townsquare " + " ".join(words))
        real = load(self.name or "", self._spec)
        return real.make_context(info_name, args, parent=parent, **extra)


class LazyGroup(TyperGroup):
    """The top-level group: eager commands as usual, then the lazy table in its declared order."""

    table: dict[str, Lazy] = {}

    def list_commands(self, ctx: Any) -> list[str]:
        return [*super().list_commands(ctx), *(n for n in self.table if n not in self.commands)]

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        if cmd_name in self.commands:
            return self.commands[cmd_name]
        spec = self.table.get(cmd_name)
        return None if spec is None else _Deferred(cmd_name, spec)
