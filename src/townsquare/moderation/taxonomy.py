"""Report reasons a reporter may choose, with French and English labels.

The codes are the wire form (``POST /api/v1/reports`` ``reason``). ``illegal`` is the DSA article 16 notice:
the reporter must name the legal ground (the law or provision they believe is broken), which we keep verbatim.
``labels`` maps a reason to the classifier labels it corresponds to, used by routing and similar-case lookup.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Reason:
    code: str
    en: str
    fr: str
    labels: tuple[str, ...] = ()
    needs_legal_ground: bool = False
    needs_text: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "label": {"en": self.en, "fr": self.fr},
            "classifier_labels": list(self.labels),
            "needs_legal_ground": self.needs_legal_ground,
            "needs_text": self.needs_text,
        }


REASONS: tuple[Reason, ...] = (
    Reason("spam", "Spam or scam", "Spam ou arnaque", ("spam_scam",)),
    Reason("hate", "Hate speech", "Discours de haine", ("hate_speech",)),
    Reason("harassment", "Harassment or bullying", "Harcèlement ou intimidation", ("harassment",)),
    Reason(
        "violence",
        "Violence or threat",
        "Violence ou menace",
        ("violent_threat", "violent_extremism", "graphic_violence"),
    ),
    Reason("sexual", "Sexual content", "Contenu sexuel", ("sexual",)),
    Reason("self_harm", "Suicide or self-harm", "Suicide ou automutilation", ("self_harm",)),
    Reason("misinformation", "False information", "Fausse information", ("misinformation",)),
    Reason(
        "illegal",
        "Illegal content (state the legal ground)",
        "Contenu illicite (préciser le fondement légal)",
        needs_legal_ground=True,
    ),
    Reason("other", "Something else (describe it)", "Autre chose (à préciser)", needs_text=True),
)

BY_CODE: dict[str, Reason] = {r.code: r for r in REASONS}

OUTCOME_LABELS: dict[str, dict[str, str]] = {
    "upheld": {
        "en": "We reviewed your report and took action.",
        "fr": "Nous avons examiné votre signalement et pris une mesure.",
    },
    "rejected": {
        "en": "We reviewed your report and found no breach of our rules.",
        "fr": "Nous avons examiné votre signalement et n'avons constaté aucune infraction à nos règles.",
    },
}


def reason_codes() -> list[str]:
    return [r.code for r in REASONS]
