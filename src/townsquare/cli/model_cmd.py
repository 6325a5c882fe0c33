"""`townsquare model train|evaluate`: rebuild the classifier artefact and measure it."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console

app = typer.Typer(help="The post classifier: train the shipped artefact, evaluate it.", no_args_is_help=True)
console = Console()
err = Console(stderr=True)


def _datasets(path: Path | None) -> Path | None:
    from townsquare.classify.data import default_datasets_path

    return path if path is not None else default_datasets_path()


@app.command()
def train(
    datasets: Path = typer.Option(
        ..., "--datasets", help="Folder with the public datasets (../shared/datasets)."
    ),
    out: Path | None = typer.Option(None, "--out", help="Output folder (default: the package's artefacts/)."),
    seed: int = typer.Option(13, "--seed", help="Random seed (written examples, solvers)."),
    no_stage2: bool = typer.Option(False, "--no-stage2", help="Train the fast stage only."),
    cache: Path | None = typer.Option(
        None, "--cache", help="Folder to cache sentence embeddings between runs."
    ),
    finetune: bool | None = typer.Option(
        None,
        "--finetune/--no-finetune",
        help="Stage 2 with the fine-tuned token encoder (needs torch: pip install -e '.[train]'); "
        "default: the model card's choice, when torch is installed.",
    ),
) -> None:
    """Train the classifier (seeded, reproducible) and write model.npz + model.json."""
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    from townsquare.classify.train import train as run_train

    if not datasets.is_dir():
        err.print(f"[red]error:[/red] datasets folder not found: {datasets}")
        raise typer.Exit(2)
    with Progress(
        TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn(), console=console
    ) as prog:
        task = prog.add_task("loading data", total=1.0)

        def report(stage: str, frac: float) -> None:
            prog.update(task, description=stage, completed=frac)

        meta = run_train(
            datasets,
            out,
            seed=seed,
            stage2=not no_stage2,
            cache_dir=cache,
            progress=report,
            finetune=finetune,
        )
    console.print(
        f"model [bold]{meta['version']}[/bold] written to {out or 'the package artefacts'} "
        f"in {meta['seconds']} s; rows: {meta['train_rows']}"
    )


@app.command()
def evaluate(
    datasets: Path | None = typer.Option(
        None,
        "--datasets",
        help="Public datasets folder (default: $TOWNSQUARE_DATASETS or ../shared/datasets).",
    ),
    report: Path | None = typer.Option(
        None, "--report", help="Write report.md, confusion.png and calibration.png here."
    ),
    model_dir: Path | None = typer.Option(
        None, "--model", help="Evaluate this artefact folder instead of the shipped one."
    ),
    fast_only: bool = typer.Option(False, "--fast-only", help="Stage 1 only (no sentence encoder)."),
) -> None:
    """Per-label and per-language P/R/F1/AUC on held-out public splits and the functional suite."""
    from townsquare.classify.model import Model, get_model
    from townsquare.classify.report import evaluate_all

    model = Model.load(model_dir) if model_dir else get_model()
    ds = _datasets(datasets)
    if ds is None:
        err.print("[yellow]note:[/yellow] public datasets not found; only the functional suite is evaluated")
    evaluate_all(model, ds, report, second_stage=not fast_only, console=console)
