"""Evidence spans: the words of the original text that carry a label, traced through the stage-1 weights.

People read evidence to check a decision ("why was my post flagged?"), so a span must be a word that carries the
label: function words, fillers and light verbs ("again", "encore", "tous", "faut", "going") can have small
positive weights (they co-occur with insults in the training data) but are never shown, and a word whose
contribution is far below the strongest word's is not shown either.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from townsquare.classify import batching as B
from townsquare.classify import features as F
from townsquare.classify.normalize import Normalized
from townsquare.classify.types import Evidence

_FUNCTION = (
    "a an the and or of to in on at for by with is are was were be been being it its this that these those i you he "
    "she we they me him her us them my your his our their all any some no not so as if then than from up down out "
    "into over about just very too also again still even only really much more most such there here what which who "
    "whom whose when where why how do does did done doing have has had having will would can could should shall may "
    "might must get got gets getting go goes going gone went gonna wanna gotta let lets make made making like "
    "live lives today now yet ever always one ones thing things stuff way lot lots "
    "lol lmao omg tbh smh ok okay yeah yes oh ah um hmm well honestly literally seriously basically actually "
    "le la les l un une des du de d et ou au aux en dans sur par pour avec est sont etait etaient ete etre ce cet "
    "cette ces je tu il elle on nous vous ils elles me te se lui leur mon ton son ma ta sa mes tes ses nos vos leurs "
    "qui que qu quoi dont c s n t j m y ca cela ceci tout tous toute toutes encore deja toujours aussi tres trop "
    "bien plus moins juste vraiment quand comme mais donc car si alors la ici la-bas faut fait faire fais font va "
    "vais vas vont aller ai as a ont avoir avait suis es sommes etes peut peux pouvoir veut veux vouloir dit "
    "mdr ptdr lol bon ben bah ouais oui non wesh franchement serieux genre grave truc trucs chose choses fois "
    "aujourd hui demain hier jour journee"
)
STOP: frozenset[str] = frozenset(_FUNCTION.split())
REL_MIN = 0.3  # a word is shown only if it carries at least this share of the strongest word's contribution
# never shown: the function words and every one-character token (tokens are [a-z0-9_*]+ after normalisation)
_HIDDEN: frozenset[str] = STOP | frozenset("abcdefghijklmnopqrstuvwxyz0123456789_*")


def evidence_batch(
    W1: NDArray[np.float32],
    lab_idx: dict[str, int],
    norms: Sequence[Normalized],
    fired: Sequence[Sequence[str]],
    max_spans: int = 3,
    cache: dict[tuple[str, str], list[float]] | None = None,
    scanned: Sequence[Sequence[tuple[str, str]]] | None = None,
) -> list[list[Evidence]]:
    """Per document, spans of its original text for every fired label.

    A word's contribution to each label's logit depends only on the word and its scope, so it is computed once
    (for every label, in one gather of the weights for all new words of the batch) and kept in ``cache`` (the
    model's; keyed by (word, scope)); per-document numpy calls dominated the fast path. ``scanned`` are the
    documents' ``features.scan`` words when the caller has them (the runtime does): only the word positions are
    then looked up again.
    """
    out: list[list[Evidence]] = [[] for _ in norms]
    # per document: its shown words as ((word, scope), (start, end) in the normalised text)
    docs: list[tuple[int, list[tuple[tuple[str, str], tuple[int, int]]]]] = []
    cache = {} if cache is None else cache
    local: dict[tuple[str, str], list[float] | None] = {}  # this batch's words (the cache may be cleared)
    hidden = _HIDDEN
    for i, labs in enumerate(fired):
        if not labs:
            continue
        if scanned is None:
            words = [((t[0], t[3]), (t[1], t[2])) for t in F.word_spans(norms[i].text) if t[0] not in hidden]
        else:  # the same tokens as word_spans: scan's words, cut where word_spans stops, with their positions
            positions = F.word_positions(norms[i].text)
            words = [(w, ps) for w, ps in zip(scanned[i], positions, strict=False) if w[0] not in hidden]
        if not words:
            continue
        docs.append((i, words))
        for w, _ in words:
            if w not in local:
                local[w] = cache.get(w)
    if not docs:
        return out
    missing = [key for key, v in local.items() if v is None]
    if missing:
        new = _contributions(W1, missing)
        local.update(new)
        if len(cache) + len(new) > _CONTRIB_MAX:
            cache.clear()
        cache.update(new)
    got: dict[tuple[str, str], list[float]] = local  # type: ignore[assignment]  # no None left
    for i, words in docs:
        norm = norms[i]
        rows = [got[w] for w, _ in words]
        for label in fired[i]:
            k = lab_idx[label]
            c = [r[k] for r in rows]
            top = sorted(range(len(c)), key=c.__getitem__, reverse=True)[
                :max_spans
            ]  # stable: ties keep order
            best = c[top[0]] if top else 0.0
            keep = {j for j in top if c[j] > 0 and c[j] >= REL_MIN * best}
            if not keep:
                continue
            spans: list[tuple[int, int]] = []
            for j, (_, (t_start, t_end)) in enumerate(words):  # merge adjacent selected tokens
                if j not in keep:
                    continue
                if spans and t_start - spans[-1][1] <= 1:
                    spans[-1] = (spans[-1][0], t_end)
                else:
                    spans.append((t_start, t_end))
            for st, en in spans:
                os_, oe = norm.to_original(st, en)
                out[i].append(Evidence(label, os_, oe, norm.original[os_:oe]))
    return out


_CONTRIB_MAX = 200_000


def _contributions(
    W1: NDArray[np.float32], keys: list[tuple[str, str]]
) -> dict[tuple[str, str], list[float]]:
    """Contribution of each (word, scope) in ``keys`` to every label's logit: sum of weight x feature value."""
    start, size, tidx, tval = B.table_arrays(keys)
    cum = np.zeros(size.size + 1, dtype=np.int64)
    np.cumsum(size, out=cum[1:])
    src = np.repeat(start - cum[:-1], size) + np.arange(int(cum[-1]), dtype=np.int64)
    rows: list[list[float]] = np.add.reduceat(W1[tidx[src]] * tval[src][:, None], cum[:-1], axis=0).tolist()
    return dict(zip(keys, rows, strict=True))
