"""`townsquare report brand-safety`: the advertiser's brand-safety report on the command line."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import typer

from townsquare.ads import render
from townsquare.ads.report import DEFAULT_SAMPLE, brand_safety_report
from townsquare.cli.common import console, fail, session

app = typer.Typer(help="Reports for advertisers and auditors.", no_args_is_help=True)


def _date(value: str, name: str) -> datetime:
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        fail(f"--{name}: {value!r} is not a date like 2026-01-31 or 2026-01-31T12:00:00Z")
        raise  # pragma: no cover - fail() exits


@app.command("brand-safety")
def brand_safety(
    advertiser: str = typer.Option(..., "--advertiser", help="Advertiser id."),
    since: str = typer.Option(..., "--since", help="Start of the period (ISO date, UTC)."),
    until: str | None = typer.Option(None, "--until", help="End of the period (default: now)."),
    campaign: str | None = typer.Option(None, "--campaign", help="One campaign only."),
    sample: int = typer.Option(
        DEFAULT_SAMPLE, "--sample", min=0, max=10_000, help="Verification sample size."
    ),
    seed: int | None = typer.Option(
        None, "--seed", help="Random seed of the sample (printed; re-use to re-draw)."
    ),
    csv_path: Path | None = typer.Option(None, "--csv", help="Write the CSV export here."),
    chart_path: Path | None = typer.Option(None, "--chart", help="Write the chart here (.png or .svg)."),
    as_json: bool = typer.Option(False, "--json", help="Print the whole report as JSON."),
) -> None:
    """Impressions by adjacent GARM category × tier and the verified brand-safety rate with its 95 % interval."""
    with session() as s:
        data = brand_safety_report(
            s,
            advertiser_id=advertiser,
            since=_date(since, "since"),
            until=_date(until, "until") if until else None,
            campaign_id=campaign,
            sample_size=sample,
            seed=seed,
        )
    if csv_path is not None:
        csv_path.write_text(render.to_csv(data), encoding="utf-8")
    if chart_path is not None:
        fmt = "svg" if chart_path.suffix.lower() == ".svg" else "png"
        chart_path.write_bytes(render.chart(data, fmt))
    if as_json:
        typer.echo(json.dumps(data, indent=2, default=str))
        return
    v = data["verification"]
    console.print(
        f"[bold]Brand safety — {data['advertiser_id']}[/bold] {data['since'][:10]} → {data['until'][:10]}"
    )
    console.print(
        f"impressions: {data['impressions']} ({data['adjacent_none']} next to no sensitive content)"
    )
    for cat, tiers in data["adjacent"].items():
        if any(tiers.values()):
            console.print(f"  {cat:<26} " + "  ".join(f"{t}={n}" for t, n in tiers.items()))
    if data["served_eligible_rate"] is not None:
        console.print(f"served as eligible (snapshots): {data['served_eligible_rate']:.1%}")
    if v["brand_safety_rate"] is None:
        console.print("brand-safety rate: no impressions to verify in this period")
    else:
        lo, hi = v["ci95"]
        console.print(
            f"brand-safety rate (verified): {v['brand_safety_rate']:.1%}  95 % CI [{lo:.1%}, {hi:.1%}]  "
            f"n={v['sample_size']}  seed={v['seed']}"
        )
    for path in (csv_path, chart_path):
        if path is not None:
            console.print(f"wrote {path}")
