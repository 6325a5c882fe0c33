"""`townsquare serve`, `townsquare demo load`, `townsquare ingest FILE.jsonl`."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from townsquare.cli.common import console, err_console, fail, session
from townsquare.settings import get_settings

demo_app = typer.Typer(help="Demo data.", no_args_is_help=True)


def serve(
    host: str | None = typer.Option(None, "--host", help="Bind address (default: settings)."),
    port: int | None = typer.Option(None, "--port", help="Port (default: settings)."),
) -> None:
    """Serve the API and the web consoles with uvicorn."""
    import uvicorn

    settings = get_settings()
    try:
        settings.check_secret()
    except RuntimeError as exc:
        fail(str(exc))
    uvicorn.run(
        "townsquare.api.asgi:app",
        host=host or settings.host,
        port=port or settings.port,
        log_level="info",
        proxy_headers=False,
    )


@demo_app.command("load")
def demo_load(
    keys_file: Path = typer.Option(Path("var/demo-keys.txt"), help="Where new demo keys are written (dev)."),
) -> None:
    """Load the demo data once (idempotent). Demo API keys are only created in dev mode."""
    from townsquare.demo.loader import load

    dev = get_settings().dev_mode
    with session() as s:
        result = load(s, with_keys=dev)
    console.print(f"demo posts: {result.accepted} accepted, {result.duplicate} already present")
    if result.keys:
        keys_file.parent.mkdir(parents=True, exist_ok=True)
        with keys_file.open("a", encoding="utf-8") as fh:
            for name, token in result.keys.items():
                fh.write(f"{name}\t{token}\n")
        console.print(f"demo API keys written to {keys_file} (dev mode only)")
    elif dev and keys_file.exists():
        console.print(f"demo API keys: see {keys_file}")


BATCH = 500


def ingest_file(
    file: Path = typer.Argument(..., help="JSONL file, one post object per line ('-' for stdin)."),
) -> None:
    """Ingest posts from JSONL; bad lines are reported with their number and never stop the rest."""
    from townsquare.posts.ingest import ingest

    try:
        text = typer.get_text_stream("stdin").read() if str(file) == "-" else file.read_text(encoding="utf-8")
    except OSError as exc:
        fail(f"cannot read {file}: {exc}")
        return
    lines = text.splitlines()
    counts = {"accepted": 0, "duplicate": 0, "conflict": 0, "rejected": 0}
    pending: list[tuple[int, object]] = []

    def flush() -> None:
        if not pending:
            return
        with session() as s:
            summary = ingest(s, [raw for _, raw in pending])
        for (line_no, _), res in zip(pending, summary.results, strict=True):
            counts[res.status] += 1
            if res.status in ("rejected", "conflict"):
                err_console.print(f"line {line_no}: {res.status}: {res.error}")
        pending.clear()

    columns = (TextColumn("ingest"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=err_console, transient=False) as progress:
        task = progress.add_task("ingest", total=len(lines))
        for n, line in enumerate(lines, start=1):
            progress.advance(task)
            if not line.strip():
                continue
            try:
                raw = json.loads(line)
            except json.JSONDecodeError as exc:
                counts["rejected"] += 1
                err_console.print(f"line {n}: rejected: invalid JSON ({exc.msg})")
                continue
            pending.append((n, raw))
            if len(pending) >= BATCH:
                flush()
        flush()
    typer.echo(
        f"accepted {counts['accepted']}, duplicate {counts['duplicate']}, "
        f"conflict {counts['conflict']}, rejected {counts['rejected']}"
    )
