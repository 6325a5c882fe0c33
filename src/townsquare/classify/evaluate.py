"""Evaluation: held-out public splits and the project's functional suite (tests/functional).

The functional suite is read from the repository checkout (``tests/functional/cases_*.py``); the public splits
from the datasets path. Nothing here trains or tunes anything.
"""

from __future__ import annotations

import importlib.util
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from townsquare.classify import data as D
from townsquare.classify import taxonomy
from townsquare.classify.model import Model, prepare

HATE = "hate_speech"


@dataclass(frozen=True)
class Case:
    lang: str
    phenomenon: str
    hateful: bool
    text: str


def suite_dir() -> Path | None:
    here = Path(__file__).resolve()
    for parent in here.parents:
        cand = parent / "tests" / "functional"
        if (parent / "pyproject.toml").exists() and (cand / "cases_en.py").exists():
            return cand
    return None


def load_suite(directory: Path | None = None) -> list[Case]:
    directory = directory or suite_dir()
    if directory is None:
        return []
    out: list[Case] = []
    for lang in ("en", "fr"):
        path = directory / f"cases_{lang}.py"
        spec = importlib.util.spec_from_file_location(f"_ts_functional_cases_{lang}", path)
        assert spec is not None and spec.loader is not None
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
        for name, (hateful, cases) in mod.PHENOMENA.items():
            out.extend(Case(lang, name, bool(hateful), t) for t in cases)
    return out


def predict(
    model: Model,
    texts: list[str],
    langs: list[str | None] | None = None,
    second_stage: bool = True,
    batch: int = 2048,
) -> np.ndarray[Any, Any]:
    """Calibrated scores (n, L)."""
    parts = []
    for i in range(0, len(texts), batch):
        chunk = texts[i : i + batch]
        lchunk = langs[i : i + batch] if langs is not None else [None] * len(chunk)
        prepared = [prepare(t, lg, model.slur_words) for t, lg in zip(chunk, lchunk, strict=True)]
        p, _, _ = model.score(prepared, second_stage)
        parts.append(p)
    return np.vstack(parts) if parts else np.zeros((0, len(model.labels)), dtype=np.float32)


@dataclass
class SuiteResult:
    per_phenomenon: dict[tuple[str, str], tuple[bool, int, int]] = field(
        default_factory=dict
    )  # -> hateful, ok, n
    failures: list[tuple[Case, float]] = field(default_factory=list)

    def accuracy(self, lang: str, hateful: bool) -> float:
        ok = n = 0
        for (lg, _), (h, o, k) in self.per_phenomenon.items():
            if lg == lang and h == hateful:
                ok += o
                n += k
        return ok / n if n else float("nan")


def run_suite(model: Model, cases: list[Case], second_stage: bool = True) -> SuiteResult:
    j = model.labels.index(HATE)
    thr = taxonomy.SPECS[HATE].threshold
    P = predict(model, [c.text for c in cases], [c.lang for c in cases], second_stage)
    res = SuiteResult()
    agg: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    hate_of: dict[tuple[str, str], bool] = {}
    for c, p in zip(cases, P[:, j], strict=True):
        pred = bool(p >= thr)
        key = (c.lang, c.phenomenon)
        hate_of[key] = c.hateful
        agg[key][1] += 1
        if pred == c.hateful:
            agg[key][0] += 1
        else:
            res.failures.append((c, float(p)))
    res.per_phenomenon = {k: (hate_of[k], v[0], v[1]) for k, v in agg.items()}
    return res


def _auc(y: np.ndarray[Any, Any], s: np.ndarray[Any, Any]) -> float:
    from sklearn.metrics import roc_auc_score

    if len(set(y.tolist())) < 2:
        return float("nan")
    return float(roc_auc_score(y, s))


def toxic_score(model: Model, P: np.ndarray[Any, Any], dataset: str) -> np.ndarray[Any, Any]:
    """The score compared with a dataset's own binary annotation."""
    if dataset in ("ftr", "hatemoji", "toxigen"):  # hate / not-hate annotations
        return np.asarray(P[:, model.labels.index(HATE)])
    if dataset == "sms":
        return np.asarray(P[:, model.labels.index("spam_scam")])
    idx = [model.labels.index(lab) for lab in taxonomy.TOXIC_LABELS]
    return np.asarray(P[:, idx].max(axis=1))


def run_public(model: Model, datasets: Path, second_stage: bool = True) -> dict[str, dict[str, Any]]:
    """Per held-out public split: n, AUC of the dataset's binary label, and per-label P/R/F1 where defined."""
    from sklearn.metrics import precision_recall_fscore_support

    rows = [r for r in D.load_all(datasets) if r.split == "test"]
    by: dict[str, list[D.Row]] = defaultdict(list)
    for r in rows:
        by[r.dataset].append(r)
    out: dict[str, dict[str, Any]] = {}
    for name, rs in sorted(by.items()):
        P = predict(model, [r.text for r in rs], [r.lang for r in rs], second_stage)
        y = np.array([r.toxic for r in rs])
        s = toxic_score(model, P, name)
        res: dict[str, Any] = {
            "n": len(rs),
            "lang": rs[0].lang,
            "auc": _auc(y, s),
            "y": y,
            "s": s,
            "labels": {},
        }
        for lab in sorted({lab for r in rs for lab in r.labels}):
            j = model.labels.index(lab)
            yt = np.array([int(lab in r.labels) for r in rs])
            yp = (P[:, j] >= taxonomy.SPECS[lab].threshold).astype(int)
            p, rc, f, _ = precision_recall_fscore_support(yt, yp, average="binary", zero_division=0)
            res["labels"][lab] = {
                "precision": float(p),
                "recall": float(rc),
                "f1": float(f),
                "auc": _auc(yt, P[:, j]),
                "support": int(yt.sum()),
            }
        out[name] = res
    return out
