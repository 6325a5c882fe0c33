"""Notices are their own domain: templates complete in both languages, and no import circle between the council
and moderation appeals (each speaks through `townsquare.notices`)."""

from __future__ import annotations

import ast
from pathlib import Path

from townsquare.notices import texts

SRC = Path(__file__).resolve().parents[3] / "src" / "townsquare"


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            out.add(node.module)
            out.update(f"{node.module}.{a.name}" for a in node.names)
        elif isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
    return out


def test_every_template_key_exists_in_both_languages() -> None:
    en, fr = texts.templates()["en"], texts.templates()["fr"]
    assert set(en) == set(fr), sorted(set(en) ^ set(fr))
    assert all(fr[k].strip() for k in fr) and all(en[k].strip() for k in en)
    untranslated = [k for k in en if en[k] == fr[k]]
    assert untranslated == []


def test_council_does_not_import_moderation_appeals() -> None:
    """demo.py plays the users (it files an appeal as an author would), so it is not domain code."""
    offenders = [
        p.name
        for p in (SRC / "council").glob("*.py")
        if p.name != "demo.py" and any(m.startswith("townsquare.moderation.appeals") for m in _imports(p))
    ]
    assert offenders == []


def test_moderation_appeals_does_not_import_council_decisions() -> None:
    """Appeals refer a ban to the council through `council.cases.refer` (the contract) and nothing else."""
    mods = _imports(SRC / "moderation" / "appeals.py")
    assert not any(m.startswith("townsquare.council.decisions") for m in mods)
    assert not {
        m
        for m in _imports(SRC / "notices" / "authors.py")
        if m.startswith(("townsquare.council", "townsquare.moderation"))
    }


def test_notices_import_neither_moderation_workflows_nor_council() -> None:
    for path in (SRC / "notices").glob("*.py"):
        mods = _imports(path)
        bad = [
            m
            for m in mods
            if m.startswith("townsquare.council")
            or (m.startswith("townsquare.moderation") and not m.startswith("townsquare.moderation.taxonomy"))
        ]
        assert bad == [], (path.name, bad)


def test_first_sentence_drops_the_default_action() -> None:
    text = "This content threatens to kill, hurt or attack a person or a group. We remove it."
    assert texts.first_sentence(text) == "This content threatens to kill, hurt or attack a person or a group."
    assert texts.language(None, "fr-FR") == "fr" and texts.language("en", "fr") == "en"
