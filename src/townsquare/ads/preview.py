"""Live preview for the web console: what would this (unsaved) profile do to these posts or texts?

Reads only. Each item is a stored post id (when one exists with that id), inline text otherwise, or an explicit
``{"post_id": ...}`` / ``{"text": ..., "author_id": ..., "lang": ...}`` dict.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy.orm import Session

from townsquare.ads.compiled import compile_profile
from townsquare.ads.decide import decide
from townsquare.ads.risk import inline_risk, load_posts
from townsquare.ads.spec import ProfileSpec
from townsquare.core.errors import Invalid

MAX_ITEMS = 200


def preview(
    session: Session,
    *,
    profile_spec: ProfileSpec | Mapping[str, Any],
    texts_or_post_ids: Sequence[str | Mapping[str, Any]],
) -> list[dict[str, Any]]:
    """One row per item: input, post id (if stored), eligible, reasons, GARM vector, visibility."""
    spec = profile_spec if isinstance(profile_spec, ProfileSpec) else ProfileSpec.model_validate(profile_spec)
    if len(texts_or_post_ids) > MAX_ITEMS:
        raise Invalid(f"at most {MAX_ITEMS} items per preview", field="texts_or_post_ids")
    compiled = compile_profile(spec, version=0)
    ids = [(it.get("post_id") if isinstance(it, Mapping) else it) for it in texts_or_post_ids]
    stored = load_posts(session, [i for i in ids if isinstance(i, str)])
    rows: list[dict[str, Any]] = []
    for item, maybe_id in zip(texts_or_post_ids, ids, strict=True):
        if isinstance(maybe_id, str) and maybe_id in stored:
            loaded = stored[maybe_id]
        elif isinstance(item, Mapping):
            if item.get("post_id") is not None:
                rows.append(
                    {
                        "input": item,
                        "post_id": item["post_id"],
                        "eligible": False,
                        "reasons": [{"code": "unknown_post"}],
                        "garm": {},
                        "visibility": None,
                    }
                )
                continue
            loaded = inline_risk(
                text=str(item.get("text", "")), author_id=item.get("author_id"), lang=item.get("lang")
            )
        else:
            loaded = inline_risk(text=item, author_id=None)
        d = decide(loaded.risk, compiled, "preview")
        rows.append(
            {
                "input": item,
                "post_id": loaded.risk.post_id,
                "eligible": d.eligible,
                "reasons": list(d.reasons),
                "garm": loaded.risk.garm,
                "visibility": loaded.risk.visibility,
            }
        )
    return rows
