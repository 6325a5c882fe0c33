"""Public labelled datasets (read from a path, never copied) and their deterministic held-out splits.

Each row gets a split from a hash of (dataset, row id): 20 % "test" (held out: never trained on, never used for
thresholds or calibration), 10 % "calib" (calibration only), the rest "train". The same rows are held out on every
machine and every run.
"""

from __future__ import annotations

import csv
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

TEST_PCT = 20
# sample weights of the public sets (the written examples weigh 3.0; see train.py)
DAVIDSON_WEIGHT = 0.6
FTR_WEIGHT = 6.0
MLMA_WEIGHT = 0.1
HATEMOJI_WEIGHT = 1.0
TOXIGEN_WEIGHT = 2.0
CALIB_PCT = 10


@dataclass(frozen=True)
class Row:
    text: str
    lang: str
    labels: frozenset[str]
    dataset: str
    split: str
    toxic: int  # 1 hateful/toxic per the dataset's own annotation, 0 not (for the held-out AUCs)
    weight: float = 1.0


def split_of(dataset: str, key: str) -> str:
    h = int(hashlib.sha1(f"{dataset}:{key}".encode()).hexdigest()[:8], 16) % 100
    if h < TEST_PCT:
        return "test"
    if h < TEST_PCT + CALIB_PCT:
        return "calib"
    return "train"


def default_datasets_path() -> Path | None:
    """``$TOWNSQUARE_DATASETS`` or ``<repo root>/../shared/datasets`` when it exists."""
    env = os.environ.get("TOWNSQUARE_DATASETS")
    if env:
        p = Path(env)
        return p if p.is_dir() else None
    here = Path(__file__).resolve()
    for parent in here.parents:
        cand = parent.parent / "shared" / "datasets"
        if (parent / "pyproject.toml").exists() and cand.is_dir():
            return cand
    return None


def _csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", errors="replace", newline="") as fh:
        return list(csv.DictReader(fh))


def load_davidson(root: Path) -> list[Row]:
    out = []
    for r in _csv(root / "davidson-hate-offensive" / "labeled_data.csv"):
        cls = int(r["class"])
        labels = {0: {"hate_speech"}, 1: {"profanity"}, 2: set()}[cls]
        key = r.get("") or r["tweet"]
        out.append(
            Row(
                r["tweet"],
                "en",
                frozenset(labels),
                "davidson",
                split_of("davidson", key),
                int(cls < 2),
                DAVIDSON_WEIGHT,
            )
        )
    return out


def load_ftr(root: Path) -> list[Row]:
    out = []
    for r in _csv(root / "ftr-french-racism" / "FTR_new_labels.csv"):
        y = int(r["label"])
        out.append(
            Row(
                r["tweet"],
                "fr",
                frozenset({"hate_speech"} if y else set()),
                "ftr",
                split_of("ftr", r["id"]),
                y,
            )
        )
    return out


_PROTECTED_TARGETS = {"origin", "gender", "sexual_orientation", "religion", "disability"}


def load_mlma(root: Path) -> list[Row]:
    out = []
    for lang, fname in (("fr", "fr_dataset.csv"), ("en", "en_dataset.csv")):
        for r in _csv(root / "mlma-hate" / fname):
            sent = r["sentiment"]
            hostile = sent != "normal"
            labels: set[str] = set()
            if hostile:
                labels.add("hate_speech" if r["target"] in _PROTECTED_TARGETS else "harassment")
            out.append(
                Row(
                    r["tweet"],
                    lang,
                    frozenset(labels),
                    f"mlma_{lang}",
                    split_of(f"mlma_{lang}", r["HITId"]),
                    int(hostile),
                    MLMA_WEIGHT,
                )
            )
    return out


def load_sms(root: Path) -> list[Row]:
    out = []
    path = root / "sms-spam-collection" / "SMSSpamCollection.tsv"
    with path.open(encoding="utf-8", errors="replace") as fh:
        for i, line in enumerate(fh):
            tag, _, text = line.rstrip("\n").partition("\t")
            if tag not in ("ham", "spam"):
                continue
            y = int(tag == "spam")
            out.append(
                Row(
                    text,
                    "en",
                    frozenset({"spam_scam"} if y else set()),
                    "sms",
                    split_of("sms", str(i)),
                    y,
                    0.5,
                )
            )
    return out


def load_hatemoji(root: Path) -> list[Row]:
    """HatemojiBuild (CC BY 4.0): adversarial, contrastive English posts with emoji; its own splits are ignored
    (test items have near-twins in train), every row gets the project's hash split like the other sets."""
    out: list[Row] = []
    folder = root / "hatemoji-build"
    if not folder.is_dir():
        return out
    for name in ("train.csv", "validation.csv", "test.csv"):
        for r in _csv(folder / name):
            y = int(r["label_gold"])
            labels = {"hate_speech"} if y else set()
            if y and r.get("type") == "threateninglanguage":
                labels.add("violent_threat")
            out.append(
                Row(
                    r["text"],
                    "en",
                    frozenset(labels),
                    "hatemoji",
                    split_of("hatemoji", r["entry_id"]),
                    y,
                    HATEMOJI_WEIGHT,
                )
            )
    return out


def load_toxigen(root: Path) -> list[Row]:
    """ToxiGen seed sentences (MIT): human-written implicit hate / neutral statements about 13 groups."""
    folder = root / "toxigen-seeds" / "demonstrations"
    if not folder.is_dir():
        return []
    seen: dict[str, int] = {}
    for path in sorted(folder.rglob("*.txt")):
        y = int(path.name.startswith("hate_"))
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
            text = line.strip().removeprefix("- ").strip()
            if len(text) > 3:
                seen[text] = max(seen.get(text, 0), y)
    return [
        Row(
            t,
            "en",
            frozenset({"hate_speech"} if y else set()),
            "toxigen",
            split_of("toxigen", t),
            y,
            TOXIGEN_WEIGHT,
        )
        for t, y in seen.items()
    ]


def load_all(root: Path) -> list[Row]:
    rows: list[Row] = []
    for loader in (load_davidson, load_ftr, load_mlma, load_sms, load_hatemoji, load_toxigen):
        rows.extend(loader(root))
    # French adaptations of training-split ToxiGen / HatemojiBuild rows (imported here: it imports this module)
    from townsquare.classify.training.adapted import load_adapted

    rows.extend(load_adapted(root))
    return rows
