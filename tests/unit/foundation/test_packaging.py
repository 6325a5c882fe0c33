"""Runtime dependencies carry a lower bound and a major cap."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def test_dependencies_bounded() -> None:
    data = tomllib.loads((ROOT / "pyproject.toml").read_text())
    deps = data["project"]["dependencies"] + data["project"]["optional-dependencies"]["dev"]
    bad = [d for d in deps if not (re.search(r">=\s*[\d.]+", d) and re.search(r"<\s*[\d.]+", d))]
    assert not bad, f"unbounded dependencies: {bad}"


def test_readme_opens_with_the_two_commands() -> None:
    text = (ROOT / "README.md").read_text()
    commands = re.findall(r"^(make \w+)\s*$", text, flags=re.M)
    assert commands[:2] == ["make run", "make test"]
