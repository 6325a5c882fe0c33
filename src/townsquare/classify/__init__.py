"""townsquare.classify — the multilingual (French + English) post classifier.

Importing this package is cheap: the model (numpy, scikit-learn, the shipped artefact) loads on the first call
to :func:`classify` and is cached for the life of the process.
"""

from __future__ import annotations

from collections.abc import Sequence

from townsquare.classify.normalize import Normalized, normalize
from townsquare.classify.taxonomy import GARM_CATEGORIES, LABELS, TIERS, dsa_category
from townsquare.classify.types import Assessment, Evidence

__all__ = [
    "GARM_CATEGORIES",
    "LABELS",
    "SECOND_STAGE",
    "TIERS",
    "Assessment",
    "Evidence",
    "Normalized",
    "classify",
    "dsa_category",
    "model_version",
    "normalize",
]

SECOND_STAGE = True  # default: apply the sentence-encoder stage where the fast stage is unsure


def classify(
    texts: Sequence[str],
    langs: Sequence[str | None] | None = None,
    *,
    second_stage: bool | None = None,
) -> list[Assessment]:
    """Classify a batch of texts. ``langs`` are optional hints ("fr", "en", "other"; None to detect)."""
    from townsquare.classify.model import get_model

    if isinstance(texts, str):
        raise TypeError("classify() takes a sequence of texts, not a single string")
    use2 = SECOND_STAGE if second_stage is None else second_stage
    return get_model().assess(list(texts), langs, second_stage=use2)


def model_version() -> str:
    """Version string of the shipped model (loads it)."""
    from townsquare.classify.model import get_model

    return get_model().version
