"""XRPC endpoints of the atproto labeler: `com.atproto.label.queryLabels` and the `subscribeLabels` stream.

Both are public (labels are public by design: every Bluesky client may read them). Errors keep RFC 9457
problem+json and add XRPC's `error`/`message` members, so atproto clients and our own both read them.
"""

from __future__ import annotations

import asyncio
from typing import Any

from fastapi import APIRouter, Depends, Query, WebSocket
from fastapi.responses import JSONResponse
from starlette.websockets import WebSocketDisconnect

from townsquare.api.deps import ReadSessionDep
from townsquare.api.security import POLICY_ATTR, allow
from townsquare.connectors import config
from townsquare.connectors.atproto import frames, labels
from townsquare.core.enums import Role
from townsquare.core.errors import Invalid
from townsquare.storage.db import Database

router = APIRouter(prefix="/xrpc", tags=["atproto"])
POLL_SECONDS = 0.5
BATCH = 200


def _xrpc_problem(status: int, error: str, message: str, path: str) -> JSONResponse:
    return JSONResponse(
        {
            "type": "about:blank",
            "title": "Bad request" if status == 400 else "Error",
            "status": status,
            "detail": message,
            "instance": path,
            "error": error,
            "message": message,
        },
        status_code=status,
        media_type="application/problem+json",
    )


@router.get("/com.atproto.label.queryLabels", dependencies=[allow(Role.PUBLIC)], response_model=None)
def query_labels(
    session: ReadSessionDep,
    uri_patterns: list[str] = Query(default_factory=list, alias="uriPatterns"),
    sources: list[str] = Query(default_factory=list),
    limit: int = Query(50),
    cursor: str | None = Query(None),
) -> Any:
    """Labels currently in force on the subjects matching `uriPatterns` (a trailing `*` is a prefix match)."""
    did = config.atproto(session).did
    try:
        found, next_cursor = labels.query(
            session,
            uri_patterns=uri_patterns,
            sources=sources or None,
            own_did=did,
            limit=limit,
            cursor=cursor,
        )
    except Invalid as exc:
        return _xrpc_problem(400, "InvalidRequest", exc.detail, "/xrpc/com.atproto.label.queryLabels")
    out: dict[str, Any] = {"labels": [lab.to_json() for lab in found]}
    if next_cursor:
        out["cursor"] = next_cursor
    return out


async def _public_ws(websocket: WebSocket) -> None:
    """The stream is public, like the labels it carries."""


setattr(_public_ws, POLICY_ATTR, frozenset({Role.PUBLIC}))


def _head(db: Database) -> int:
    with db.read_session() as session:
        return labels.head_seq(session)


def _after(db: Database, seq: int) -> list[tuple[int, labels.Label]]:
    with db.read_session() as session:
        return labels.after_seq(session, seq, BATCH)


@router.websocket("/com.atproto.label.subscribeLabels", dependencies=[Depends(_public_ws)])
async def subscribe_labels(websocket: WebSocket, cursor: int | None = None) -> None:
    """Every label record (negations included) after `cursor`, then new ones as they are signed.

    No cursor: only labels signed from now on. A cursor ahead of the stream: error frame `FutureCursor`, closed.
    """
    await websocket.accept()
    db: Database = websocket.app.state.database
    head = await asyncio.to_thread(_head, db)
    if cursor is not None and cursor > head:
        await websocket.send_bytes(
            frames.error("FutureCursor", f"cursor {cursor} is ahead of the stream ({head})")
        )
        await websocket.close()
        return
    position = head if cursor is None else max(0, cursor)
    try:
        while True:
            batch = await asyncio.to_thread(_after, db, position)
            for seq, label in batch:
                await websocket.send_bytes(frames.labels(seq, [label]))
                position = seq
            if batch:
                continue
            try:
                message = await asyncio.wait_for(websocket.receive(), timeout=POLL_SECONDS)
            except TimeoutError:
                continue
            if message.get("type") == "websocket.disconnect":
                return
    except (WebSocketDisconnect, RuntimeError):
        return
