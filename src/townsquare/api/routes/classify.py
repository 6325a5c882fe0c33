"""`POST /api/v1/classify`: classify a batch of up to 1,000 posts (authenticated roles only)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Body, HTTPException

from townsquare.api.security import Role, allow

router = APIRouter(prefix="/api/v1", tags=["classify"])

MAX_BATCH = 1000
MAX_TEXT = 100_000
READERS = [allow(Role.ADMIN, Role.MODERATOR, Role.INGEST, Role.ADVERTISER, Role.AUDITOR, Role.COUNCIL)]


def _check_item(n: int, item: Any) -> tuple[Any, str, str | None] | dict[str, Any]:
    if not isinstance(item, dict):
        return {"item": n, "error": 'expected an object {"id", "text", "lang"?}'}
    if "id" not in item:
        return {"item": n, "error": 'missing field "id"'}
    text = item.get("text")
    if not isinstance(text, str):
        return {"id": item["id"], "item": n, "error": 'field "text" must be a string'}
    if len(text) > MAX_TEXT:
        return {"id": item["id"], "item": n, "error": f"text longer than {MAX_TEXT} characters"}
    lang = item.get("lang")
    if lang is not None and lang not in ("fr", "en", "other"):
        return {"id": item["id"], "item": n, "error": 'field "lang" must be "fr", "en" or "other" when given'}
    return item["id"], text, lang


@router.post("/classify", dependencies=READERS, summary="Classify up to 1,000 posts")
def classify_batch(
    items: list[Any] = Body(..., description='[{"id", "text", "lang"?}, ...] (at most 1,000)'),
) -> list[dict[str, Any]]:
    """One result per item, in order: the assessment (`id`, `lang`, `labels`, `risk`, `scores`, `tiers`,
    `garm`, `evidence`, `model`) or `{"item": n, "error": ...}` for an invalid item."""
    from townsquare.classify import classify

    if len(items) > MAX_BATCH:
        raise HTTPException(
            status_code=413, detail=f"at most {MAX_BATCH} items per request, got {len(items)}"
        )
    checked = [_check_item(n, it) for n, it in enumerate(items)]
    good = [c for c in checked if isinstance(c, tuple)]
    assessed = iter(classify([t for _, t, _ in good], [lg for _, _, lg in good]) if good else [])
    out: list[dict[str, Any]] = []
    for c in checked:
        if isinstance(c, tuple):
            out.append({"id": c[0], **next(assessed).to_dict()})
        else:
            out.append(c)
    return out
