"""Invitations and plans at places of worship, schools, bars and concerts are not threats.

The v2 threat data taught "a place + a time" next to violence (bombs at concerts, fire at the synagogue); without
contrasts, the first v2 build labelled "On se retrouve à la synagogue pour la fête samedi" a floor-tier threat and
"Concert de jazz ce soir au parc !" a high one — an automated reach limit on a community's ordinary posts. These
sentences were written for this test (none is a training example: checked below); the real threats beside them
must still be caught, so the fix cannot be "never say threat near a place".
"""

from __future__ import annotations

import re

import pytest

from townsquare.classify import classify, taxonomy
from townsquare.classify.normalize import normalize

BENIGN = [
    ("Concert de jazz ce soir au parc !", "fr"),
    ("On se retrouve à la synagogue pour la fête samedi", "fr"),
    ("Soirée au bar ce week-end avec les copains", "fr"),
    ("Festival de musique ce soir, préparez-vous à danser !", "fr"),
    ("Iftar at the mosque this Friday, everyone welcome", "en"),
    ("See you all at the stadium tonight, big match!", "en"),
    ("School fair this weekend, bring the kids", "en"),
    ("Jazz concert in the park tonight!", "en"),
]
THREATS = [
    ("On va brûler la mosquée ce week-end, préparez-vous.", "fr"),
    ("There will be a shooting at the school fair on Friday, stay away", "en"),
]


def _key(text: str) -> str:
    return re.sub(r"[^\w]+", " ", normalize(text).text).strip()


def test_these_sentences_are_not_training_examples() -> None:
    from townsquare.classify.training import generate

    train = {_key(e.text) for e in generate()}
    for text, _ in [*BENIGN, *THREATS]:
        assert _key(text) not in train, text


@pytest.mark.parametrize(("text", "lang"), BENIGN)
def test_plans_at_places_are_not_threats(text: str, lang: str) -> None:
    (a,) = classify([text], langs=[lang])
    assert "violent_threat" not in a.labels, a.scores
    assert taxonomy.tier_rank(a.tiers["violent_threat"]) < taxonomy.tier_rank("high"), a.tiers


@pytest.mark.parametrize(("text", "lang"), THREATS)
def test_threats_at_places_are_still_threats(text: str, lang: str) -> None:
    (a,) = classify([text], langs=[lang])
    assert "violent_threat" in a.labels, a.scores
