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


def evidence_batch(
    W1: NDArray[np.float32],
    lab_idx: dict[str, int],
    norms: Sequence[Normalized],
    fired: Sequence[Sequence[str]],
    max_spans: int = 3,
) -> list[list[Evidence]]:
    """Per document, spans of its original text for every fired label.

    One gather of the weights for the whole batch: per-document numpy calls dominated the fast path.
    """
    out: list[list[Evidence]] = [[] for _ in norms]
    docs: list[tuple[int, list[tuple[str, int, int, str]]]] = []
    union: dict[str, int] = {}
    for i, labs in enumerate(fired):
        if not labs:
            continue
        words = [t for t in F.word_spans(norms[i].text) if t[0] not in STOP and len(t[0]) > 1]
        if not words:
            continue
        docs.append((i, words))
        for lab in labs:
            union.setdefault(lab, len(union))
    if not docs:
        return out
    arrays = [F._token_arrays((tok[0], tok[3])) for _, words in docs for tok in words]
    sizes = np.fromiter((a[0].size for a in arrays), dtype=np.int64, count=len(arrays))
    starts = np.concatenate(([0], np.cumsum(sizes)[:-1]))
    all_idx = np.concatenate([a[0] for a in arrays])
    all_val = np.concatenate([a[1] for a in arrays])
    cols = [lab_idx[lab] for lab in union]
    contrib = np.add.reduceat(W1[all_idx][:, cols] * all_val[:, None], starts, axis=0).tolist()
    pos = 0
    for i, words in docs:
        norm = norms[i]
        rows = contrib[pos : pos + len(words)]
        pos += len(words)
        for label in fired[i]:
            k = union[label]
            c = [r[k] for r in rows]
            top = sorted(range(len(c)), key=lambda j: -c[j])[:max_spans]
            best = c[top[0]] if top else 0.0
            keep = {j for j in top if c[j] > 0 and c[j] >= REL_MIN * best}
            if not keep:
                continue
            spans: list[tuple[int, int]] = []
            for j, (_, t_start, t_end, _) in enumerate(words):  # merge adjacent selected tokens
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
