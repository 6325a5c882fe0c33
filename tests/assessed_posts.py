"""Posts with hand-built assessments, shared by the policy and notices suites (no classifier in the loop).

Tiers, labels, risk and GARM tiers are derived from the given scores the way the classifier derives them, so the
standards engine sees exactly what it would see after `classify`, while each test states the scores it means.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from townsquare.classify import taxonomy
from townsquare.storage.models import Account, Assessment, Post


def assessed_post(
    s: Session,
    post_id: str,
    *,
    author: str = "alice",
    text: str = "[test content]",
    lang: str = "en",
    scores: dict[str, float] | None = None,
) -> tuple[Post, Assessment]:
    """A post (its author created if missing) and its assessment, flushed; nothing is enforced yet."""
    scores = scores or {}
    if s.get(Account, author) is None:
        s.add(Account(id=author, handle=author, lang=lang))
        s.flush()
    post = Post(id=post_id, author_id=author, text=text, lang=lang, content_hash=post_id)
    s.add(post)
    s.flush()
    tiers = {lab: taxonomy.tier_for(lab, v) for lab, v in scores.items()}
    row = Assessment(
        post_id=post_id,
        model="hand-built",
        lang=lang,
        risk=taxonomy.max_tier(list(tiers.values())),
        labels=[lab for lab, v in scores.items() if v >= taxonomy.SPECS[lab].threshold],
        scores=scores,
        tiers=tiers,
        garm=taxonomy.garm_tiers(tiers),
        evidence=[],
        normalized=text.lower(),
    )
    s.add(row)
    s.flush()
    return post, row
