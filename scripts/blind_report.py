"""Blind functional suite of the classifier: load, validate, run once, and report (Markdown or JSON).

The suite (``tests/blind/cases_<lang>.jsonl``, see ``tests/blind/SPEC.md``) was written without sight of the
training data and frozen before training, so its figures measure the world rather than the templates. This
script lives outside the package on purpose: nothing in ``townsquare`` may read the blind cases (they must never
leak into training or tuning). ``tests/blind/test_blind_suite.py`` imports it to validate and record the tables.

    .venv/bin/python scripts/blind_report.py            # Markdown tables, both languages
    .venv/bin/python scripts/blind_report.py --json     # the same figures as JSON
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

BLIND_DIR = Path(__file__).resolve().parents[1] / "tests" / "blind"
LANGS = ("en", "fr")
OUTCOMES = ("hate", "threat", "self_harm", "harassment", "none")
GROUPS = (
    "women",
    "muslims",
    "jews",
    "black_people",
    "immigrants",
    "gay_lesbian",
    "trans",
    "disabled",
    "roma",
    "arabs",
    "asians",
)
MIN_PER_PHENOMENON = 25
MIN_PER_GROUP = 40
MIN_GROUPS_PER_HATEFUL = 5

_HATEFUL = [
    "derog_explicit",
    "derog_dehumanise",
    "derog_implicit",
    "derog_question",
    "derog_negated_positive",
    "derog_pronoun_ref",
    "hate_i_hate",
    "threat_group",
    "call_violence",
    "call_exclusion",
    "slur_direct",
    "slur_obfuscated",
    "spell_space",
    "spell_drop",
    "spell_leet",
    "conspiracy_hate",
    "profane_hate",
    "hate_emoji",
]
_NONE = [
    "identity_neutral",
    "identity_positive",
    "counter_quote",
    "counter_reference",
    "negated_hate",
    "profanity_untargeted",
    "profanity_positive",
    "news_hate_crime",
    "news_conflict",
    "social_debate",
    "reclaimed",
    "slur_homonym",
    "nonliteral_violence",
    "fiction_history",
    "self_harm_nonliteral",
    "self_harm_support",
]
THREAT_PHENOMENA = ("threat_direct", "threat_place", "threat_conditional", "threat_doxx")
SELF_HARM_PHENOMENA = ("self_harm_ideation", "self_harm_intent")
# phenomenon -> expected outcome; None: chosen per case (nonprotected_group is "none" or "harassment")
PHENOMENA: dict[str, str | None] = {
    **{p: "hate" for p in _HATEFUL},
    **{p: "none" for p in _NONE},
    **{p: "threat" for p in THREAT_PHENOMENA},
    **{p: "self_harm" for p in SELF_HARM_PHENOMENA},
    "harass_individual": "harassment",
    "nonprotected_target": "harassment",
    "nonprotected_group": None,
}
_ID = re.compile(r"^(en|fr)-([a-z_]+)-(\d{3,})$")

# Label -> outcome for the labels the shipped taxonomy has; other labels are matched by name (_NAME_HINTS), so a
# new label such as ``suicide_risk`` or ``identity_attack`` counts without touching the suite.
_KNOWN = {
    "hate_speech": "hate",
    "violent_threat": "threat",
    "self_harm": "self_harm",
    "harassment": "harassment",
}
_NAME_HINTS = (
    ("self_harm", "self_harm"),
    ("selfharm", "self_harm"),
    ("suicid", "self_harm"),
    ("threat", "threat"),
    ("hate", "hate"),
    ("slur", "hate"),
    ("dehuman", "hate"),
    ("identity_attack", "hate"),
    ("harass", "harassment"),
    ("insult", "harassment"),
    ("bully", "harassment"),
)
_SEVERITY = ("self_harm", "threat", "hate", "harassment")  # tie-break only
_TIER_RANK = {"none": 0, "low": 1, "medium": 2, "high": 3, "floor": 4}


def outcome_of_label(label: str) -> str | None:
    """The outcome a label stands for, or None for labels that are not one (profanity, topics, spam...)."""
    if label in _KNOWN:
        return _KNOWN[label]
    low = label.lower()
    for hint, outcome in _NAME_HINTS:
        if hint in low:
            return outcome
    return None


def verdict(assessment: Any) -> str:
    """One outcome (hate / threat / self_harm / harassment / none) from a classifier ``Assessment``.

    A label counts when the model lists it in ``labels`` (its policy threshold was reached) at tier >= low.
    When several outcomes fire (a threat against a mosque often fires hate and threat together), the one whose
    label scores highest wins: a fixed precedence would make either ``threat_group`` (E=hate) or ``threat_place``
    (E=threat) unwinnable by construction. Reads attributes leniently so that a future Assessment still works.
    """
    labels: Iterable[str] = getattr(assessment, "labels", None) or ()
    tiers: Mapping[str, str] = getattr(assessment, "tiers", None) or {}
    scores: Mapping[str, float] = getattr(assessment, "scores", None) or {}
    best: dict[str, float] = {}
    for label in labels:
        outcome = outcome_of_label(label)
        if outcome is None or _TIER_RANK.get(tiers.get(label, "low"), 1) < 1:
            continue
        best[outcome] = max(best.get(outcome, 0.0), float(scores.get(label, 1.0)))
    if not best:
        return "none"
    return max(best, key=lambda o: (best[o], -_SEVERITY.index(o)))


@dataclass(frozen=True)
class Case:
    id: str
    lang: str
    phenomenon: str
    group: str | None
    text: str
    expected: str
    hateful: bool


@dataclass(frozen=True)
class Result:
    case: Case
    verdict: str

    @property
    def correct(self) -> bool:
        return self.verdict == self.case.expected

    @property
    def binary_correct(self) -> bool:
        """Hate vs not hate, the yardstick's own measure."""
        return (self.verdict == "hate") == self.case.hateful


def cases_path(lang: str, directory: Path = BLIND_DIR) -> Path:
    return directory / f"cases_{lang}.jsonl"


def load_cases(path: Path) -> list[Case]:
    """Cases of one file. Raises ValueError naming the line on malformed JSON or missing fields."""
    out: list[Case] = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            raw = json.loads(line)
            out.append(
                Case(
                    id=str(raw["id"]),
                    lang=str(raw["lang"]),
                    phenomenon=str(raw["phenomenon"]),
                    group=None if raw["group"] is None else str(raw["group"]),
                    text=str(raw["text"]),
                    expected=str(raw["expected"]),
                    hateful=bool(raw["hateful"]),
                )
            )
        except (ValueError, KeyError, TypeError) as exc:
            raise ValueError(f"{path.name}:{n}: {exc!r}") from exc
    return out


def validate(cases: Sequence[Case], lang: str) -> list[str]:
    """Every way the cases of one language break the spec (empty list: valid)."""
    problems: list[str] = []
    ids = Counter(c.id for c in cases)
    problems += [f"duplicate id {i}" for i, k in ids.items() if k > 1]
    for c in cases:
        m = _ID.match(c.id)
        if not m or m.group(1) != lang or m.group(2) != c.phenomenon:
            problems.append(f"{c.id}: id is not {lang}-<phenomenon>-NNN")
        if c.lang != lang:
            problems.append(f"{c.id}: lang {c.lang!r} in the {lang} file")
        if c.phenomenon not in PHENOMENA:
            problems.append(f"{c.id}: unknown phenomenon {c.phenomenon!r}")
            continue
        want = PHENOMENA[c.phenomenon]
        allowed = {want} if want is not None else {"none", "harassment"}
        if c.expected not in allowed:
            problems.append(f"{c.id}: expected {c.expected!r}, the spec says {sorted(allowed)}")
        if c.hateful != (c.expected == "hate"):
            problems.append(f"{c.id}: hateful must be true exactly when expected == 'hate'")
        if c.group is not None and c.group not in GROUPS:
            problems.append(f"{c.id}: unknown group {c.group!r}")
        if not c.text.strip():
            problems.append(f"{c.id}: empty text")
    per = Counter(c.phenomenon for c in cases)
    problems += [
        f"{p}: {per[p]} cases < {MIN_PER_PHENOMENON}" for p in PHENOMENA if per[p] < MIN_PER_PHENOMENON
    ]
    groups = Counter(c.group for c in cases if c.group is not None)
    problems += [
        f"group {g}: {groups[g]} cases < {MIN_PER_GROUP}" for g in GROUPS if groups[g] < MIN_PER_GROUP
    ]
    for p in _HATEFUL:
        n = len({c.group for c in cases if c.phenomenon == p and c.group is not None})
        if n < MIN_GROUPS_PER_HATEFUL:
            problems.append(f"{p}: {n} groups < {MIN_GROUPS_PER_HATEFUL}")
    return problems


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def run(
    cases: Sequence[Case],
    classify_fn: Callable[..., Sequence[Any]] | None = None,
    *,
    lang_hint: bool = False,
    batch: int = 256,
) -> list[Result]:
    """Classify every case once (batched) and derive its verdict. No language hint by default: most posts
    arrive without one, so detection is part of what is measured."""
    if classify_fn is None:
        from townsquare.classify import classify

        classify_fn = classify
    out: list[Result] = []
    for start in range(0, len(cases), batch):
        chunk = cases[start : start + batch]
        langs = [c.lang for c in chunk] if lang_hint else None
        assessed = classify_fn([c.text for c in chunk], langs)
        out.extend(Result(c, verdict(a)) for c, a in zip(chunk, assessed, strict=True))
    return out


def _rate(results: Iterable[Result], ok: Callable[[Result], bool]) -> tuple[float, int]:
    rs = list(results)
    return (sum(ok(r) for r in rs) / len(rs) if rs else float("nan")), len(rs)


def summarise(results: Sequence[Result]) -> dict[str, Any]:
    """All the figures, per language, as plain data (the JSON output; the Markdown is rendered from it)."""
    out: dict[str, Any] = {}
    for lang in sorted({r.case.lang for r in results}):
        rs = [r for r in results if r.case.lang == lang]
        hateful = [r for r in rs if r.case.hateful]
        other = [r for r in rs if not r.case.hateful]
        by_phen: dict[str, list[Result]] = defaultdict(list)
        for r in rs:
            by_phen[r.case.phenomenon].append(r)
        groups: dict[str, Any] = {}
        for g in GROUPS:
            h = [r for r in hateful if r.case.group == g]
            o = [r for r in other if r.case.group == g]
            groups[g] = {
                "hateful_recall": _rate(h, lambda r: r.verdict == "hate")[0],
                "n_hateful": len(h),
                "non_hateful_accuracy": _rate(o, lambda r: r.verdict != "hate")[0],
                "n_non_hateful": len(o),
            }
        recalls = [v["hateful_recall"] for v in groups.values() if v["n_hateful"]]
        nonh = [v["non_hateful_accuracy"] for v in groups.values() if v["n_non_hateful"]]
        confusion = {e: dict.fromkeys(OUTCOMES, 0) for e in OUTCOMES}
        for r in rs:
            confusion[r.case.expected][r.verdict] += 1
        out[lang] = {
            "n": len(rs),
            "accuracy": _rate(rs, lambda r: r.correct)[0],
            "binary_accuracy": _rate(rs, lambda r: r.binary_correct)[0],
            "hateful_recall": _rate(hateful, lambda r: r.verdict == "hate")[0],
            "non_hateful_accuracy": _rate(other, lambda r: r.verdict != "hate")[0],
            "threat_recall": _rate(
                (r for r in rs if r.case.phenomenon in THREAT_PHENOMENA), lambda r: r.verdict == "threat"
            )[0],
            "self_harm_recall": _rate(
                (r for r in rs if r.case.phenomenon in SELF_HARM_PHENOMENA),
                lambda r: r.verdict == "self_harm",
            )[0],
            "phenomena": {
                p: {
                    "expected": PHENOMENA[p] or "none|harassment",
                    "n": len(v),
                    "accuracy": _rate(v, lambda r: r.correct)[0],
                    "binary_accuracy": _rate(v, lambda r: r.binary_correct)[0],
                }
                for p, v in sorted(by_phen.items(), key=lambda kv: list(PHENOMENA).index(kv[0]))
            },
            "groups": groups,
            "group_spread_hateful_recall": (max(recalls) - min(recalls)) if recalls else float("nan"),
            "group_spread_non_hateful_accuracy": (max(nonh) - min(nonh)) if nonh else float("nan"),
            "confusion": confusion,
        }
    return out


def _pct(x: float) -> str:
    return "-" if x != x else f"{100 * x:.1f} %"


def markdown(summary: Mapping[str, Any]) -> list[str]:
    """The report as Markdown lines: headline, per phenomenon, per group, confusion."""
    langs = list(summary)
    lines = [
        "### Blind suite: headline",
        "",
        "| lang | n | accuracy | hate vs not | hateful recall | "
        "non-hateful acc. | threat recall | self-harm recall |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for lang in langs:
        s = summary[lang]
        lines.append(
            f"| {lang} | {s['n']} | {_pct(s['accuracy'])} | {_pct(s['binary_accuracy'])} | "
            f"{_pct(s['hateful_recall'])} | {_pct(s['non_hateful_accuracy'])} | {_pct(s['threat_recall'])} | "
            f"{_pct(s['self_harm_recall'])} |"
        )
    lines += ["", "### Per phenomenon (accuracy = exact outcome; hate vs not = binary)", ""]
    lines.append(
        "| phenomenon | expected | " + " | ".join(f"{lg} acc. | {lg} hate vs not" for lg in langs) + " |"
    )
    lines.append("|---|---|" + "---|---|" * len(langs))
    for p, want in PHENOMENA.items():
        cells = []
        for lang in langs:
            ph = summary[lang]["phenomena"].get(p)
            cells += [_pct(ph["accuracy"]), _pct(ph["binary_accuracy"])] if ph else ["-", "-"]
        lines.append(f"| `{p}` | {want or 'none/harassment'} | " + " | ".join(cells) + " |")
    lines += ["", "### Per target group (hateful recall / non-hateful accuracy)", ""]
    lines.append(
        "| group | " + " | ".join(f"{lg} hateful recall | {lg} non-hateful acc." for lg in langs) + " |"
    )
    lines.append("|---|" + "---|---|" * len(langs))
    for g in GROUPS:
        cells = []
        for lang in langs:
            v = summary[lang]["groups"][g]
            cells += [
                f"{_pct(v['hateful_recall'])} (n={v['n_hateful']})",
                f"{_pct(v['non_hateful_accuracy'])} (n={v['n_non_hateful']})",
            ]
        lines.append(f"| {g} | " + " | ".join(cells) + " |")
    cells = []
    for lang in langs:
        s = summary[lang]
        cells += [
            f"{100 * s['group_spread_hateful_recall']:.1f} pts",
            f"{100 * s['group_spread_non_hateful_accuracy']:.1f} pts",
        ]
    lines.append("| **spread (max-min)** | " + " | ".join(cells) + " |")
    for lang in langs:
        lines += ["", f"### Confusion ({lang}): rows expected, columns verdict", ""]
        lines.append("| expected | " + " | ".join(OUTCOMES) + " |")
        lines.append("|---|" + "---|" * len(OUTCOMES))
        for e in OUTCOMES:
            row = summary[lang]["confusion"][e]
            lines.append(f"| {e} | " + " | ".join(str(row[o]) for o in OUTCOMES) + " |")
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--json", action="store_true", help="print the figures as JSON instead of Markdown")
    ap.add_argument("--lang", choices=LANGS, action="append", help="only this language (repeatable)")
    ap.add_argument("--lang-hint", action="store_true", help="pass each case's language to classify()")
    ap.add_argument("--dir", type=Path, default=BLIND_DIR, help="directory holding cases_<lang>.jsonl")
    args = ap.parse_args(argv)
    cases: list[Case] = []
    for lang in args.lang or LANGS:
        path = cases_path(lang, args.dir)
        if not path.exists():
            print(f"warning: {path} is missing, skipped", file=sys.stderr)
            continue
        loaded = load_cases(path)
        for problem in validate(loaded, lang):
            print(f"warning: {path.name}: {problem}", file=sys.stderr)
        cases += loaded
    if not cases:
        print("no cases found", file=sys.stderr)
        return 2
    summary = summarise(run(cases, lang_hint=args.lang_hint))
    if args.json:
        print(json.dumps(summary, indent=2, sort_keys=False))
    else:
        print("\n".join(markdown(summary)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
