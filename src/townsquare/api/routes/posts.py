"""Posts in (ingest) and the public view of one post."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Body, HTTPException
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from townsquare.api.deps import SessionDep, SettingsDep
from townsquare.api.problems import problem
from townsquare.api.security import Role, allow
from townsquare.api.types import BoundedDatetime
from townsquare.policy.status import post_status
from townsquare.posts import lookup
from townsquare.posts.ingest import MAX_BATCH, IngestSummary
from townsquare.settings import Settings
from townsquare.stream import intake

router = APIRouter(prefix="/api/v1", tags=["posts"])


class PostCreate(BaseModel):
    """One post as the platform sends it (documentation of the accepted shape)."""

    id: str = Field(max_length=200)
    author: str = Field(max_length=200)
    text: str = Field(max_length=10_000)
    lang: str | None = None
    created_at: BoundedDatetime | None = None
    reply_to: str | None = None


class PostBatch(BaseModel):
    posts: list[PostCreate] = Field(max_length=MAX_BATCH)


def _ingest(session: Session, settings: Settings, items: list[Any]) -> IngestSummary:
    """Embedded: classify in the request; with TOWNSQUARE_NATS_URL: store, publish, ack (docs/streaming.md)."""
    try:
        return intake.ingest_items(session, items, settings)
    except intake.StreamUnavailable as exc:
        retry = str(intake.RETRY_AFTER_SECONDS)
        raise HTTPException(503, str(exc), headers={"Retry-After": retry}) from exc


@router.post(
    "/posts",
    dependencies=[allow(Role.INGEST, Role.MODERATOR, Role.ADMIN)],
    response_model=None,
    openapi_extra={
        "requestBody": {
            "content": {
                "application/json": {
                    "schema": {
                        "oneOf": [
                            {"$ref": "#/components/schemas/PostCreate"},
                            {"$ref": "#/components/schemas/PostBatch"},
                            {"type": "array", "items": {"$ref": "#/components/schemas/PostCreate"}},
                        ]
                    }
                }
            }
        }
    },
)
def create_posts(session: SessionDep, settings: SettingsDep, payload: Any = Body(...)) -> JSONResponse:
    """One post → 201 (accepted), 200 (duplicate), 409 (conflict) or 422; a batch (a list or {"posts": [...]},
    ≤ 1,000) → 200 with a result per item, in order."""
    if isinstance(payload, dict) and "posts" in payload and "text" not in payload:
        items = payload["posts"]
        if not isinstance(items, list):
            return problem(422, "Unprocessable content", "posts: must be a list")
    elif isinstance(payload, list):
        items = payload
    elif isinstance(payload, dict):
        summary = _ingest(session, settings, [payload])
        result = summary.results[0]
        if result.status == "rejected":
            return problem(422, "Unprocessable content", result.error or "", errors=[result.to_dict()])
        if result.status == "conflict":
            return problem(409, "Conflict", result.error or "", id=result.id)
        return JSONResponse(result.to_dict(), status_code=result.code)
    else:
        return problem(422, "Unprocessable content", "body must be a post object or a list of posts")
    if len(items) > MAX_BATCH:
        return problem(
            422, "Unprocessable content", f"a batch holds at most {MAX_BATCH} posts ({len(items)} sent)"
        )
    summary = _ingest(session, settings, items)
    queued = any(r.code == 202 for r in summary.results)  # distributed mode: stored and queued
    return JSONResponse(
        status_code=202 if queued else 200,
        content={
            "accepted": summary.count("accepted"),
            "duplicate": summary.count("duplicate"),
            "conflict": summary.count("conflict"),
            "rejected": summary.count("rejected"),
            "results": [r.to_dict() for r in summary.results],
        },
    )


@router.get("/posts/{post_id:path}", dependencies=[allow(Role.PUBLIC)])
def get_post(post_id: str, session: SessionDep) -> dict[str, Any]:
    """The post, its visibility state, label and a summary of the statement of reasons."""
    view = lookup.public_view(session, post_id)
    view.update(post_status(session, post_id))
    return view
