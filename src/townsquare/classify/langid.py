"""Offline language identification: "fr", "en" or "other".

A deliberately small detector: function-word and character cues for French and English, and a handful of
function words of neighbouring languages so that Spanish, German, Italian or Portuguese posts become "other".
Non-Latin scripts make a text "other". Short texts without any cue default to English (the classifier treats
both languages with one model, so a wrong guess between fr and en costs little).
"""

from __future__ import annotations

import re

_WORD_RE = re.compile(r"[a-zà-ÿœæ']+")

_FR = frozenset(
    "le la les un une des du de et est sont pas ne je tu il elle nous vous ils elles on ce cette ces qui que quoi "
    "dans sur pour avec sans mais ou donc car au aux mon ton son ma ta sa mes tes ses leur leurs notre votre "
    "c'est j'ai n'est qu'il d'un d'une l'on y a été être avoir fait faire tout tous toutes très plus moins bien "
    "aussi comme quand oui non rien jamais toujours ça cela ici là alors encore après avant chez entre trop "
    "vraiment juste peut faut doit veux veut suis es sommes êtes ont avez avons ai as va vont vais "
    "moi toi lui eux mdr ptdr wesh bah ben putain merde connard salope gens gars".split()
)
_EN = frozenset(
    "the a an and is are was were be been not no i you he she we they it this that these those who what which "
    "in on for with without but or so to of at by from my your his her our their its me him them us do does "
    "did don't doesn't can't won't isn't aren't i'm you're it's that's there here have has had will would "
    "should could just very all any some more most get got like know think people lol lmao omg really because "
    "about if then than when where why how fuck shit".split()
)
_OTHER = frozenset(
    "el los las una por para con pero muy como está qué también der die das und ist nicht ich sie wir ein eine "
    "mit auf für gli della sono questo che per com não uma você isso".split()
)
_FR_CHARS = frozenset("éèêàçùâîôûëïœ")


def detect(text: str) -> str:
    """Best guess among "fr", "en", "other"."""
    sample = text[:2000]
    letters = [c for c in sample if c.isalpha()]
    if not letters:
        return "other" if sample.strip() else "en"
    latin = sum(1 for c in letters if c < "ɐ")
    if latin < 0.6 * len(letters):
        return "other"
    low = sample.lower()
    words = _WORD_RE.findall(low)
    fr = sum(1 for w in words if w in _FR)
    en = sum(1 for w in words if w in _EN)
    ot = sum(1 for w in words if w in _OTHER)
    fr += 0.5 * sum(1 for c in low if c in _FR_CHARS)
    fr += sum(0.5 for w in words if w.startswith(("l'", "d'", "j'", "qu'", "n'", "c'", "s'", "m'", "t'")))
    if ot > max(fr, en) and ot >= 2:
        return "other"
    if fr > en:
        return "fr"
    return "en"
