"""Two-admin changes to what enforcement runs on: a policy text, the automation ceiling.

One admin proposes (a policy is checked and replayed against the stored posts first, and the messages and diff
are kept with the proposal); a second, *different* admin approves, and only then does the change take effect.
Each step appends an audit record in the same transaction. Approval refuses when what was in force at proposal
time has changed since (the approver would otherwise approve a diff that is no longer true): propose again.

An activated policy is pointed to by the runtime setting `active_policy` (its sha256 in `policy_versions`);
`policy.engine.active_policy` prefers it to the `policy_file` setting, so the file is the starting policy and
the web's two-admin flow decides afterwards.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from townsquare import audit
from townsquare.core import clock
from townsquare.core.errors import Conflict, Forbidden, Invalid, NotFound
from townsquare.policy.ceiling import automation_ceiling
from townsquare.policy.engine import (
    ACTIVE_POLICY_KEY,
    active_policy,
    current_policy,
    forget_active_policy,
    record_policy,
)
from townsquare.policy.loader import check_text
from townsquare.policy.replay import replay_db
from townsquare.policy.runtime import CEILING_CHOICES, CEILING_KEY, set_automation_ceiling
from townsquare.storage.models import AdminChange, RuntimeSetting

KINDS = ("policy", CEILING_KEY)
MAX_POLICY_BYTES = 200_000


def _actor(actor: str) -> str:
    actor = (actor or "").strip()
    if not actor:
        raise Invalid("a change needs the admin who makes it")
    return actor


def propose_policy(session: Session, *, source: str, actor: str, reason: str = "") -> AdminChange:
    """Check the text (`policy check` messages, Invalid listing them all), replay it against the stored posts,
    and keep both with a pending proposal. Nothing changes in enforcement."""
    actor = _actor(actor)
    if len(source.encode("utf-8")) > MAX_POLICY_BYTES:
        raise Invalid(f"a policy file is at most {MAX_POLICY_BYTES} bytes", field="source")
    candidate, problems = check_text(source)
    if candidate is None:
        messages = [f"policy:{p.line}:{p.col}: {p.message}" for p in problems]
        raise Invalid("the policy does not pass `policy check`: " + "; ".join(messages), field="source")
    current = current_policy(session)
    if candidate.sha256 == current.sha256:
        raise Conflict(f"policy {candidate.label} is already in force")
    report = replay_db(session, candidate, current, examples=10)
    row = AdminChange(
        kind="policy",
        value=candidate.label,
        source=source,
        sha256=candidate.sha256,
        base=current.sha256,
        summary={
            "check": [f"{candidate.name} {candidate.label}: {len(candidate.all_rules())} rules, no problems"],
            "replay": report.to_dict(),
        },
        reason=reason.strip(),
        proposed_by=actor,
    )
    session.add(row)
    session.flush()
    audit.append(
        session,
        actor=actor,
        event="policy.proposed",
        subject_type="policy",
        subject_id=candidate.label,
        payload={
            "change_id": row.id,
            "sha256": candidate.sha256,
            "base": current.sha256,
            "changed": report.changed,
        },
    )
    return row


def propose_ceiling(session: Session, *, value: str, actor: str, reason: str = "") -> AdminChange:
    """Propose a new automation ceiling (a post action); the second admin's approval sets it."""
    actor = _actor(actor)
    if value not in CEILING_CHOICES:
        raise Invalid(f"automation_ceiling must be one of {', '.join(CEILING_CHOICES)}", field="value")
    old = automation_ceiling(session).value
    if value == old:
        raise Conflict(f"the automation ceiling is already {value}")
    row = AdminChange(
        kind=CEILING_KEY,
        value=value,
        base=old,
        summary={"old": old, "new": value},
        reason=reason.strip(),
        proposed_by=actor,
    )
    session.add(row)
    session.flush()
    audit.append(
        session,
        actor=actor,
        event="settings.proposed",
        subject_type="setting",
        subject_id=CEILING_KEY,
        payload={"change_id": row.id, "old": old, "new": value},
    )
    return row


def get_change(session: Session, change_id: int, *, lock: bool = False) -> AdminChange:
    row = session.get(AdminChange, change_id, with_for_update=lock)
    if row is None:
        raise NotFound(f"no admin change {change_id}")
    return row


def _pending(session: Session, change_id: int) -> AdminChange:
    row = get_change(session, change_id, lock=True)
    if row.status != "pending":
        raise Conflict(f"change {change_id} is {row.status}, not pending")
    return row


def _in_force(session: Session, kind: str) -> str:
    return current_policy(session).sha256 if kind == "policy" else automation_ceiling(session).value


def approve(session: Session, *, change_id: int, actor: str) -> AdminChange:
    """The second admin's approval: refused to the proposer, and when the state it was proposed on has changed;
    otherwise the change takes effect now (policy recorded + `policy.activated`, or `settings.changed`)."""
    actor = _actor(actor)
    row = _pending(session, change_id)
    if actor == row.proposed_by:
        raise Forbidden("a second, different admin must approve this change (you proposed it)")
    if _in_force(session, row.kind) != row.base:
        row.status, row.decided_by, row.decided_at = "superseded", actor, clock.now()
        audit.append(
            session,
            actor=actor,
            event="admin_change.superseded",
            subject_type="admin_change",
            subject_id=str(row.id),
            payload={"kind": row.kind, "value": row.value},
        )
        session.flush()
        raise Conflict("what was in force when this was proposed has changed since: propose it again")
    audit.append(
        session,
        actor=actor,
        event="admin_change.approved",
        subject_type="admin_change",
        subject_id=str(row.id),
        payload={"kind": row.kind, "value": row.value, "proposed_by": row.proposed_by},
    )
    if row.kind == "policy":
        _activate_policy(session, row, actor)
    else:
        set_automation_ceiling(session, value=row.value, actor=actor)
    row.status, row.decided_by, row.decided_at = "activated", actor, clock.now()
    session.flush()
    return row


def _activate_policy(session: Session, row: AdminChange, actor: str) -> None:
    from townsquare.policy.loader import load_text

    policy = load_text(row.source or "", f"admin_changes/{row.id}")
    setting = session.get(RuntimeSetting, ACTIVE_POLICY_KEY)
    value: dict[str, Any] = {"sha256": policy.sha256, "change_id": row.id}
    if setting is None:
        session.add(
            RuntimeSetting(key=ACTIVE_POLICY_KEY, value=value, updated_at=clock.now(), updated_by=actor)
        )
    else:
        setting.value, setting.updated_at, setting.updated_by = value, clock.now(), actor
    session.flush()
    forget_active_policy(session)
    record_policy(session, policy, actor=f"{row.proposed_by}+{actor}")
    assert active_policy(session).sha256 == policy.sha256


def cancel(session: Session, *, change_id: int, actor: str, reason: str = "") -> AdminChange:
    """Either admin may withdraw a pending change; it is kept (cancelled) with the reason."""
    actor = _actor(actor)
    row = _pending(session, change_id)
    row.status, row.decided_by, row.decided_at = "cancelled", actor, clock.now()
    audit.append(
        session,
        actor=actor,
        event="admin_change.cancelled",
        subject_type="admin_change",
        subject_id=str(row.id),
        payload={"kind": row.kind, "value": row.value, "reason": reason.strip()},
    )
    session.flush()
    return row


def list_changes(session: Session, *, kind: str | None = None, limit: int = 50) -> list[AdminChange]:
    query = select(AdminChange).order_by(AdminChange.id.desc()).limit(limit)
    if kind is not None:
        query = query.where(AdminChange.kind == kind)
    return list(session.scalars(query))
