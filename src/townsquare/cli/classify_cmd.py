"""`townsquare classify [FILE|-] [--plain]`: JSONL in, one JSON assessment per input line out, in order."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, TextIO

import typer

BATCH = 512


def parse_line(n: int, line: str, plain: bool) -> tuple[Any, str, str | None] | dict[str, Any]:
    """(id, text, lang) or an error object ``{"line": n, "error": ...}``."""
    if plain:
        return n, line, None
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as exc:
        return {"line": n, "error": f"invalid JSON: {exc.msg} at column {exc.colno}"}
    if not isinstance(obj, dict):
        return {"line": n, "error": 'expected a JSON object {"id", "text", "lang"?}'}
    if "id" not in obj:
        return {"line": n, "error": 'missing field "id"'}
    text = obj.get("text")
    if not isinstance(text, str):
        return {"line": n, "error": 'field "text" must be a string'}
    lang = obj.get("lang")
    if lang is not None and lang not in ("fr", "en", "other"):
        return {"line": n, "error": 'field "lang" must be "fr", "en" or "other" when given'}
    return obj["id"], text, lang


def classify_lines(lines: Iterable[str], plain: bool = False) -> Iterator[dict[str, Any]]:
    """The output objects for an input stream (blank lines are skipped but counted)."""
    from townsquare.classify import classify

    pending: list[tuple[int, Any]] = []  # (slot, parsed)

    def flush() -> Iterator[dict[str, Any]]:
        items = [p for _, p in pending if isinstance(p, tuple)]
        results: list[dict[str, Any]] = []
        if items:
            try:
                assessed = classify([t for _, t, _ in items], [lg for _, _, lg in items])
                results = [{"id": i, **a.to_dict()} for (i, _, _), a in zip(items, assessed, strict=True)]
            except Exception as exc:  # per-batch fallback: classify one by one, never crash the stream
                results = []
                for i, t, lg in items:
                    try:
                        results.append({"id": i, **classify([t], [lg])[0].to_dict()})
                    except Exception as exc2:  # pragma: no cover - defensive
                        results.append({"id": i, "error": f"classification failed: {exc2 or exc}"})
        it = iter(results)
        for _, p in pending:
            yield next(it) if isinstance(p, tuple) else p
        pending.clear()

    for n, raw in enumerate(lines, start=1):
        line = raw.rstrip("\r\n")
        if not line.strip() and not plain:
            continue
        pending.append((n, parse_line(n, line, plain)))
        if len(pending) >= BATCH:
            yield from flush()
    yield from flush()


def _open(path: str) -> TextIO:
    if path == "-":
        sys.stdin.reconfigure(errors="replace")  # type: ignore[union-attr]
        return sys.stdin
    return Path(path).open(encoding="utf-8", errors="replace")


def classify_command(
    file: str = typer.Argument("-", help='JSONL file of {"id", "text", "lang"?} objects, or - for stdin.'),
    plain: bool = typer.Option(
        False, "--plain", help="Input is plain text, one post per line (id = line number)."
    ),
) -> None:
    """Classify posts: one JSON object per input line, in input order; malformed lines yield {"line", "error"}."""
    try:
        fh = _open(file)
    except OSError as exc:
        typer.echo(f"error: cannot read {file}: {exc.strerror or exc}", err=True)
        raise typer.Exit(2) from None
    out = sys.stdout
    try:
        for obj in classify_lines(fh, plain):
            out.write(json.dumps(obj, ensure_ascii=False) + "\n")
    except OSError as exc:
        typer.echo(f"error: cannot read {file}: {exc.strerror or exc}", err=True)
        raise typer.Exit(2) from None
    finally:
        if fh is not sys.stdin:
            fh.close()
    out.flush()


def register(app: typer.Typer) -> None:
    """Add the ``classify`` command to the main app."""
    app.command("classify")(classify_command)
