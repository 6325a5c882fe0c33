"""Assessments from calibrated probabilities: tiers, GARM, fired labels and evidence, vectorised over a batch.

Kept apart from the scoring in ``model.py``: this is the part of ``Model.assess`` that turns numbers into the
public ``Assessment`` objects (the per-label tier table of ``taxonomy``, the profanity rule, evidence spans).
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import compress
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from townsquare.classify import evidence as EV
from townsquare.classify import taxonomy
from townsquare.classify.normalize import Normalized
from townsquare.classify.types import Assessment

if TYPE_CHECKING:
    from townsquare.classify.model import FloatArray, Model

# untargeted profanity ("Fuck, I burned the toast") is low tier at most: profanity goes above low only when
# someone is targeted (harassment or hate at least this likely)
PROFANITY_TARGET_MIN = 0.35


def assessments(
    model: Model,
    rows: NDArray[np.int_],
    P_all: FloatArray,
    T_all: FloatArray,
    norms: Sequence[Normalized],
    langs: Sequence[str],
    used: NDArray[np.bool_],
    words: Sequence[list[tuple[str, str]]],
) -> list[Assessment]:
    """Assessments of ``rows``: tiers, GARM and fired labels vectorised over the rows, evidence batched."""
    P = model._hate_first(P_all[rows], [words[i] for i in rows.tolist()])
    labels = model.labels
    tier_idx = tier_matrix(model, P)
    fired_m = model._thr <= P
    rounded = np.round(P.astype(np.float64), 4)
    t_rounded = np.round(T_all[rows].astype(np.float64), 4)
    # topic tiers come from the rounded topic scores (as ``taxonomy.topic_tier`` on ``Assessment.topics``)
    t_tier = (t_rounded >= model._topic_cuts[0]).astype(np.int_) + (t_rounded >= model._topic_cuts[1])
    garm = np.zeros((len(rows), len(taxonomy.GARM_CATEGORIES)), dtype=np.int_)
    for g, (lab_cols, top_cols) in enumerate(model._garm_cols):
        if lab_cols:
            garm[:, g] = tier_idx[:, lab_cols].max(axis=1)
        if top_cols:
            garm[:, g] = np.maximum(garm[:, g], t_tier[:, top_cols].max(axis=1))
    risk = tier_idx.max(axis=1).tolist() if labels else [0] * len(rows)
    fired_lists = [list(compress(labels, r)) for r in fired_m.tolist()]
    sub_norms = [norms[i] for i in rows.tolist()]
    sub_words = [words[i] for i in rows.tolist()]
    evidence = EV.evidence_batch(
        model.W1, model._lab_idx, sub_norms, fired_lists, 3, model._contrib, sub_words
    )
    tn = taxonomy.TIERS
    gcats = taxonomy.GARM_CATEGORIES
    topics = model.topics
    version = model.version
    out: list[Assessment] = []
    for k, (i, sc, tr, tt, tg, fired, ev) in enumerate(
        zip(
            rows.tolist(),
            rounded.tolist(),
            tier_idx.tolist(),
            t_rounded.tolist(),
            garm.tolist(),
            fired_lists,
            evidence,
            strict=True,
        )
    ):
        out.append(
            Assessment(
                lang=langs[i],
                labels=fired,
                risk=tn[risk[k]],
                scores=dict(zip(labels, sc, strict=True)),
                tiers=dict(zip(labels, map(tn.__getitem__, tr), strict=True)),
                garm={gcats[g]: tn[v] for g, v in enumerate(tg) if v},
                topics=dict(zip(topics, tt, strict=True)),
                evidence=ev,
                model=version,
                normalized=sub_norms[k].text,
                stage=2 if used[i] else 1,
            )
        )
    return out


def tier_matrix(model: Model, P: FloatArray) -> NDArray[np.int_]:
    """Tier index (0 none .. 4 floor) per text and label, vectorised ``taxonomy.tier_for``."""
    out = np.zeros(P.shape, dtype=np.int_)
    for j, lab in enumerate(model.labels):
        sp = taxonomy.SPECS[lab]
        low, med, high = sp.cuts
        col = P[:, j]
        t = (col >= low).astype(np.int_) + (col >= med) + (col >= high)
        t = np.minimum(t, taxonomy.tier_rank(min("high", sp.top, key=taxonomy.tier_rank)))
        if sp.floor_cut is not None:
            t = np.where(col >= sp.floor_cut, 4, t)
        out[:, j] = t
    if "profanity" in model._lab_idx:
        targeted = np.zeros(P.shape[0], dtype=bool)
        for lab in ("harassment", "hate_speech"):
            if lab in model._lab_idx:
                targeted |= P[:, model._lab_idx[lab]] >= PROFANITY_TARGET_MIN
        pj = model._lab_idx["profanity"]
        out[:, pj] = np.where(targeted, out[:, pj], np.minimum(out[:, pj], 1))
    return out
