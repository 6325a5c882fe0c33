"""`townsquare model evaluate`: tables on the terminal, a Markdown report, a confusion matrix and a calibration plot."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
from rich.console import Console
from rich.table import Table

from townsquare.classify import evaluate as E
from townsquare.classify import taxonomy
from townsquare.classify.model import Model


def _prf(y: np.ndarray[Any, Any], pred: np.ndarray[Any, Any]) -> tuple[float, float, float]:
    tp = int(((y == 1) & (pred == 1)).sum())
    fp = int(((y == 0) & (pred == 1)).sum())
    fn = int(((y == 1) & (pred == 0)).sum())
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def _auc(y: np.ndarray[Any, Any], s: np.ndarray[Any, Any]) -> float:
    from sklearn.metrics import roc_auc_score

    return float(roc_auc_score(y, s)) if len(set(y.tolist())) == 2 else float("nan")


def evaluate_all(
    model: Model,
    datasets: Path | None,
    report: Path | None,
    second_stage: bool = True,
    console: Console | None = None,
) -> dict[str, Any]:
    console = console or Console()
    md: list[str] = [f"# Classifier evaluation — model `{model.version}`", ""]
    md.append(f"Second stage (sentence encoder where stage 1 is unsure): {'on' if second_stage else 'off'}.")
    md.append("")
    results: dict[str, Any] = {"model": model.version}
    confusions: dict[str, np.ndarray[Any, Any]] = {}
    calib: dict[str, tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]]] = {}

    # ---- functional suite
    cases = E.load_suite()
    if cases:
        j = model.labels.index(E.HATE)
        P = E.predict(model, [c.text for c in cases], [c.lang for c in cases], second_stage)
        res = E.run_suite(model, cases, second_stage)
        t = Table(title="Functional suite (hate_speech) — per language")
        for col in ("lang", "hateful acc", "non-hateful acc", "P", "R", "F1", "AUC", "n"):
            t.add_column(col)
        md += [
            "## Functional suite (tests/functional)",
            "",
            "| lang | hateful acc | non-hateful acc | precision | recall | F1 | AUC | n |",
            "|---|---|---|---|---|---|---|---|",
        ]
        suite_out: dict[str, Any] = {}
        for lang in ("en", "fr"):
            idx = np.array([c.lang == lang for c in cases])
            y = np.array([int(c.hateful) for c in cases])[idx]
            s = P[idx, j]
            pred = (s >= taxonomy.SPECS[E.HATE].threshold).astype(int)
            p, r, f = _prf(y, pred)
            auc = _auc(y, s)
            ha, na = res.accuracy(lang, True), res.accuracy(lang, False)
            suite_out[lang] = {
                "hateful_acc": ha,
                "nonhateful_acc": na,
                "precision": p,
                "recall": r,
                "f1": f,
                "auc": auc,
            }
            t.add_row(
                lang,
                f"{ha:.3f}",
                f"{na:.3f}",
                f"{p:.3f}",
                f"{r:.3f}",
                f"{f:.3f}",
                f"{auc:.3f}",
                str(int(idx.sum())),
            )
            md.append(
                f"| {lang} | {ha:.3f} | {na:.3f} | {p:.3f} | {r:.3f} | {f:.3f} | {auc:.3f} | {int(idx.sum())} |"
            )
            confusions[f"suite {lang}"] = np.array(
                [[((y == a) & (pred == b)).sum() for b in (0, 1)] for a in (0, 1)]
            )
        console.print(t)
        results["suite"] = suite_out
        md += ["", "| lang | phenomenon | hateful? | accuracy | n |", "|---|---|---|---|---|"]
        for (lang, name), (h, ok, n) in sorted(res.per_phenomenon.items()):
            md.append(f"| {lang} | {name} | {'yes' if h else 'no'} | {ok / n:.3f} | {n} |")
        md.append("")

    # ---- public held-out splits
    if datasets is not None:
        pub = E.run_public(model, datasets, second_stage)
        t = Table(title="Held-out public splits (never trained on)")
        for col in ("dataset", "lang", "n", "AUC (dataset label)", "label", "P", "R", "F1", "AUC"):
            t.add_column(col)
        md += [
            "## Held-out public splits",
            "",
            "AUC of the dataset's own binary annotation (hateful/toxic; spam for SMS) against the classifier's "
            "score (max of hate_speech, harassment, profanity, violent_threat; hate_speech alone for FTR).",
            "",
            "| dataset | lang | n | AUC | label | precision | recall | F1 | label AUC |",
            "|---|---|---|---|---|---|---|---|---|",
        ]
        pub_out: dict[str, Any] = {}
        for name, pr in pub.items():
            pub_out[name] = {"n": pr["n"], "auc": pr["auc"], "labels": pr["labels"]}
            first = True
            for lab, m in pr["labels"].items():
                cells = [name, pr["lang"], str(pr["n"]), f"{pr['auc']:.3f}"] if first else ["", "", "", ""]
                t.add_row(
                    *cells,
                    lab,
                    f"{m['precision']:.3f}",
                    f"{m['recall']:.3f}",
                    f"{m['f1']:.3f}",
                    f"{m['auc']:.3f}",
                )
                md.append(
                    f"| {name} | {pr['lang']} | {pr['n']} | {pr['auc']:.3f} | {lab} | {m['precision']:.3f} | "
                    f"{m['recall']:.3f} | {m['f1']:.3f} | {m['auc']:.3f} |"
                )
                first = False
            y, s = pr["y"], pr["s"]
            pred = (s >= 0.5).astype(int)
            confusions[name] = np.array([[((y == a) & (pred == b)).sum() for b in (0, 1)] for a in (0, 1)])
            calib[name] = (y, s)
        console.print(t)
        results["public"] = pub_out
        md.append("")

    if report is not None:
        report.mkdir(parents=True, exist_ok=True)
        _plots(report, confusions, calib)
        md += [
            "## Figures",
            "",
            "![confusion matrices](confusion.png)",
            "",
            "![calibration](calibration.png)",
            "",
        ]
        (report / "report.md").write_text("\n".join(md) + "\n", encoding="utf-8")
        console.print(f"report written to {report / 'report.md'}")
    return results


def _plots(
    out: Path,
    confusions: dict[str, np.ndarray[Any, Any]],
    calib: dict[str, tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]]],
) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    n = max(1, len(confusions))
    fig, axes = plt.subplots(1, n, figsize=(3.2 * n, 3.2), squeeze=False)
    for ax, (name, cm) in zip(axes[0], confusions.items(), strict=False):
        ax.imshow(cm, cmap="Blues")
        for a in (0, 1):
            for b in (0, 1):
                ax.text(b, a, str(int(cm[a, b])), ha="center", va="center")
        ax.set_xticks([0, 1], ["pred 0", "pred 1"])
        ax.set_yticks([0, 1], ["true 0", "true 1"])
        ax.set_title(name, fontsize=9)
    fig.tight_layout()
    fig.savefig(out / "confusion.png", dpi=110)
    plt.close(fig)

    fig, ax = plt.subplots(figsize=(4.5, 4.5))
    ax.plot([0, 1], [0, 1], "k--", lw=0.8)
    bins = np.linspace(0, 1, 11)
    for name, (y, s) in calib.items():
        idx = np.clip(np.digitize(s, bins) - 1, 0, 9)
        xs, ys = [], []
        for b in range(10):
            m = idx == b
            if m.sum() >= 5:
                xs.append(float(s[m].mean()))
                ys.append(float(y[m].mean()))
        ax.plot(xs, ys, marker="o", label=name)
    ax.set_xlabel("predicted score")
    ax.set_ylabel("observed frequency (dataset label)")
    ax.set_title("Calibration on held-out public splits")
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(out / "calibration.png", dpi=110)
    plt.close(fig)
