"""`townsquare export statements`: DSA statements of reasons as JSON lines."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from townsquare.cli.common import err_console, fail, session
from townsquare.cli.policy_cmd import parse_date

app = typer.Typer(help="Exports for regulators and researchers.", no_args_is_help=True)


@app.command()
def statements(
    since: str = typer.Option(
        None,
        "--since",
        help="Actions taken on/after this date (YYYY-MM-DD); required unless --check (then optional).",
    ),
    out: Path = typer.Option(None, "--out", help="Write to this file instead of stdout."),
    validate: bool = typer.Option(
        True, "--validate/--no-validate", help="Check each against the DSA schema."
    ),
    check: bool = typer.Option(
        False, "--check", help="Compare every statement with the state it describes; exit 1 on any finding."
    ),
) -> None:
    """Write one DSA Transparency Database statement per line (JSONL); with --check, verify instead that every
    statement says what actually happened (exit 1 on any finding)."""
    import json

    from townsquare.transparency.statements import iter_statements, validate_statement

    if check:
        from townsquare.transparency.check import check_all

        with session() as s:
            result = check_all(s, parse_date(since) if since else None)
        for finding in result.findings:
            typer.echo(finding)
        err_console.print(
            f"{result.statements} statements and {result.posts} posts checked, {len(result.findings)} findings"
        )
        if result.findings:
            raise typer.Exit(1)
        return
    if not since:
        fail("--since is required (or use --check)")
    start = parse_date(since)
    with session() as s:
        rows = list(iter_statements(s, start))
    for st in rows if validate else []:
        errors = validate_statement(st)
        if errors:
            fail(f"statement {st.get('puid')} does not validate: {'; '.join(errors[:3])}")
    lines = "".join(json.dumps(st, ensure_ascii=False, sort_keys=True) + "\n" for st in rows)
    if out is None:
        sys.stdout.write(lines)
    else:
        out.write_text(lines, encoding="utf-8")
    err_console.print(f"{len(rows)} statements exported")
