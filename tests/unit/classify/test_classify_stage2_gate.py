"""Which posts stage 2 sees (`Model.unsure`): hate's family only when a group is named; self-harm whenever unsure.

The group gate keeps the slow stage to the posts it was built for (implicit hate names a group); a person's own
distress names none, so an unsure self-harm score goes to stage 2 without it.
"""

from __future__ import annotations

import numpy as np

from townsquare.classify.model import STAGE2_TRIGGER, STAGE2_UNGATED, get_model

SURE_NO, UNSURE = 0.01, 0.5


def routed(label: str, words: list[str]) -> bool:
    m = get_model()
    p = np.full((1, len(m.labels)), SURE_NO, dtype=np.float32)
    p[0, m.labels.index(label)] = UNSURE
    return bool(m.unsure(p, words=[[(w, "w") for w in words]])[0])


def test_hate_unsure_goes_to_stage_2_only_when_a_group_is_named() -> None:
    group = next(iter(sorted(get_model().group_words)))
    for label in STAGE2_TRIGGER:
        assert routed(label, ["they", "are", group])
        assert not routed(label, ["they", "are", "loud"])


def test_self_harm_unsure_goes_to_stage_2_group_or_not() -> None:
    assert STAGE2_UNGATED == ("self_harm",)
    assert routed("self_harm", ["i", "will", "not", "be", "here", "tomorrow"])


def test_sure_posts_and_other_labels_stay_on_the_fast_path() -> None:
    m = get_model()
    p = np.full((2, len(m.labels)), SURE_NO, dtype=np.float32)
    p[1, m.labels.index("self_harm")] = 0.95  # sure: stage 2 would not change the outcome
    assert not m.unsure(p, words=[[("hello", "w")], [("bye", "w")]]).any()
    assert not routed("profanity", ["damn"])
