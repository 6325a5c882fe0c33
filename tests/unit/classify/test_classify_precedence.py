"""Violence against a protected group is hate first (`classify.precedence`); a threat to a person or a place stays."""

from __future__ import annotations

import numpy as np

from townsquare.classify import classify
from townsquare.classify.precedence import MARGIN, hate_first

LABELS = ("hate_speech", "violent_threat", "profanity")
THR = np.array([0.5, 0.5, 0.5], dtype=np.float32)
GROUPS = frozenset({"jews", "gays", "mosque"})


def run(row: list[float], words: list[str]) -> list[float]:
    P = np.array([row], dtype=np.float32)
    out = hate_first(P, [[(w, "w") for w in words]], labels=LABELS, thresholds=THR, group_words=GROUPS)
    return [round(float(x), 4) for x in out[0]]


def test_both_fire_and_people_are_named_hate_goes_first() -> None:
    hate, threat, _ = run([0.7, 0.95, 0.1], ["kill", "all", "the", "gays"])
    assert hate > threat and abs(hate - (threat + MARGIN)) < 1e-3


def test_a_place_is_not_people_the_threat_stays_first() -> None:
    assert run([0.7, 0.95, 0.1], ["burn", "the", "mosque"]) == [0.7, 0.95, 0.1]


def test_one_label_alone_or_no_group_changes_nothing() -> None:
    assert run([0.3, 0.95, 0.1], ["kill", "the", "gays"]) == [0.3, 0.95, 0.1]  # hate does not fire
    assert run([0.7, 0.2, 0.1], ["the", "gays"]) == [0.7, 0.2, 0.1]  # no threat
    assert run([0.7, 0.95, 0.1], ["i", "will", "stab", "you"]) == [0.7, 0.95, 0.1]  # no group named
    assert run([0.99, 0.9, 0.1], ["kill", "the", "jews"]) == [0.99, 0.9, 0.1]  # hate already first


def test_the_shipped_model_never_ranks_a_threat_above_hate_when_both_fire_on_a_group() -> None:
    texts = [
        "we should hunt down every gay man in this town and beat them bloody",
        "il faut aller casser du juif ce soir, tous avec moi",
        "I will burn down the mosque on friday, be warned",
        "je vais te planter un couteau dans le ventre",
    ]
    for a in classify(texts):
        if {"hate_speech", "violent_threat"} <= set(a.labels) and "mosque" not in a.normalized:
            assert a.scores["hate_speech"] > a.scores["violent_threat"], a
