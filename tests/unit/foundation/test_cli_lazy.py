"""The CLI's lazy table: help lines that match the modules, every command module registered, nothing heavy on --help."""

from __future__ import annotations

import inspect
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from townsquare.cli import lazy
from townsquare.cli.main import TABLE, app

CLI_DIR = Path(lazy.__file__).parent


def _first_line(text: str | None) -> str:
    return " ".join((text or "").strip().split("\n\n")[0].split())


@pytest.mark.parametrize("name", list(TABLE))
def test_table_help_matches_the_module(name: str) -> None:
    spec = TABLE[name]
    command = lazy.load(name, spec)
    assert command.name == name
    target = getattr(__import__(spec.module, fromlist=[spec.attr]), spec.attr)
    real = _first_line(inspect.getdoc(target)) if spec.function else _first_line(target.info.help)
    assert _first_line(spec.help) == real, f"update the help line of {name!r} in cli/main.py"


def test_every_command_module_is_registered() -> None:
    modules = {f"townsquare.cli.{p.stem}" for p in CLI_DIR.glob("*_cmd.py")}
    assert modules <= {spec.module for spec in TABLE.values()}


def _walk(command: Any, path: str) -> list[str]:
    missing = [] if _first_line(command.help or command.short_help) else [path]
    for name, sub in getattr(command, "commands", {}).items():
        missing += _walk(sub, f"{path} {name}")
    return missing


def test_every_command_has_help_text() -> None:
    missing: list[str] = []
    for name, spec in TABLE.items():
        missing += _walk(lazy.load(name, spec), name)
    assert missing == []


def test_help_imports_no_database_or_numpy() -> None:
    code = (
        "import sys\nfrom typer.testing import CliRunner\nfrom townsquare.cli.main import app\n"
        "r = CliRunner().invoke(app, ['--help'])\nassert r.exit_code == 0, r.output\n"
        "print(sorted(m for m in ('sqlalchemy', 'numpy', 'fastapi', 'townsquare.storage') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_top_level_help_lists_every_command_and_sub_help_loads() -> None:
    runner = CliRunner()
    top = runner.invoke(app, ["--help"])
    assert top.exit_code == 0
    for name in TABLE:
        assert name in top.output
    sub = runner.invoke(app, ["council", "--help"])
    assert sub.exit_code == 0 and "install-completion" not in sub.output


def test_unknown_command_is_a_usage_error() -> None:
    assert CliRunner().invoke(app, ["no-such-command"]).exit_code == 2
