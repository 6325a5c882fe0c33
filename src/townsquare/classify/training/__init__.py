"""The project's own written training examples (French and English), generated compositionally.

Each template of ``data/templates_{en,fr}.yaml`` (and ``data/<topic>_{en,fr}.yaml``) is a phrasing of one phenomenon; it is filled with a few
sampled targets (who is targeted x what is said) and framed in a few ways (prefixes, suffixes, casing, spelling
evasions). Diversity of phrasings matters more than the number of fillers, so each template gets only a handful
of fillers. Everything is seeded: the same seed gives the same examples.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

from townsquare.classify.training import compose, lexicon, loader

_SLOT_RE = re.compile(r"\{([A-Za-z])\}")


@dataclass(frozen=True)
class Example:
    text: str
    lang: str
    labels: frozenset[str]
    phenomenon: str
    source: str = "written"


_PREFIX = {
    "en": [
        "",
        "",
        "",
        "",
        "@user ",
        "honestly ",
        "tbh ",
        "lol ",
        "RT @news: ",
        "ok so ",
        "I mean, ",
        "yeah ",
        "seriously, ",
    ],
    "fr": [
        "",
        "",
        "",
        "",
        "@user ",
        "franchement ",
        "sérieux ",
        "mdr ",
        "RT @info: ",
        "bon ",
        "perso ",
        "ouais ",
        "wesh ",
    ],
}
_SUFFIX = {
    "en": ["", "", "", "", " lol", " #truth", " 😂", "!!", "...", " tbh", " 🤷", " period.", " smh", " 👏"],
    "fr": [
        "",
        "",
        "",
        "",
        " mdr",
        " #vérité",
        " 😂",
        " !!",
        "...",
        " voilà",
        " 🤷",
        " point.",
        " sérieux",
        " 👏",
    ],
}
_LEET = {"a": "4", "e": "3", "i": "1", "o": "0", "s": "$", "t": "7"}


def _evade(text: str, rng: random.Random) -> str:
    """Apply one spelling evasion to one word of the text."""
    words = text.split(" ")
    idx = [i for i, w in enumerate(words) if len(w) >= 4 and w.isalpha()]
    if not idx:
        return text
    i = rng.choice(idx)
    w = words[i]
    kind = rng.randrange(7)
    if kind == 0:
        w = "".join(_LEET.get(c, c) if rng.random() < 0.6 else c for c in w)
    elif kind == 1:
        w = " ".join(w)
    elif kind == 2:
        j = rng.randrange(1, len(w) - 1)
        w = w[:j] + w[j] * rng.randint(3, 6) + w[j + 1 :]
    elif kind == 3:
        j = rng.randrange(1, len(w) - 1)
        w = w[:j] + w[j + 1 :]
    elif kind == 4:
        j = rng.randrange(1, len(w) - 1)
        w = w[:j] + "*" + w[j + 1 :]
    elif kind == 5:
        w = "\u200b".join(w)
    else:
        w = ".".join(w)
    words[i] = w
    return " ".join(words)


def _frame(text: str, lang: str, rng: random.Random) -> str:
    t = rng.choice(_PREFIX[lang]) + text + rng.choice(_SUFFIX[lang])
    r = rng.random()
    if r < 0.1:
        t = t.upper()
    elif r < 0.35:
        t = t.lower()
    if rng.random() < 0.15:
        t = _evade(t, rng)
    return t


def _fillers(lang: str) -> dict[str, list[str]]:
    en = lang == "en"
    groups = lexicon.GROUPS_EN if en else lexicon.GROUPS_FR
    slurs = lexicon.SLURS_EN if en else lexicon.SLURS_FR
    return {
        "G": [g for g, _ in groups],
        "g": [m for _, m in groups],
        "N": list(lexicon.NONPROT_EN if en else lexicon.NONPROT_FR),
        "P": list(lexicon.PERSONS_EN if en else lexicon.PERSONS_FR),
        "O": list(lexicon.OBJECTS_EN if en else lexicon.OBJECTS_FR),
        "I": list(lexicon.DEHUM_EN if en else lexicon.DEHUM_FR),
        "A": list(lexicon.ADJ_EN if en else lexicon.ADJ_FR),
        "E": list(lexicon.POS_EN if en else lexicon.POS_FR),
        "S": [s for s, _ in slurs],
        "T": compose.targets_en() if en else compose.targets_fr(),
        "s": list(lexicon.SLURS_EN_SG if en else lexicon.SLURS_FR_SG),
        "X": list(lexicon.PLACES_EN if en else lexicon.PLACES_FR),
    }


def _fill(template: str, fill: dict[str, list[str]], rng: random.Random) -> str:
    gi = rng.randrange(len(fill["G"]))
    composed = rng.random() < 0.35
    chosen: dict[str, str] = {}

    def sub(m: re.Match[str]) -> str:
        k = m.group(1)
        if k == "G" and composed:
            return rng.choice(fill["T"])
        if k in ("G", "g"):
            return fill[k][gi]
        if k not in chosen:
            chosen[k] = rng.choice(fill[k])
        return chosen[k]

    return _SLOT_RE.sub(sub, template)


def generate(
    seed: int = 13, per_template: int = 8, files: dict[str, tuple[str, ...]] | None = None
) -> list[Example]:
    """All written examples, both languages (``files``: only these template files per language, for tests)."""
    out: list[Example] = []
    seen: set[str] = set()
    for lang in loader.LANGS:
        entries = loader.entries(lang, files[lang] if files is not None else None)
        fill = _fillers(lang)
        for phenomenon, labels, templates in entries:
            for template in templates:
                # one generator per template: adding a template never changes the others' examples
                rng = random.Random(f"{seed}:{lang}:{phenomenon}:{template}")
                slotted = bool(_SLOT_RE.search(template))
                n = per_template if slotted else max(3, per_template // 2)
                for _ in range(n):
                    base = _fill(template, fill, rng) if slotted else template
                    text = _frame(base, lang, rng)
                    if text in seen:
                        continue
                    seen.add(text)
                    out.append(Example(text, lang, frozenset(labels), phenomenon))
    out.extend(_composed(random.Random(f"{seed}:composed"), seen))
    return out


def _composed(rng: random.Random, seen: set[str]) -> list[Example]:
    """Hateful claims under hateful, counter-speech and negated framings (see compose.py)."""
    out: list[Example] = []
    for lang in ("en", "fr"):
        en = lang == "en"
        fill = _fillers(lang)
        composed_targets = compose.targets_en() if en else compose.targets_fr()
        preds = compose.PRED_EN if en else compose.PRED_FR
        frames = (
            (compose.HATE_FRAMES_EN if en else compose.HATE_FRAMES_FR, ("hate_speech",), "C", "compose_hate"),
            (compose.COUNTER_FRAMES_EN if en else compose.COUNTER_FRAMES_FR, (), "C", "compose_counter"),
            (compose.NEG_FRAMES_EN if en else compose.NEG_FRAMES_FR, (), "N", "compose_negated"),
        )
        for frame_list, labels, slot, phenomenon in frames:
            for frame in frame_list:
                for asserted, negated in preds * 2:
                    if rng.random() < 0.3:
                        continue
                    target = rng.choice(composed_targets) if rng.random() < 0.5 else rng.choice(fill["G"])
                    pred = asserted if slot == "C" else negated
                    pred = pred.replace("{I}", rng.choice(fill["I"])).replace("{A}", rng.choice(fill["A"]))
                    text = frame.replace("{G}", target).replace("{C}", pred).replace("{N}", pred)
                    if frame[0] == "{" and en:
                        text = text[0].upper() + text[1:]
                    text = _frame(text, lang, rng)
                    if text in seen:
                        continue
                    seen.add(text)
                    out.append(Example(text, lang, frozenset(labels), phenomenon))
    return out
