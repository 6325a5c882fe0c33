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
            out[pid] = _unassessed(pid, author, plang, vis, text)
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


def _unassessed(pid: str, author: str, lang: str | None, vis: str, text: str) -> LoadedPost:
    """A stored post without an assessment: classify it now (not stored), else mark it not assessed."""
    fresh = reassess([text], [lang])
    garm = fresh[0].garm if fresh else None
    return LoadedPost(
        risk=post_risk(
            post_id=pid,
            author_id=author,
            lang=lang or (fresh[0].lang if fresh else None),
            visibility=vis,
            garm=garm,
            normalized=fresh[0].normalized if fresh else None,
            text=text,
        ),
        assessment_id=None,
        garm=dict(garm or {}),
        text=text,
    )


def inline_risk(*, text: str, author_id: str | None, lang: str | None = None) -> LoadedPost:
    """Pre-bid check of a text not (yet) ingested: classified now, never stored, visibility taken as visible."""
    fresh = reassess([text], [lang])
    garm = fresh[0].garm if fresh else None
    lang = lang or (fresh[0].lang if fresh else None) or detect(text)
    return LoadedPost(
        risk=post_risk(
            post_id=None,
            author_id=author_id,
            lang=lang,
            visibility="visible",
            garm=garm,
            normalized=fresh[0].normalized if fresh else None,
            text=text,
        ),
        assessment_id=None,
        garm=dict(garm or {}),
        text=text,
    )
