"""The shared slur feature (v2.6): fires on a slur used, not quoted or reported; both feature paths agree; the
artefact's slur list leaves out words with an innocent sense."""

from __future__ import annotations

import numpy as np

from townsquare.classify import batching as B
from townsquare.classify import features as F
from townsquare.classify.normalize import normalize

SLURS = frozenset({"kikes", "wetbacks", "tarlouzes"})


def _words(text: str) -> list[tuple[str, str]]:
    return F.scan(normalize(text).text)


def test_fires_on_a_slur_used_not_on_one_quoted_or_reported() -> None:
    assert F.has_slur(_words("the kikes run everything"), SLURS)
    assert F.has_slur(_words("encore des tarlouzes dans le tram"), SLURS)
    assert not F.has_slur(_words('calling them "kikes" is vile'), SLURS)
    assert not F.has_slur(_words("he said wetbacks and got banned, good"), SLURS)
    assert not F.has_slur(_words("the banks run everything"), SLURS)


def test_feature_only_with_a_slur_list() -> None:
    slur_ix = F._name_index(F.SLUR_FEATURE)
    words = _words("the kikes run everything")
    with_list, _ = F.doc_arrays(words, "en", SLURS)
    without, _ = F.doc_arrays(words, "en")
    assert slur_ix in with_list.tolist() and slur_ix not in without.tolist()


def test_batch_path_matches_the_per_document_path() -> None:
    texts = [
        "the kikes run everything",
        'calling them "kikes" is vile',
        "",
        "encore des tarlouzes",
        "hello there",
    ]
    docs = [_words(t) for t in texts]
    langs = ["en", "en", "en", "fr", "en"]
    batch = B.batch_arrays(docs, langs, SLURS)
    for d, (words, lang) in enumerate(zip(docs, langs, strict=True)):
        idx, val = F.doc_arrays(words, lang, SLURS)
        lo, hi = batch.indptr[d], batch.indptr[d + 1]
        assert np.array_equal(batch.indices[lo:hi], idx) and np.array_equal(batch.data[lo:hi], val)


def test_slur_list_leaves_out_words_with_an_innocent_sense() -> None:
    from townsquare.classify.train import slur_words

    words = set(slur_words())
    assert {"kikes", "wetbacks", "tarlouzes", "bougnoules"} <= words
    # used plainly by the homonym examples (a cigarette, a delay, a restricted engine, a flood bank), with plurals
    assert not words & {"fag", "fags", "retard", "retards", "bride", "brides", "dyke", "dykes"}
