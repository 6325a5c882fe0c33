"""Invariants checked statically: advertiser data has no path into enforcement; audit records are append-only."""

from __future__ import annotations

import ast
import inspect
import re
import subprocess
import sys
from pathlib import Path

from townsquare.policy import enforce, pipeline
from townsquare.policy.conditions import Facts

SRC = Path(__file__).resolve().parents[3] / "src" / "townsquare"
ENFORCEMENT = [
    *sorted((SRC / "policy").rglob("*.py")),
    *sorted((SRC / "audit").rglob("*.py")),
    SRC / "transparency" / "statements.py",
]
AD_WORDS = re.compile(r"(^|_)(ad|ads|advert\w*|campaign\w*|suitability\w*|brand\w*|impression\w*|garm)($|_)")


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            out.add(node.module)
            out.update(f"{node.module}.{alias.name}" for alias in node.names)
    return out


def test_no_enforcement_module_imports_ads() -> None:
    assert len(ENFORCEMENT) > 10
    for path in ENFORCEMENT:
        bad = {m for m in imported_modules(path) if m == "townsquare.ads" or m.startswith("townsquare.ads.")}
        bad |= {m for m in imported_modules(path) if m.startswith("townsquare.storage.models.ads")}
        assert not bad, f"{path.relative_to(SRC)} imports {bad}"


def test_importing_enforcement_does_not_load_ads() -> None:
    code = (
        "import sys; import townsquare.policy.enforce, townsquare.policy.pipeline, townsquare.policy.replay, "
        "townsquare.policy.status; "
        "print(sorted(m for m in sys.modules if m.startswith('townsquare.ads')))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert out == "[]"


def test_enforcement_functions_take_no_ad_input() -> None:
    functions = [
        enforce.apply_action,
        enforce.reverse_action,
        enforce.lift_permanent_ban,
        enforce.expire_due,
        pipeline.assess_and_enforce,
        pipeline.assess_and_enforce_batch,
        pipeline.enforce_assessment,
        pipeline.facts_from,
    ]
    for fn in functions:
        for name in inspect.signature(fn).parameters:
            assert not AD_WORDS.search(name), f"{fn.__qualname__} takes {name!r}"
    for name in Facts.__dataclass_fields__:
        assert not AD_WORDS.search(name), f"Facts has {name!r}"


def test_no_code_updates_or_deletes_audit_records() -> None:
    pattern = re.compile(
        r"(update|delete)\(\s*AuditRecord|(UPDATE|DELETE FROM)\s+audit_records|\.delete\(\s*(rec|record)\b"
    )
    offenders = []
    for path in SRC.rglob("*.py"):
        if "migrations" in path.parts:
            continue  # 0002 creates the triggers that refuse UPDATE and DELETE
        text = path.read_text(encoding="utf-8")
        if pattern.search(text):
            offenders.append(str(path.relative_to(SRC)))
    assert offenders == []
