"""Domain packages import nothing from the api, web or cli layers (parsed, not imported)."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[3] / "src" / "townsquare"
DOMAINS = (
    "classify",
    "policy",
    "moderation",
    "council",
    "ads",
    "transparency",
    "storage",
    "core",
    "audit",
    "posts",
    "access",
)
LAYERS = ("townsquare.api", "townsquare.web", "townsquare.cli")


def imports_of(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, a.name) for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
    return found


def test_domain_packages_do_not_import_delivery_layers() -> None:
    offenders = []
    for domain in DOMAINS:
        for path in (SRC / domain).rglob("*.py"):
            for line, module in imports_of(path):
                if any(module == layer or module.startswith(layer + ".") for layer in LAYERS):
                    offenders.append(f"{path.relative_to(SRC)}:{line} imports {module}")
    assert not offenders, "\n".join(offenders)


def test_enforcement_never_reads_ads() -> None:
    """Invariant 1: no enforcement code reads `ads`."""
    offenders = []
    for domain in ("policy", "moderation", "council", "classify", "posts", "stream", "notices", "audit"):
        for path in (SRC / domain).rglob("*.py"):
            for line, module in imports_of(path):
                if module == "townsquare.ads" or module.startswith("townsquare.ads."):
                    offenders.append(f"{path.relative_to(SRC)}:{line} imports {module}")
    assert not offenders, "\n".join(offenders)


def test_checker_catches_a_violation(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("from townsquare.api.app import create_app\nimport townsquare.cli.main\n")
    assert [m for _, m in imports_of(bad)] == ["townsquare.api.app", "townsquare.cli.main"]


def test_every_domain_package_exists() -> None:
    for name in (
        "classify",
        "policy",
        "moderation",
        "council",
        "ads",
        "transparency",
        "storage",
        "api",
        "web",
        "cli",
    ):
        assert (SRC / name).is_dir(), name
