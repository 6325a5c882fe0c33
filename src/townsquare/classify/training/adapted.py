"""French adaptations of openly licensed English rows (``data/adapted_public.yaml``; issue 14, item 2).

The English public sets (ToxiGen seeds, MIT; HatemojiBuild, CC BY 4.0) teach implicit hate and contrastive pairs
that no French set covers. A person adapted some of their rows into natural French (targets moved to French
realities where that reads naturally). Each adapted row names its source dataset and row id, and is used only
when that source row exists, carries the same label and falls in the TRAINING part of the project's hash split
(``data.split_of``): adapting a test or calibration row would leak the held-out figures, so such a row is refused
loudly, not skipped. When a source dataset is absent, its adapted rows are left out (their split cannot be
checked). Adapted rows weigh like their source set.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from townsquare.classify import data as D
from townsquare.classify import taxonomy

FILE = "adapted_public.yaml"
SOURCES = {"toxigen": D.TOXIGEN_WEIGHT, "hatemoji": D.HATEMOJI_WEIGHT}


@dataclass(frozen=True)
class Adapted:
    source: str  # dataset name as in data.py ("toxigen", "hatemoji")
    row_id: str  # toxigen: first 12 hex of sha1(sentence); hatemoji: entry_id
    labels: frozenset[str]
    text: str  # the French adaptation


@dataclass(frozen=True)
class SourceRow:
    split: str
    labels: frozenset[str]


def toxigen_id(sentence: str) -> str:
    """ToxiGen seeds have no ids; the project's split key is the deduplicated sentence, so its hash names it."""
    return hashlib.sha1(sentence.encode("utf-8")).hexdigest()[:12]


@cache
def adapted() -> tuple[Adapted, ...]:
    """The adapted rows, validated (known source and labels, non-empty text, no duplicate)."""
    raw = yaml.safe_load(
        (resources.files("townsquare.classify.training") / "data" / FILE).read_text(encoding="utf-8")
    )
    return tuple(check(raw))


def check(raw: Any) -> list[Adapted]:
    if (
        not isinstance(raw, dict)
        or not isinstance(raw.get("sources"), dict)
        or not isinstance(raw.get("rows"), list)
    ):
        raise ValueError(f"{FILE}: expected a mapping with 'sources' and 'rows'")
    for name in raw["sources"]:
        if name not in SOURCES:
            raise ValueError(f"{FILE}: unknown source {name!r}")
        for field in ("licence", "attribution", "origin"):
            if not raw["sources"][name].get(field):
                raise ValueError(f"{FILE}: source {name!r} has no {field}")
    out: list[Adapted] = []
    seen: set[tuple[str, str]] = set()
    texts: set[str] = set()
    for i, r in enumerate(raw["rows"]):
        if not isinstance(r, dict) or set(r) != {"src", "id", "labels", "fr"}:
            raise ValueError(f"{FILE} rows[{i}]: a row has exactly src, id, labels, fr")
        src, rid, text = str(r["src"]), str(r["id"]), str(r["fr"]).strip()
        labels = frozenset(str(x) for x in r["labels"] or [])
        if src not in raw["sources"]:
            raise ValueError(f"{FILE} rows[{i}]: source {src!r} not declared")
        if not labels <= set(taxonomy.LABELS):
            raise ValueError(f"{FILE} rows[{i}]: unknown labels {sorted(labels - set(taxonomy.LABELS))}")
        if not text or text in texts:
            raise ValueError(f"{FILE} rows[{i}]: empty or duplicate text")
        if (src, rid) in seen:
            raise ValueError(f"{FILE} rows[{i}]: {src} row {rid} adapted twice")
        seen.add((src, rid))
        texts.add(text)
        out.append(Adapted(src, rid, labels, text))
    return out


def source_index(root: Path) -> dict[str, dict[str, SourceRow]]:
    """Split and labels of every row of the source datasets present under ``root``, by row id."""
    index: dict[str, dict[str, SourceRow]] = {}
    tox = D.load_toxigen(root)
    if tox:
        index["toxigen"] = {toxigen_id(r.text): SourceRow(r.split, r.labels) for r in tox}
    folder = root / "hatemoji-build"
    if folder.is_dir():
        hm: dict[str, SourceRow] = {}
        for name in ("train.csv", "validation.csv", "test.csv"):
            for r in D._csv(folder / name):
                y = int(r["label_gold"])
                labels = {"hate_speech"} if y else set()
                if y and r.get("type") == "threateninglanguage":
                    labels.add("violent_threat")
                hm[r["entry_id"]] = SourceRow(D.split_of("hatemoji", r["entry_id"]), frozenset(labels))
        index["hatemoji"] = hm
    return index


def problems(rows: tuple[Adapted, ...], index: dict[str, dict[str, SourceRow]]) -> list[str]:
    """Why adapted rows may not be used: unknown source row, a held-out source row, or a changed label."""
    out: list[str] = []
    for a in rows:
        if a.source not in index:
            continue
        src = index[a.source].get(a.row_id)
        if src is None:
            out.append(f"{a.source} row {a.row_id}: not in the dataset")
        elif src.split != "train":
            out.append(f"{a.source} row {a.row_id}: source row is in the {src.split} split")
        elif src.labels != a.labels:
            out.append(f"{a.source} row {a.row_id}: labels {sorted(a.labels)} != source {sorted(src.labels)}")
    return out


def load_adapted(root: Path) -> list[D.Row]:
    """The adapted French rows whose source dataset is present, as training rows (split "train" only)."""
    rows = adapted()
    index = source_index(root)
    bad = problems(rows, index)
    if bad:
        raise ValueError(f"{FILE}: {len(bad)} rows may not be used: " + "; ".join(bad[:5]))
    return [
        D.Row(
            a.text,
            "fr",
            a.labels,
            f"{a.source}_fr",
            "train",
            int("hate_speech" in a.labels),
            SOURCES[a.source],
        )
        for a in rows
        if a.source in index
    ]
