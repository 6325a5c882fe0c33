"""Checks every private dev list of written phrasings shares: well formed, and not among the training examples."""

from __future__ import annotations

from townsquare.classify.training import generate
from townsquare.classify.training.decontaminate import fold

OUTCOMES = {"hate", "threat", "self_harm", "harassment", "none"}


def assert_well_formed(dev: tuple[tuple[str, str], ...], minimum: int = 40) -> None:
    assert len(dev) >= minimum
    assert len({t for t, _ in dev}) == len(dev)
    assert {e for _, e in dev} <= OUTCOMES


def leaked(dev: tuple[tuple[str, str], ...], lang: str) -> list[str]:
    """Dev sentences found in a training example of `lang`, whole or framed with a prefix or suffix."""
    train = "\n".join(fold(e.text) for e in generate() if e.lang == lang)
    return [t for t, _ in dev if fold(t) in train]
