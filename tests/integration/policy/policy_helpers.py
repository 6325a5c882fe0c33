"""Policy fixtures: posts with hand-built assessments (`add_post`, from tests/assessed_posts.py) and table/audit
snapshots."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from assessed_posts import assessed_post as add_post
from townsquare.storage.db import Database
from townsquare.storage.models import Account, Action, AuditHead, Base, Post


def enforce_post(s: Session, post_id: str, **kw: Any) -> Any:
    """Seed a post and run the engine on it (the pipeline minus the classifier call)."""
    from townsquare.policy.pipeline import enforce_assessment

    post, row = add_post(s, post_id, **kw)
    return enforce_assessment(s, post, row)


def human_action(
    s: Session, subject_type: str, subject_id: str, action: str, rule_id: str, actor: str = "mod1", **kw: Any
) -> Action:
    """A moderator's (or admin's) action through the enforcement contract, for seeding chains and exports."""
    from townsquare.policy import enforce

    return enforce.apply_action(
        s,
        subject_type=subject_type,
        subject_id=subject_id,
        action=action,
        rule_id=rule_id,
        actor=actor,
        actor_kind="moderator",
        **kw,
    )


def snapshot(db: Database) -> dict[str, Any]:
    """Row count of every table plus the audit head: 'changes nothing' means this is equal before and after."""
    with db.session() as s:
        counts: dict[str, Any] = {
            t.name: s.scalar(select(func.count()).select_from(t)) for t in Base.metadata.sorted_tables
        }
        head = s.get(AuditHead, 1)
        counts["audit_head"] = (head.seq, head.hash) if head else None
        counts["visibility"] = sorted(s.execute(select(Post.id, Post.visibility)).all())
        counts["status"] = sorted(s.execute(select(Account.id, Account.status)).all())
    return counts
