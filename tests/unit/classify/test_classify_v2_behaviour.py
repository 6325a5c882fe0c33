"""Classifier v2 behaviour on the issue's own examples (issue 14, items 3, 4, 5).

These sentences are the issue's hand-tried failures of the wave-1 model; none of them is a training example (a
test below checks it), so they test generalisation, not memory. Single sentences are a smoke test of the
behaviour, not a measure: the measure is the blind suite (tests/blind) and the held-out public splits.
"""

from __future__ import annotations

import re

import pytest

from townsquare.classify import classify, taxonomy
from townsquare.classify.evidence import STOP
from townsquare.classify.normalize import normalize

THREATS = [
    "I am going to stab you in the stomach outside the school.",
    "Je vais te planter un couteau dans le ventre à la sortie du lycée.",
    "On va brûler la mosquée ce week-end, préparez-vous.",
]
DEHUMANISING = "Ces cafards venus d'ailleurs envahissent nos quartiers"
SELF_HARM = "je veux juste disparaître pour toujours"
STADIUM = "these people are such animals… at the stadium"
UNTARGETED = ["Fuck, I burned the toast", "Putain… journée de merde"]
NONLITERAL = ["I'm dying of laughter at this video", "je suis mort de rire devant ce sketch"]


def _key(text: str) -> str:
    return re.sub(r"[^\w]+", " ", normalize(text).text).strip()


def test_issue_examples_are_not_training_examples() -> None:
    from townsquare.classify.training import generate

    train = {_key(e.text) for e in generate()}
    for text in [*THREATS, DEHUMANISING, SELF_HARM, STADIUM, *UNTARGETED, *NONLITERAL]:
        assert _key(text) not in train, text


@pytest.mark.parametrize("text", THREATS)
def test_threats_are_labelled_in_both_languages(text: str) -> None:
    (a,) = classify([text])
    assert "violent_threat" in a.labels, a.scores
    assert a.tiers["violent_threat"] in ("high", "floor")


def test_implicit_dehumanisation_of_a_coded_group_is_hate() -> None:
    (a,) = classify([DEHUMANISING])
    assert "hate_speech" in a.labels, a.scores


def test_self_harm_risk_is_labelled() -> None:
    (a,) = classify([SELF_HARM])
    assert "self_harm" in a.labels, a.scores
    assert "violent_threat" not in a.labels


def test_insulting_people_at_a_match_is_not_hate() -> None:
    (a,) = classify([STADIUM])
    assert taxonomy.tier_rank(a.tiers["hate_speech"]) < taxonomy.tier_rank("high"), a.scores
    assert "hate_speech" not in a.labels


@pytest.mark.parametrize("text", NONLITERAL)
def test_non_literal_violence_is_left_alone(text: str) -> None:
    (a,) = classify([text])
    assert not {"violent_threat", "self_harm", "hate_speech"} & set(a.labels), a.scores


@pytest.mark.parametrize("text", UNTARGETED)
def test_untargeted_profanity_is_low_tier_at_most(text: str) -> None:
    (a,) = classify([text])
    assert taxonomy.tier_rank(a.tiers["profanity"]) <= taxonomy.tier_rank("low"), a.tiers
    assert a.risk in ("none", "low")


def test_targeted_profanity_can_still_be_high() -> None:
    (a,) = classify(["@user you are a fucking idiot and a piece of shit"])
    assert a.tiers["profanity"] in ("medium", "high")


PROFANE = [
    ("Fuck, I burned the toast", {"fuck"}),
    ("Putain… journée de merde", {"putain", "merde"}),
    ("fuck this shit again, going live tomorrow", {"fuck", "shit"}),
    ("putain encore une fois, faut tous les supporter", {"putain"}),
]


def test_profanity_evidence_names_only_the_profane_words() -> None:
    results = classify([t for t, _ in PROFANE])
    shown = 0
    for (text, allowed), a in zip(PROFANE, results, strict=True):
        for e in a.evidence:
            assert text[e.start : e.end] == e.text
            if e.label == "profanity":
                shown += 1
                assert set(_key(e.text).split()) <= allowed, (text, e.text)
    assert shown >= 2, "profanity evidence expected on the clearly profane posts"


@pytest.mark.parametrize("text", [*THREATS, DEHUMANISING, SELF_HARM, STADIUM, *UNTARGETED])
def test_evidence_never_shows_function_words_or_fillers(text: str) -> None:
    (a,) = classify([text])
    for e in a.evidence:
        words = _key(e.text).split()
        assert words and not any(w in STOP for w in words), (e.label, e.text)


def test_threat_evidence_names_the_violent_words() -> None:
    (a,) = classify([THREATS[0]])
    assert any("stab" in e.text for e in a.evidence if e.label == "violent_threat"), a.evidence
    (b,) = classify([THREATS[1]])
    assert any(
        w in _key(e.text) for e in b.evidence if e.label == "violent_threat" for w in ("planter", "couteau")
    )
