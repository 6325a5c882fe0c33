"""Compositional examples: the same hateful claim (target x predicate) under hateful and non-hateful framings.

A claim such as "{G} are vermin" appears asserted (hateful), negated, quoted or reported in order to condemn it
(not hateful). Seeing the same words under opposite framings is what teaches the model scope and stance instead
of keywords. Predicates come in pairs: (asserted form, negated form). The phrasings live in ``data/compose.yaml``.
"""

from __future__ import annotations

from typing import Any

from townsquare.classify.training.loader import compose_data

_C: dict[str, tuple[Any, ...]] = compose_data()

PRED_EN: tuple[tuple[str, str], ...] = _C["pred_en"]
PRED_FR: tuple[tuple[str, str], ...] = _C["pred_fr"]
HATE_FRAMES_EN: tuple[str, ...] = _C["hate_frames_en"]
COUNTER_FRAMES_EN: tuple[str, ...] = _C["counter_frames_en"]
NEG_FRAMES_EN: tuple[str, ...] = _C["neg_frames_en"]
HATE_FRAMES_FR: tuple[str, ...] = _C["hate_frames_fr"]
COUNTER_FRAMES_FR: tuple[str, ...] = _C["counter_frames_fr"]
NEG_FRAMES_FR: tuple[str, ...] = _C["neg_frames_fr"]
IDENT_EN: tuple[str, ...] = _C["ident_en"]
NOUNS_EN: tuple[str, ...] = _C["nouns_en"]
IDENT_FR: tuple[tuple[str, str], ...] = _C["ident_fr"]
NOUNS_FR: tuple[tuple[str, str], ...] = _C["nouns_fr"]


def targets_en() -> list[str]:
    return [f"{a} {n}" for a in IDENT_EN for n in NOUNS_EN]


def targets_fr() -> list[str]:
    return [f"{n} {m if g == 'm' else f}" for m, f in IDENT_FR for n, g in NOUNS_FR]
