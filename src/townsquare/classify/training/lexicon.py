"""Slot fillers for the project's written training examples (French and English), read from ``data/lexicon.yaml``.

Slots: {G} protected group (plural), {g} member of it (as in "as a ..."), {N} non-protected group (plural),
{P} an individual, {O} an object or situation, {I} a dehumanising noun, {A} a derogatory adjective,
{S} a slur (with its group), {E} a positive adjective.
"""

from __future__ import annotations

from typing import Any

from townsquare.classify.training.loader import lexicon as _lexicon

_L: dict[str, tuple[Any, ...]] = _lexicon()

GROUPS_EN: tuple[tuple[str, str], ...] = _L["groups_en"]
GROUPS_FR: tuple[tuple[str, str], ...] = _L["groups_fr"]
NONPROT_EN: tuple[str, ...] = _L["nonprot_en"]
NONPROT_FR: tuple[str, ...] = _L["nonprot_fr"]
PERSONS_EN: tuple[str, ...] = _L["persons_en"]
PERSONS_FR: tuple[str, ...] = _L["persons_fr"]
OBJECTS_EN: tuple[str, ...] = _L["objects_en"]
OBJECTS_FR: tuple[str, ...] = _L["objects_fr"]
DEHUM_EN: tuple[str, ...] = _L["dehum_en"]
DEHUM_FR: tuple[str, ...] = _L["dehum_fr"]
ADJ_EN: tuple[str, ...] = _L["adj_en"]
ADJ_FR: tuple[str, ...] = _L["adj_fr"]
POS_EN: tuple[str, ...] = _L["pos_en"]
POS_FR: tuple[str, ...] = _L["pos_fr"]
SLURS_EN: tuple[tuple[str, str], ...] = _L["slurs_en"]
SLURS_FR: tuple[tuple[str, str], ...] = _L["slurs_fr"]
SLURS_EN_SG: tuple[str, ...] = _L["slurs_en_sg"]
SLURS_FR_SG: tuple[str, ...] = _L["slurs_fr_sg"]
PLACES_EN: tuple[str, ...] = _L["places_en"]  # {X}: a non-protected place or event (wave 2)
PLACES_FR: tuple[str, ...] = _L["places_fr"]
