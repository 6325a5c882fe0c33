"""Reading the written training data (``training/data/*.yaml``): templates, slot fillers, compositional frames.

The examples the project writes are data, not code: people who write phrasings should not have to edit Python,
and a diff of a data file shows exactly which phrasings changed. Everything is read once per process and
validated here, so a malformed file fails loudly at training time instead of silently producing fewer rows.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

import yaml

from townsquare.classify import taxonomy

Entry = tuple[str, tuple[str, ...], list[str]]
LANGS = ("en", "fr")


def _read(name: str) -> Any:
    text = (resources.files("townsquare.classify.training") / "data" / name).read_text(encoding="utf-8")
    return yaml.safe_load(text)


def template_files(lang: str) -> list[str]:
    """Template files of a language: ``templates_<lang>.yaml`` first, then every ``<topic>_<lang>.yaml``
    (sorted), so a new file of phrasings never reorders the examples of the existing ones."""
    base = resources.files("townsquare.classify.training") / "data"
    extra = sorted(
        p.name
        for p in base.iterdir()
        if p.name.endswith(f"_{lang}.yaml") and p.name != f"templates_{lang}.yaml"
    )
    return [f"templates_{lang}.yaml", *extra]


@cache
def entries(lang: str, files: tuple[str, ...] | None = None) -> tuple[Entry, ...]:
    """(phenomenon, labels, templates) of a language, from ``files`` (default: all of its template files)."""
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}")
    out: list[Entry] = []
    for name in files if files is not None else template_files(lang):
        out.extend(_check_entries(name, _read(name)))
    return tuple(out)


def _check_entries(name: str, raw: Any) -> list[Entry]:
    """Validate one template file's entries (known labels, non-empty templates)."""
    if not isinstance(raw, list):
        raise ValueError(f"{name}: expected a list of entries")
    out: list[Entry] = []
    for i, e in enumerate(raw):
        if not isinstance(e, dict) or set(e) != {"phenomenon", "labels", "templates"}:
            raise ValueError(f"{name}[{i}]: an entry has exactly phenomenon, labels, templates")
        labels = tuple(str(x) for x in (e["labels"] or []))
        unknown = [lab for lab in labels if lab not in taxonomy.LABELS and lab not in taxonomy.TOPICS]
        if unknown:
            raise ValueError(f"{name}[{i}] ({e['phenomenon']}): unknown labels {unknown}")
        templates = [str(t) for t in e["templates"] or []]
        if not templates:
            raise ValueError(f"{name}[{i}] ({e['phenomenon']}): no templates")
        out.append((str(e["phenomenon"]), labels, templates))
    return out


@cache
def lexicon() -> dict[str, tuple[Any, ...]]:
    """Slot fillers: lists of strings, or of [a, b] pairs (turned into tuples)."""
    return {k: _tuples(v) for k, v in _read("lexicon.yaml").items()}


@cache
def compose_data() -> dict[str, tuple[Any, ...]]:
    """Predicates, frames and extra target forms of the compositional examples."""
    return {k: _tuples(v) for k, v in _read("compose.yaml").items()}


def _tuples(values: list[Any]) -> tuple[Any, ...]:
    return tuple(tuple(str(x) for x in v) if isinstance(v, list) else str(v) for v in values)
