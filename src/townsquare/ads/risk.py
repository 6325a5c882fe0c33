"""Post risk vectors from the database: the post's visibility and its latest assessment, in one query.

These are the ads engine's only inputs about content (`Post.visibility`, the latest `Assessment` row). Nothing
is cached across requests: a post removed a second ago must not be placed next to an ad now.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from townsquare.ads import sql
from townsquare.ads.classifier import reassess
from townsquare.ads.compiled import PostRisk, post_risk
from townsquare.classify.langid import detect


@dataclass(frozen=True)
class LoadedPost:
    risk: PostRisk
    assessment_id: int | None
    garm: dict[str, Any]
    text: str


def load_posts(session: Session, post_ids: Iterable[str]) -> dict[str, LoadedPost]:
    """post id -> risk vector (unknown ids are simply absent)."""
    ids = list(dict.fromkeys(post_ids))
    if not ids:
        return {}
    rows = sql.fetch(session, sql.POSTS_SQL, ids)
    out: dict[str, LoadedPost] = {}
    for pid, author, plang, vis, text, aid, raw_garm, normalized, alang in rows:
        garm = sql.json_value(raw_garm)
        if aid is None:
            # Stored but never assessed: classify it now (not stored), else it stays not assessed.
            out[pid] = _classified_now(text, post_id=pid, author_id=author, lang=plang, visibility=vis)
            continue
        out[pid] = LoadedPost(
            risk=post_risk(
                post_id=pid,
                author_id=author,
                lang=plang or alang,
                visibility=vis,
                garm=garm or {},
                normalized=normalized or None,
                text=text,
            ),
            assessment_id=aid,
            garm=dict(garm or {}),
            text=text,
        )
    return out


def inline_risk(*, text: str, author_id: str | None, lang: str | None = None) -> LoadedPost:
    """Pre-bid check of a text not (yet) ingested: classified now, never stored, visibility taken as visible."""
    return _classified_now(
        text, post_id=None, author_id=author_id, lang=lang, visibility="visible", detect_lang=True
    )


def _classified_now(
    text: str,
    *,
    post_id: str | None,
    author_id: str | None,
    lang: str | None,
    visibility: str,
    detect_lang: bool = False,
) -> LoadedPost:
    """Risk of a text classified on the spot (nothing stored); ``garm`` stays None if the classifier is away."""
    fresh = reassess([text], [lang])
    assessed = fresh[0] if fresh else None
    garm = assessed.garm if assessed else None
    lang = lang or (assessed.lang if assessed else None)
    if detect_lang:
        lang = lang or detect(text)
    return LoadedPost(
        risk=post_risk(
            post_id=post_id,
            author_id=author_id,
            lang=lang,
            visibility=visibility,
            garm=garm,
            normalized=assessed.normalized if assessed else None,
            text=text,
        ),
        assessment_id=None,
        garm=dict(garm or {}),
        text=text,
    )
