"""Training: rebuild the shipped artefact from the public datasets (path argument) and the written examples.

Seeded and deterministic: the same datasets, seed and code give the same weights up to floating-point noise in
BLAS (scores agree within 1e-4; see docs/model.md).
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from townsquare.classify import data as D
from townsquare.classify import taxonomy
from townsquare.classify.model import Model, embed, hash_features, prepare, scope_flags, weights_digest
from townsquare.classify.training import generate
from townsquare.classify.training.decontaminate import blind_keys, drop_blind

SEED = 13
# The written examples together weigh this share of the training mass, however many there are: each new round of
# phrasings (round 2 added 10,750 rows) would otherwise push the public datasets' share down and with it the
# held-out AUCs on real posts (FTR's fell 0.855 -> 0.850 at a constant 3.0 a row). 0.80 is v2.1's share
# (3.0 a row x 32,608 rows against 23,473 of public mass), fixed before round 2 was trained.
WRITTEN_SHARE = 0.80
C_STAGE1 = 8.0
C_STAGE2 = 4.0
BAND = (0.3, 0.7)  # gated by group mention; 0.15-0.85 sent 13 % of the bench tweets to stage 2, this 8 %
MIX = 0.5
STAGE2_FTR_BOOST = 3.0
# stage 2 = the fine-tuned token encoder (training/finetune.py) when torch is installed; see docs/model.md
FINETUNE_DEFAULT = False  # the stage-2 hate_speech head weighs the FTR rows 3x more (6 -> 18)
C_TOPIC = 1.0
# wave-1 written phenomena that are about a topic but were written before topics existed: neither positive nor
# negative rows for the topic heads (they would teach "a stabbing in the city centre" is not crime news)
TOPIC_UNLABELLED = frozenset(
    {
        "extremism_news",
        "violence_news",
        "social_issue",
        "threat_reported",
        "misinformation_debunk",
        "identity_news_clean",
        "self_harm_clean_more",
    }
)
Progress = Callable[[str, float], None]


@dataclass
class TrainRow:
    text: str
    lang: str
    labels: frozenset[str]
    source: str
    split: str
    weight: float


def default_out_dir() -> Path:
    return Path(__file__).resolve().parent / "artefacts"


_GENERIC = frozenset(
    [
        "people",
        "person",
        "persons",
        "man",
        "men",
        "guy",
        "guys",
        "kid",
        "kids",
        "folks",
        "family",
        "families",
        "personne",
        "personnes",
        "homme",
        "hommes",
        "mec",
        "mecs",
        "gens",
        "les",
        "des",
        "une",
        "the",
        "and",
        "merde",
        "sand",
    ]
)
_EXTRA_GROUP_WORDS = (
    "islam islamic muslim muslims musulman musulmane musulmanes jewish judaism juive juives mosque mosques mosquee "
    "mosquees synagogue synagogues church eglise temple lgbt lgbtq queer homo homos lesbian lesbienne noir noire noires "
    "negro immigration immigrant immigre immigree migrant migrante foreigners foreigner etranger etrangers etrangere "
    "invaders envahisseurs bled ailleurs refugee refugie asylum asile girls filles meufs wife wives"
)


def _slur_phrases() -> list[str]:
    """Every slur of the lexicon, plural and singular, both languages."""
    from townsquare.classify.training import lexicon

    return [
        *(s for s, _ in (*lexicon.SLURS_EN, *lexicon.SLURS_FR)),
        *lexicon.SLURS_EN_SG,
        *lexicon.SLURS_FR_SG,
    ]


def group_words() -> list[str]:
    """Words that name a protected group (normalised), from the written examples' fillers: stage 2 runs only on
    posts that mention one (recorded in the artefact, so inference needs no training data)."""
    from townsquare.classify import features as F
    from townsquare.classify.normalize import normalize
    from townsquare.classify.training import compose, lexicon

    phrases: list[str] = [w for pair in (*lexicon.GROUPS_EN, *lexicon.GROUPS_FR) for w in pair]
    phrases += [*_slur_phrases(), *compose.IDENT_EN]
    phrases += [w for pair in compose.IDENT_FR for w in pair]
    phrases += _EXTRA_GROUP_WORDS.split()
    words = {w for ph in phrases for w, _ in F.scan(normalize(ph).text) if len(w) > 2 and w not in _GENERIC}
    return sorted(words)


def slur_words() -> list[str]:
    """Single-word lexicon slurs (normalised) for the shared ``f:slur`` feature, minus those with an innocent
    sense: any word the written homonym examples use plainly (a cigarette, a flood bank, a brake pedal, a delay
    in French...) is left to its own weight and context, so the shared feature never fires on everyday words."""
    from townsquare.classify import features as F
    from townsquare.classify.normalize import normalize
    from townsquare.classify.training import generate

    slurs = {ws[0][0] for ph in _slur_phrases() if len(ws := F.scan(normalize(ph).text)) == 1}
    innocent = {
        w
        for e in generate()
        if "homonym" in e.phenomenon and not e.labels
        for w, scope in F.scan(normalize(e.text).text)
        if scope == "w"
    }

    def stem(w: str) -> str:  # plural and singular stand or fall together ("bride" innocent: "brides" too)
        return w[:-3] + "y" if w.endswith("ies") else w[:-1] if w.endswith("s") else w

    innocent_stems = {stem(w) for w in innocent}
    return sorted(w for w in slurs if stem(w) not in innocent_stems)


def _topic_rows(rows: list[TrainRow]) -> list[int]:
    """Rows that train the topic heads: the written examples, minus the topical-but-unlabelled phenomena."""
    return [
        i
        for i, r in enumerate(rows)
        if r.source.startswith("written:") and r.source.split(":", 1)[1] not in TOPIC_UNLABELLED
    ]


def _train_topics(
    X: Any, rows: list[TrainRow], tr: NDArray[np.bool_], seed: int
) -> tuple[NDArray[np.float32], NDArray[np.float32], NDArray[np.float32]]:
    """One L2 logistic regression per brand-safety topic, classes balanced, on the written examples.

    No Platt step: the calibration split is written from the same templates (held-out AUC ~1.0), so a fitted
    slope would be far too steep for unseen phrasings; the balanced regression's own probability is used (the
    identity calibration is stored). L1 was tried first: sparser, but it kept only a few hundred features and
    missed most unseen news phrasings; L2 weights are zero wherever no written example has a feature, so the
    float16 array still compresses well.
    """
    from sklearn.linear_model import LogisticRegression

    idx = np.array(_topic_rows(rows), dtype=np.int64)
    topics = taxonomy.TOPICS
    Y = np.array([[int(t in rows[i].labels) for t in topics] for i in idx], dtype=np.int_)
    in_tr = tr[idx]
    Wt = np.zeros((X.shape[1], len(topics)), dtype=np.float32)
    bt = np.zeros(len(topics), dtype=np.float32)
    Xs = X[idx]
    for j in range(len(topics)):
        lr = LogisticRegression(
            C=C_TOPIC, solver="liblinear", class_weight="balanced", random_state=seed, max_iter=500
        )
        lr.fit(Xs[in_tr], Y[in_tr, j])
        Wt[:, j] = lr.coef_[0]
        bt[j] = float(lr.intercept_[0])
    calt = np.tile(np.array([1.0, 0.0], dtype=np.float32), (len(topics), 1))
    return Wt, bt, calt


def training_rows(datasets: Path, seed: int = SEED, notes: dict[str, Any] | None = None) -> list[TrainRow]:
    """Public rows (not their test split) and the written examples (none identical to a blind case).

    ``notes`` receives ``blind_dropped``: written examples dropped as identical to a blind case (None: no suite)."""
    rows: list[TrainRow] = []
    for r in D.load_all(datasets):
        if r.split != "test":
            rows.append(TrainRow(r.text, r.lang, r.labels, r.dataset, r.split, r.weight))
    for ex in written_examples(seed, notes):
        rows.append(
            TrainRow(
                ex.text,
                ex.lang,
                ex.labels,
                f"written:{ex.phenomenon}",
                "calib" if D.split_of("written", ex.text) == "calib" else "train",
                1.0,
            )
        )
    return _share_written(rows)


def written_examples(seed: int = SEED, notes: dict[str, Any] | None = None) -> list[Any]:
    """The written examples minus any identical to a blind case (``notes['blind_dropped']``: how many)."""
    keys = blind_keys()
    written, dropped = drop_blind(generate(seed), keys)
    if notes is not None:
        notes["blind_dropped"] = dropped if keys is not None else None
    return written


def _share_written(rows: list[TrainRow], share: float = WRITTEN_SHARE) -> list[TrainRow]:
    """Scale the written rows' weight so that together they are ``share`` of the whole training mass."""
    written = sum(r.weight for r in rows if r.source.startswith("written:"))
    public = sum(r.weight for r in rows if not r.source.startswith("written:"))
    if written == 0 or public == 0:
        return rows
    per_row = share / (1.0 - share) * public / written
    for r in rows:
        if r.source.startswith("written:"):
            r.weight *= per_row
    return rows


def written_weight(rows: list[TrainRow]) -> float:
    """The weight one written row got (recorded in the model's metadata)."""
    return next((r.weight for r in rows if r.source.startswith("written:")), 0.0)


def _embed_cached(texts: list[str], cache_dir: Path | None, progress: Progress | None) -> NDArray[np.float32]:
    keys = [hashlib.sha1(t.encode("utf-8", "replace")).hexdigest() for t in texts]
    known: dict[str, NDArray[np.float32]] = {}
    path = cache_dir / "use_cache.npz" if cache_dir else None
    if path and path.exists():
        with np.load(path) as z:
            for k, v in zip(z["keys"].tolist(), z["vecs"], strict=True):
                known[str(k)] = v
    todo = sorted({k: t for k, t in zip(keys, texts, strict=True) if k not in known}.items())
    step = 512
    for i in range(0, len(todo), step):
        chunk = todo[i : i + step]
        vecs = embed([t for _, t in chunk])
        for (k, _), v in zip(chunk, vecs, strict=True):
            known[k] = v
        if progress:
            progress("embedding", min(1.0, (i + step) / max(1, len(todo))))
    if path and todo:
        path.parent.mkdir(parents=True, exist_ok=True)
        ks = sorted(known)
        np.savez(path, keys=np.array(ks), vecs=np.stack([known[k] for k in ks]).astype(np.float32))
    return np.stack([known[k] for k in keys]).astype(np.float32)


def _auc_or_half(y: NDArray[np.int_], z: NDArray[np.float32]) -> float:
    from sklearn.metrics import roc_auc_score

    return float(roc_auc_score(y, z)) if 0 < y.sum() < len(y) else 0.5


def _platt(z: NDArray[np.float32], y: NDArray[np.int_]) -> tuple[float, float]:
    from sklearn.linear_model import LogisticRegression

    if y.min() == y.max():
        return 1.0, 0.0
    lr = LogisticRegression(C=100.0)
    lr.fit(z.reshape(-1, 1), y)
    return float(lr.coef_[0, 0]), float(lr.intercept_[0])


def _want_finetune(finetune: bool | None) -> bool:
    from townsquare.classify.training.finetune import torch_available

    if finetune is None:
        return FINETUNE_DEFAULT and torch_available()
    if finetune and not torch_available():
        raise RuntimeError("--finetune needs torch: pip install -e '.[train]'")
    return finetune


def _train_finetuned(
    prepared: list[Any],
    Y: NDArray[np.int_],
    w: NDArray[np.float64],
    tr: NDArray[np.bool_],
    z1c: NDArray[np.float32],
    progress: Progress | None,
) -> tuple[dict[str, NDArray[Any]], dict[str, Any]]:
    """Fine-tune the token encoder on the training rows; mix with stage 1 and Platt-calibrate on the calibration
    rows, with the artefact's own (float16) numpy inference. Records each seed's and the average's calibration
    AUCs (per label) in the metadata."""
    from townsquare.classify.encoder_ft import FineTunedEncoder
    from townsquare.classify.training import finetune as FT

    labels = taxonomy.LABELS
    cols = [labels.index(lab) for lab in FT.FT_LABELS]
    texts = [p.norm.text or "." for p in prepared]
    trn, cai = np.flatnonzero(tr), np.flatnonzero(~tr)
    # rows are drawn in proportion to the sources' weights (one sample for every head: no per-head FTR boost)
    enc, singles, info = FT.train_encoder([texts[i] for i in trn], Y[trn][:, cols], w[trn], progress=progress)
    shipped = FineTunedEncoder.from_artefact(
        enc.to_arrays(half=True), {"ft_labels": FT.FT_LABELS, "ft_eps": enc.eps}
    )
    assert shipped is not None
    if progress:
        progress("fine-tune: calibration", 0.0)
    ids = shipped.token_ids([texts[i] for i in cai])
    zft = shipped.logits_ids(ids)
    Yc = Y[cai][:, cols]
    zc = MIX * z1c[:, cols] + (1 - MIX) * zft
    shipped.cal = np.array([_platt(zc[:, j], Yc[:, j]) for j in range(len(cols))], dtype=np.float32)
    auc: dict[str, Any] = {"soup": [round(_auc_or_half(Yc[:, j], zft[:, j]), 4) for j in range(len(cols))]}
    # each seed alone, on every 3rd calibration row (the diagnostic that justifies averaging; inference is slow)
    sub = np.arange(0, len(ids), 3)
    for seed, single in zip(info["seeds"], singles, strict=True):
        zs = single.logits_ids([ids[i] for i in sub])
        auc[f"seed_{seed}"] = [round(_auc_or_half(Yc[sub, j], zs[:, j]), 4) for j in range(len(cols))]
    auc["soup_same_rows"] = [round(_auc_or_half(Yc[sub, j], zft[sub, j]), 4) for j in range(len(cols))]
    auc["stage1"] = [round(_auc_or_half(Yc[:, j], z1c[:, cols[j]]), 4) for j in range(len(cols))]
    auc["mix"] = [round(_auc_or_half(Yc[:, j], zc[:, j]), 4) for j in range(len(cols))]
    meta = {"ft_labels": list(FT.FT_LABELS), "ft_eps": enc.eps, "finetune": {**info, "calib_auc": auc}}
    return shipped.to_arrays(half=True), meta


def train(
    datasets: Path,
    out: Path | None = None,
    seed: int = SEED,
    stage2: bool = True,
    cache_dir: Path | None = None,
    progress: Progress | None = None,
    finetune: bool | None = None,
) -> dict[str, Any]:
    """Train and write ``model.npz`` + ``model.json`` to ``out``. Returns the metadata.

    ``finetune``: stage 2 with the fine-tuned token encoder (torch, the ``train`` extra) instead of the frozen
    encoder + logistic heads; None = FINETUNE_DEFAULT, and only when torch is importable.
    """
    from sklearn.linear_model import LogisticRegression

    t0 = time.time()
    out = out or default_out_dir()
    notes: dict[str, Any] = {}
    rows = training_rows(datasets, seed, notes)
    labels = taxonomy.LABELS
    L = len(labels)
    if progress:
        progress("features", 0.0)
    slurs = frozenset(slur_words())
    prepared = [prepare(r.text, r.lang, slurs) for r in rows]
    X = hash_features(prepared)
    Y = np.zeros((len(rows), L), dtype=np.int_)
    for i, r in enumerate(rows):
        for lab in r.labels:
            if lab in labels:  # topics are trained apart (_train_topics)
                Y[i, labels.index(lab)] = 1
    w = np.array([r.weight for r in rows], dtype=np.float64)
    tr = np.array([r.split == "train" for r in rows])
    ca = ~tr
    W1 = np.zeros((X.shape[1], L), dtype=np.float32)
    b1 = np.zeros(L, dtype=np.float32)
    for j, lab in enumerate(labels):
        y = Y[tr, j]
        if y.sum() == 0:
            b1[j] = -8.0
            continue
        lr = LogisticRegression(C=C_STAGE1, solver="liblinear", dual=True, random_state=seed, max_iter=500)
        lr.fit(X[tr], y, sample_weight=w[tr])
        W1[:, j] = lr.coef_[0].astype(np.float32)
        b1[j] = float(lr.intercept_[0])
        if progress:
            progress(f"stage 1: {lab}", (j + 1) / L)
    # French-racism specialist: a hate_speech model trained on the FTR rows only, added (x alpha) to the
    # hate_speech logit of French posts; alpha chosen on the calibration split (FTR + written rows), never on test.
    src = np.array([r.source.split(":")[0] for r in rows])
    hj = labels.index("hate_speech")
    ftr_tr = tr & (src == "ftr")
    spec = LogisticRegression(C=4.0, solver="liblinear", dual=True, random_state=seed, max_iter=500)
    spec.fit(X[ftr_tr], Y[ftr_tr, hj])
    Wf = spec.coef_[0].astype(np.float32)
    bf = float(spec.intercept_[0])
    is_fr = np.array([p.lang == "fr" for p in prepared])
    zf_all = np.asarray(X @ Wf, dtype=np.float32) + bf
    base = np.asarray(X @ W1[:, hj], dtype=np.float32) + b1[hj]
    best = (-1.0, 0.0)
    for alpha in (0.0, 0.5, 1.0, 1.5, 2.0, 2.5):
        z = base + alpha * zf_all * is_fr
        score = 0.0
        for mask in (ca & (src == "ftr"), ca & (src == "written")):
            score += _auc_or_half(Y[mask, hj], z[mask])
        if score > best[0] + 1e-6:
            best = (score, alpha)
    alpha_fr = best[1]
    Xc = X[ca]
    z1c = np.asarray(Xc @ W1, dtype=np.float32) + b1
    z1c[:, hj] += alpha_fr * zf_all[ca] * is_fr[ca]
    cal1 = np.array([_platt(z1c[:, j], Y[ca, j]) for j in range(L)], dtype=np.float32)
    arrays: dict[str, NDArray[Any]] = {
        "W1": W1.astype(np.float16),
        "b1": b1,
        "cal1": cal1,
        "Wfr": (alpha_fr * Wf).astype(np.float16),
        "bfr": np.array([alpha_fr * bf], dtype=np.float32),
    }
    if progress:
        progress("topics", 0.0)
    Wt, bt, calt = _train_topics(X, rows, tr, seed)
    arrays.update({"Wt": Wt.astype(np.float16), "bt": bt, "calt": calt})
    ft_meta: dict[str, Any] = {}
    if stage2 and _want_finetune(finetune):
        ft_arrays, ft_meta = _train_finetuned(prepared, Y, w, tr, z1c, progress)
        arrays.update(ft_arrays)
    elif stage2:
        emb = _embed_cached([p.norm.text or "." for p in prepared], cache_dir, progress)
        E = np.hstack([emb, scope_flags([p.words for p in prepared])])
        W2 = np.zeros((E.shape[1], L), dtype=np.float32)
        b2 = np.zeros(L, dtype=np.float32)
        for j, lab in enumerate(labels):
            y = Y[tr, j]
            if y.sum() == 0:
                b2[j] = -8.0
                continue
            lr = LogisticRegression(C=C_STAGE2, max_iter=1000, random_state=seed)
            w2 = w * np.where(src == "ftr", STAGE2_FTR_BOOST, 1.0) if lab == "hate_speech" else w
            lr.fit(E[tr], y, sample_weight=w2[tr])
            W2[:, j] = lr.coef_[0].astype(np.float32)
            b2[j] = float(lr.intercept_[0])
            if progress:
                progress(f"stage 2: {lab}", (j + 1) / L)
        z2c = E[ca] @ W2 + b2
        zc = MIX * z1c + (1 - MIX) * z2c
        cal2 = np.array([_platt(zc[:, j], Y[ca, j]) for j in range(L)], dtype=np.float32)
        arrays.update({"W2": W2, "b2": b2, "cal2": cal2})
    digest = weights_digest(arrays)
    counts: dict[str, int] = {}
    for r in rows:
        key = r.source.split(":")[0]
        counts[key] = counts.get(key, 0) + 1
    meta: dict[str, Any] = {
        "version": f"ts-clf-2.0+{digest}",
        "labels": list(labels),
        "topics": list(taxonomy.TOPICS),
        "group_words": group_words(),
        "slur_words": sorted(slurs),
        "n_features": X.shape[1],
        "seed": seed,
        "band": list(BAND),
        "mix": MIX,
        "stage2": stage2,
        "trained_at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "train_rows": counts,
        "written_weight": round(written_weight(rows), 4),
        "written_share": WRITTEN_SHARE,
        "blind_cases_dropped": notes.get("blind_dropped"),
        "alpha_fr": alpha_fr,
        "seconds": round(time.time() - t0, 1),
        **ft_meta,
    }
    out.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(out / "model.npz", **arrays)  # type: ignore[arg-type]
    (out / "model.json").write_text(json.dumps(meta, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return meta


def load_trained(out: Path) -> Model:
    return Model.load(out)


if __name__ == "__main__":  # pragma: no cover - convenience for development
    import sys

    p = D.default_datasets_path()
    assert p is not None
    print(
        train(
            p,
            Path(sys.argv[1]) if len(sys.argv) > 1 else None,
            cache_dir=Path(os.path.expanduser("~/.cache/townsquare")),
            progress=lambda s, f: print(f"{s} {f:.2f}", flush=True),
        )
    )
