"""Helpers for the connector tests: a real uvicorn server on a free loopback port, seeded posts and actions."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import uvicorn

from townsquare.core.enums import ActorKind
from townsquare.policy.enforce import apply_action
from townsquare.posts.ingest import ingest
from townsquare.storage.db import Database
from townsquare.storage.models import Action


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def serve(app: Any) -> Iterator[str]:
    """Run the ASGI app under uvicorn in a thread; yields `http://127.0.0.1:<port>`; stops it afterwards."""
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        if not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        threading.Event().wait(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)


def seed_posts(db: Database, items: list[dict[str, Any]]) -> None:
    with db.session() as s:
        summary = ingest(s, items, assess=False)
        assert all(r.status == "accepted" for r in summary.results), [r.to_dict() for r in summary.results]


def act(db: Database, subject_type: str, subject_id: str, action: str, rule: str) -> int:
    with db.session() as s:
        row: Action = apply_action(
            s,
            subject_type=subject_type,
            subject_id=subject_id,
            action=action,
            rule_id=rule,
            actor="mod:ana",
            actor_kind=ActorKind.MODERATOR,
            explanation="The post dehumanises a group of people.",
        )
        return row.id
