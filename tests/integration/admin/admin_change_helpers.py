"""A candidate policy derived from the packaged default (another version, one rule's action changed) and audit
snapshots, for the two-admin activation tests."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from townsquare.policy.engine import PACKAGED_DEFAULT
from townsquare.storage.models import AuditRecord


def candidate_text(version: str = "2026.12-e2e", first_action: str = "label") -> str:
    """The default policy with a new version and its first rule's `action: remove` turned into `first_action`."""
    text = PACKAGED_DEFAULT.read_text(encoding="utf-8")
    text = text.replace('version: "2026.11-1"', f'version: "{version}"', 1)
    return text.replace("action: remove", f"action: {first_action}", 1)


def events(s: Session) -> list[str]:
    return list(s.scalars(select(AuditRecord.event).order_by(AuditRecord.seq)))
