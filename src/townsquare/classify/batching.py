"""Stage-1 features for a whole batch: one vocabulary table of (word, scope) rows, one gather per batch.

Per-document numpy calls (a concatenate of ~20 tiny arrays, then another per batch) and a dict of small arrays
per token cost more than the features themselves. The runtime instead keeps every (word, scope) token it has
seen as a row of one flat table, looks tokens up with one dict get each, and assembles the whole batch's CSR
arrays with a handful of numpy calls. The entries of every document come out in exactly the order of
``doc_arrays`` (token features, then the language, bigrams, scope flags and ``f:empty``), so the matrix, its
duplicate sums and every score are bit-identical to the per-document path (a unit test checks it).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from itertools import chain
from operator import itemgetter
from typing import NamedTuple

import numpy as np
from numpy.typing import NDArray

from townsquare.classify.features import (
    _BIGRAM_CACHE,
    _CACHE_MAX,
    SLUR_FEATURE,
    Token,
    _buckets,
    _name_index,
    has_slur,
    token_features,
)


class _Vocab:
    """(word, scope) -> row id; row r's hashed features are ``idx[start[r]:start[r]+size[r]]`` (and ``val``).

    Rows are only ever appended (under a lock; a row is fully written before its key is published), so a reader
    that looked up its ids may read the table at any later time. When it grows past ``_CACHE_MAX`` rows a new
    table replaces it; batches that hold the old one finish on it.
    """

    def __init__(self) -> None:
        self.ids: dict[tuple[str, str], int] = {}
        self.lock = threading.Lock()
        self.start = np.zeros(1024, dtype=np.int64)
        self.size = np.zeros(1024, dtype=np.int64)
        self.idx = np.zeros(16384, dtype=np.int32)
        self.val = np.zeros(16384, dtype=np.float32)
        self.n_rows = 0
        self.n_ent = 0

    def add_many(self, keys: Sequence[tuple[str, str]]) -> list[int]:
        """Row ids of ``keys``, appending the ones not in the table (their names hashed in one numpy pass)."""
        with self.lock:
            new = [k for k in dict.fromkeys(keys) if k not in self.ids]
            if new:
                feats = [token_features(Token(w, 0, 0, sc)) for w, sc in new]
                sizes = [len(f) for f in feats]
                idx = _buckets([n for f in feats for n, _ in f]).astype(np.int32)
                val = np.array([v for f in feats for _, v in f], dtype=np.float32)
                r0, e0 = self.n_rows, self.n_ent
                r1, e1 = r0 + len(new), e0 + idx.size
                while r1 > self.start.size:
                    self.start = np.concatenate([self.start, np.zeros_like(self.start)])
                    self.size = np.concatenate([self.size, np.zeros_like(self.size)])
                while e1 > self.idx.size:
                    self.idx = np.concatenate([self.idx, np.zeros_like(self.idx)])
                    self.val = np.concatenate([self.val, np.zeros_like(self.val)])
                self.idx[e0:e1] = idx
                self.val[e0:e1] = val
                self.size[r0:r1] = sizes
                self.start[r0:r1] = e0 + np.concatenate(([0], np.cumsum(sizes)[:-1])).astype(np.int64)
                self.n_rows, self.n_ent = r1, e1
                for r, k in enumerate(new, start=r0):  # published last: a visible id has its row written
                    self.ids[k] = r
            return [self.ids[k] for k in keys]

    def arrays(self) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.int32], NDArray[np.float32]]:
        with self.lock:
            return self.start, self.size, self.idx, self.val


_VOCAB: list[_Vocab] = [_Vocab()]
_VOCAB_LOCK = threading.Lock()


def _after_fork_in_child() -> None:
    """Locks held by another thread at fork time would never be released in the child: fresh table and locks."""
    global _VOCAB_LOCK
    _VOCAB[0] = _Vocab()
    _VOCAB_LOCK = threading.Lock()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)


def _vocab() -> _Vocab:
    with _VOCAB_LOCK:
        if len(_VOCAB[0].ids) > _CACHE_MAX:
            _VOCAB[0] = _Vocab()
        return _VOCAB[0]


def token_rows(words: list[tuple[str, str]], voc: _Vocab | None = None) -> list[int]:
    """Vocabulary row ids of ``scan`` tokens (the evidence path reuses the table)."""
    voc = voc or _vocab()
    get = voc.ids.get
    out = [get(w, -1) for w in words]
    if -1 in out:
        out = voc.add_many(words)
    return out


def table_arrays(
    keys: list[tuple[str, str]],
) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.int32], NDArray[np.float32]]:
    """(start, size) of each (word, scope) key's features in the returned (indices, values) table."""
    voc = _vocab()
    rid = np.asarray(token_rows(keys, voc), dtype=np.int64)
    start, size, idx, val = voc.arrays()
    return start[rid], size[rid], idx, val


class Batch(NamedTuple):
    """The stage-1 CSR arrays of a batch, before duplicate summing and normalisation."""

    data: NDArray[np.float32]
    indices: NDArray[np.int32]
    indptr: NDArray[np.int64]


_FIRST, _SECOND = itemgetter(0), itemgetter(1)


def batch_arrays(
    docs: list[list[tuple[str, str]]], langs: list[str], slurs: frozenset[str] = frozenset()
) -> Batch:
    """``doc_arrays`` for a whole batch, concatenated in document order (bit-identical entries and order)."""
    voc = _vocab()
    get = voc.ids.get
    bcache = _BIGRAM_CACHE
    bget = bcache.get
    extra_i: list[int | None] = []
    bmiss: list[tuple[int, tuple[str, str]]] = []  # positions in extra_i of bigrams not hashed yet
    n_tok = np.fromiter(map(len, docs), dtype=np.int64, count=len(docs))
    n_extra = np.zeros(len(docs), dtype=np.int64)
    lang_ix = {lg: _name_index(f"lang:{lg}") for lg in set(langs)}
    scope_ix = {s: _name_index(f"f:scope_{s}") for s in ("n", "q", "r")}
    empty_ix = _name_index("f:empty")
    slur_ix = _name_index(SLUR_FEATURE)
    if len(bcache) > _CACHE_MAX:
        bcache.clear()
    # token rows: one C-level pass of dict lookups; tokens not in the table yet are added all at once
    flat = list(chain.from_iterable(docs))
    rows: list[int | None] = list(map(get, flat))
    if None in rows:
        miss = [i for i, r in enumerate(rows) if r is None]
        for i, r in zip(miss, voc.add_many([flat[i] for i in miss]), strict=True):
            rows[i] = r
    for d, words in enumerate(docs):
        e0 = len(extra_i)
        extra_i.append(lang_ix[langs[d]])
        ws = list(map(_FIRST, words))
        pairs = list(zip(["<s>", *ws], ws, strict=False))  # (previous word, word), "<s>" first
        bis = list(map(bget, pairs))
        if None in bis:  # hashed after the loop, all new bigrams at once
            bmiss.extend((e0 + 1 + j, pairs[j]) for j, b in enumerate(bis) if b is None)
        extra_i.extend(bis)
        # the set built by adding the scopes in token order, as doc_arrays does: same iteration order
        for sc in set(map(_SECOND, words)):
            if sc != "w":
                extra_i.append(scope_ix[sc])
        if slurs and has_slur(words, slurs):
            extra_i.append(slur_ix)
        if not words:
            extra_i.append(empty_ix)
        n_extra[d] = len(extra_i) - e0
    if bmiss:
        hashed = _buckets([f"b:{a}_{b}" for _, (a, b) in bmiss]).tolist()
        for (p, bk), bi in zip(bmiss, hashed, strict=True):
            extra_i[p] = bcache[bk] = bi
    start, size, tidx, tval = voc.arrays()
    rid = np.asarray(rows, dtype=np.int64)
    lens = size[rid]
    # token-feature entries, flattened in token order: source positions in the table
    cum = np.zeros(rid.size + 1, dtype=np.int64)
    np.cumsum(lens, out=cum[1:])
    total_tok = int(cum[-1])
    src = np.repeat(start[rid] - cum[:-1], lens) + np.arange(total_tok, dtype=np.int64)
    # per document: token-feature entries then its extras
    tok_bound = np.zeros(len(docs) + 1, dtype=np.int64)
    np.cumsum(n_tok, out=tok_bound[1:])
    doc_tok_ent = cum[tok_bound[1:]] - cum[tok_bound[:-1]]
    indptr = np.zeros(len(docs) + 1, dtype=np.int64)
    np.cumsum(doc_tok_ent + n_extra, out=indptr[1:])
    nnz = int(indptr[-1])
    indices = np.empty(nnz, dtype=np.int32)
    data = np.empty(nnz, dtype=np.float32)
    # destination of token entries: shift each document's block by the extras of the documents before it
    extra_before = np.zeros(len(docs), dtype=np.int64)
    np.cumsum(n_extra[:-1], out=extra_before[1:])
    tok_dest = np.arange(total_tok, dtype=np.int64) + np.repeat(extra_before, doc_tok_ent)
    indices[tok_dest] = tidx[src]
    data[tok_dest] = tval[src]
    ext_dest = np.arange(len(extra_i), dtype=np.int64) + np.repeat(cum[tok_bound[1:]], n_extra)
    indices[ext_dest] = np.asarray(extra_i, dtype=np.int64)  # every None filled in above
    ext_val = np.ones(len(extra_i), dtype=np.float32)
    # bigram values: entries 1 .. n_tok of each document's extras
    ext_start = np.zeros(len(docs), dtype=np.int64)
    np.cumsum(n_extra[:-1], out=ext_start[1:])
    big = np.repeat(ext_start + 1 - np.concatenate(([0], np.cumsum(n_tok)[:-1])), n_tok) + np.arange(
        rid.size, dtype=np.int64
    )
    ext_val[big] = 0.7
    data[ext_dest] = ext_val
    return Batch(data, indices, indptr)
