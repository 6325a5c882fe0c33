"""Governed membership: no single person can change who sits on the council, or bind a member to a key they hold.

Why (issue 11): one admin created three members with keys they held, deactivated the other seven and decided a
ban alone. Now every change of membership — adding, removing, deactivating or reactivating a member, changing what
identifies them, reissuing their key — is a *proposal* that takes effect only when **both** hold:

1. a second, different admin approved it, and
2. the public notice period of the charter (`council_notice_days`, default 7) has passed since it was proposed;

pending changes are public (`GET /api/v1/council/member-changes`, `/transparency`), so the community sees a
packing attempt a week before it could act. A member's key is issued to the member, never chosen by an admin:
the enrolment code has two halves, one returned to the proposing admin and one to the approving admin, each to be
handed to the member separately; the member exchanges both for a council key (`enrol`), once. The member rotates
the key alone (`rotate`); an admin's only power over it is to revoke it. A seat on an open panel is never
refilled: when a change takes effect the member keeps their seats on open cases, and a compromised seat can only
be frozen (`freeze_seat`: its vote counts as absent).
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from townsquare import audit
from townsquare.access import keys
from townsquare.core import clock
from townsquare.core.errors import Conflict, Forbidden, Invalid, NotFound
from townsquare.council import charter, members
from townsquare.storage.models import ApiKey, CouncilCase, CouncilMember, CouncilMemberChange, PanelSeat

KINDS = ("add", "update", "deactivate", "reactivate", "remove", "reissue_key")
WITH_CODE = ("add", "reissue_key")
UPDATABLE = ("name", "bio", "region", "languages", "expertise", "viewpoint_group")
PROFILE = ("name", "bio", "region", "languages", "expertise", "viewpoint_group")


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _clean(changes: dict[str, Any], *, adding: bool) -> dict[str, Any]:
    if "key_name" in changes or "key_id" in changes:
        raise Invalid(
            "a member's key is issued to the member at enrolment (or rotated by the member); an admin may "
            "only revoke it"
        )
    if "active" in changes:
        raise Invalid("use a deactivate or reactivate proposal to change whether a member sits")
    unknown = set(changes) - set(UPDATABLE)
    if unknown:
        raise Invalid(f"unknown fields: {', '.join(sorted(unknown))}")
    out: dict[str, Any] = {}
    for key, value in changes.items():
        if key in ("languages", "expertise"):
            out[key] = members.clean_list(value, key)
        elif value is None:
            out[key] = None
        elif not isinstance(value, str):
            raise Invalid(f"{key} must be a string")
        else:
            out[key] = value.strip()
    if adding and not out.get("name"):
        raise Invalid("a council member needs a public name")
    if "name" in out and not out["name"]:
        raise Invalid("a council member needs a public name")
    groups = charter.groups()
    if adding and not out.get("viewpoint_group"):
        raise Invalid(f"a new member declares a viewpoint group of the charter: {', '.join(groups)}")
    if "viewpoint_group" in out and out["viewpoint_group"] not in groups:
        raise Invalid(f"viewpoint_group must be one of the charter's groups: {', '.join(groups)}")
    return out


def propose(
    session: Session,
    *,
    kind: str,
    actor: str,
    member_id: int | None = None,
    changes: dict[str, Any] | None = None,
    reason: str = "",
) -> tuple[CouncilMemberChange, str | None]:
    """Record a proposal; returns it and, for add / reissue_key, the proposer's half of the enrolment code."""
    if kind not in KINDS:
        raise Invalid(f"kind must be one of {', '.join(KINDS)}", kind=kind)
    actor = (actor or "").strip()
    if not actor:
        raise Invalid("a proposal needs the admin who makes it")
    if kind == "add":
        if member_id is not None:
            raise Invalid("an add proposal names no existing member")
        clean = _clean(changes or {}, adding=True)
    else:
        if member_id is None:
            raise Invalid(f"a {kind} proposal needs member_id")
        members.get(session, member_id)
        clean = _clean(changes or {}, adding=False) if kind == "update" else {}
        if kind == "update" and not clean:
            raise Invalid("an update proposal needs at least one change")
        if changes and kind != "update":
            raise Invalid(f"a {kind} proposal takes no field changes")
    half = secrets.token_urlsafe(12) if kind in WITH_CODE else None
    now = clock.now()
    row = CouncilMemberChange(
        kind=kind,
        member_id=member_id,
        changes=clean,
        reason=(reason or "").strip(),
        status="pending",
        proposed_by=actor,
        proposed_at=now,
        effective_after=now + timedelta(days=int(charter.current()["notice_days"])),
        code_hash_a=_sha(half) if half else None,
    )
    session.add(row)
    session.flush()
    audit.append(
        session,
        actor=actor,
        event="council.member_change_proposed",
        subject_type="member_change",
        subject_id=str(row.id),
        payload=public_view(row),
    )
    return row, half


def get_change(session: Session, change_id: int) -> CouncilMemberChange:
    row = session.get(CouncilMemberChange, change_id)
    if row is None:
        raise NotFound(f"membership change {change_id} not found", change_id=change_id)
    return row


def approve(session: Session, *, change_id: int, actor: str) -> tuple[CouncilMemberChange, str | None]:
    """A second, different admin approves; the change takes effect now if the notice period is over."""
    row = get_change(session, change_id)
    if row.status != "pending":
        raise Conflict(f"membership change {change_id} is {row.status}, not pending")
    if (actor or "").strip() == row.proposed_by:
        raise Forbidden("a membership change needs the approval of a second, different admin")
    half = secrets.token_urlsafe(12) if row.kind in WITH_CODE else None
    row.status, row.approved_by, row.approved_at = "approved", actor, clock.now()
    row.code_hash_b = _sha(half) if half else None
    session.flush()
    audit.append(
        session,
        actor=actor,
        event="council.member_change_approved",
        subject_type="member_change",
        subject_id=str(row.id),
        payload=public_view(row),
    )
    apply_due(session, actor=actor)
    return row, half


def cancel(session: Session, *, change_id: int, actor: str, reason: str = "") -> CouncilMemberChange:
    row = get_change(session, change_id)
    if row.status not in ("pending", "approved"):
        raise Conflict(f"membership change {change_id} is {row.status}")
    row.status = "cancelled"
    session.flush()
    audit.append(
        session,
        actor=actor,
        event="council.member_change_cancelled",
        subject_type="member_change",
        subject_id=str(row.id),
        payload={**public_view(row), "cancel_reason": reason},
    )
    return row


def apply_due(session: Session, *, actor: str = "system") -> list[int]:
    """Carry out every approved change whose notice period is over; returns their ids."""
    now = clock.now()
    due = [
        r
        for r in session.scalars(
            select(CouncilMemberChange)
            .where(CouncilMemberChange.status == "approved")
            .order_by(CouncilMemberChange.id)
        )
        if clock.as_utc(r.effective_after) <= now
    ]
    for row in due:
        _carry_out(session, row, actor=actor)
    return [r.id for r in due]


def _carry_out(session: Session, row: CouncilMemberChange, *, actor: str) -> None:
    if row.kind == "add":
        member = CouncilMember(
            name=row.changes["name"],
            bio=row.changes.get("bio") or "",
            region=row.changes.get("region") or None,
            languages=row.changes.get("languages") or [],
            expertise=row.changes.get("expertise") or [],
            viewpoint_group=row.changes.get("viewpoint_group"),
            active=True,
            created_at=clock.now(),
        )
        session.add(member)
        session.flush()
        row.member_id = member.id
    else:
        member = members.get(session, int(row.member_id or 0))
        if row.kind == "update":
            for key, value in row.changes.items():
                setattr(member, key, value)
        elif row.kind in ("deactivate", "remove"):
            member.active = False
            if row.kind == "remove":
                _revoke(session, member, actor=actor)
        elif row.kind == "reactivate":
            member.active = True
        elif row.kind == "reissue_key":
            _revoke(session, member, actor=actor)
    if row.kind in WITH_CODE and row.code_hash_a and row.code_hash_b:
        member.enrolment_hash = _sha(row.code_hash_a + row.code_hash_b)
    row.status, row.effective_at = "effective", clock.now()
    session.flush()
    audit.append(
        session,
        actor=actor,
        event="council.member_change_effective",
        subject_type="council_member",
        subject_id=str(member.id),
        payload={**public_view(row), "open_seats_kept": _open_seats(session, member.id)},
    )


def _open_seats(session: Session, member_id: int) -> list[int]:
    """Open cases the member sits on: a change never removes or replaces a seat on an open panel."""
    return list(
        session.scalars(
            select(PanelSeat.council_case_id)
            .join(CouncilCase, CouncilCase.id == PanelSeat.council_case_id)
            .where(PanelSeat.member_id == member_id, CouncilCase.status == "open")
        )
    )


def _revoke(session: Session, member: CouncilMember, *, actor: str) -> None:
    if member.key_id is not None:
        key = session.get(ApiKey, member.key_id)
        if key is not None:
            keys.revoke_key(session, name=key.name, actor=actor)
    elif member.key_name:
        key_row = session.scalar(select(ApiKey).where(ApiKey.name == member.key_name))
        if key_row is not None:
            keys.revoke_key(session, name=key_row.name, actor=actor)
    member.key_id, member.key_name = None, None
    session.flush()


def revoke_key(session: Session, *, member_id: int, actor: str) -> CouncilMember:
    """An admin's only power over a member's key: revoke it at once (a new one needs a governed reissue)."""
    member = members.get(session, member_id)
    if member.key_id is None and not member.key_name:
        raise Conflict(f"council member {member_id} holds no key")
    _revoke(session, member, actor=actor)
    audit.append(
        session,
        actor=actor,
        event="council.member_key_revoked",
        subject_type="council_member",
        subject_id=str(member.id),
        payload={"member_id": member.id},
    )
    return member


def _issue(session: Session, member: CouncilMember, *, actor: str) -> str:
    key, token = keys.create_key(
        session, role="council", name=f"council-member-{member.id}-{secrets.token_hex(4)}", actor=actor
    )
    member.key_id, member.key_name = key.id, key.name
    session.flush()
    return token


def enrol(session: Session, *, member_id: int, code: str) -> tuple[CouncilMember, str]:
    """The member exchanges the two halves of the enrolment code ("A.B") for their council key, once."""
    member = members.get(session, member_id)
    part_a, _, part_b = (code or "").strip().partition(".")
    if member.enrolment_hash is None or not part_a or not part_b:
        raise Forbidden("no enrolment is open for this member, or the code is incomplete")
    if not secrets.compare_digest(member.enrolment_hash, _sha(_sha(part_a) + _sha(part_b))):
        raise Forbidden("wrong enrolment code")
    if not member.active:
        raise Forbidden(f"council member {member_id} is not active")
    member.enrolment_hash = None
    token = _issue(session, member, actor=f"council-member-{member.id}")
    audit.append(
        session,
        actor=f"council-member-{member.id}",
        event="council.member_enrolled",
        subject_type="council_member",
        subject_id=str(member.id),
        payload={"member_id": member.id, "key_id": member.key_id},
    )
    return member, token


def rotate(session: Session, *, key_id: int | None, key_name: str) -> tuple[CouncilMember, str]:
    """The member replaces their own key (the old one is revoked at once)."""
    from townsquare.council.cases import member_for_key

    member = member_for_key(session, key_name, key_id=key_id, require_active=False)
    old = member.key_name
    if old:
        keys.revoke_key(session, name=old, actor=old)
    token = _issue(session, member, actor=old or f"council-member-{member.id}")
    audit.append(
        session,
        actor=old or "",
        event="council.member_key_rotated",
        subject_type="council_member",
        subject_id=str(member.id),
        payload={"member_id": member.id, "key_id": member.key_id},
    )
    return member, token


def freeze_seat(session: Session, *, case_id: int, member_id: int, actor: str, reason: str) -> PanelSeat:
    """Freeze a compromised seat at once: its vote counts as absent; the seat is never refilled for this case."""
    from townsquare.council import cases

    ccase = cases.get_case(session, case_id, lock=True)
    if ccase.status != "open":
        raise Conflict(f"council case {case_id} is {ccase.status}")
    reason = (reason or "").strip()
    if not reason:
        raise Invalid("freezing a seat needs a reason (it is published)")
    seat = session.scalar(
        select(PanelSeat).where(PanelSeat.council_case_id == case_id, PanelSeat.member_id == member_id)
    )
    if seat is None:
        raise NotFound(f"member {member_id} has no seat on council case {case_id}")
    if seat.frozen_at is not None:
        raise Conflict(f"the seat of member {member_id} on council case {case_id} is already frozen")
    seat.frozen_at, seat.frozen_reason = clock.now(), reason
    session.flush()
    audit.append(
        session,
        actor=actor,
        event="council.seat_frozen",
        subject_type="council_case",
        subject_id=str(case_id),
        payload={"member_id": member_id, "reason": reason},
    )
    cases.decide_if_complete(session, case_id=case_id)
    return seat


def public_view(row: CouncilMemberChange) -> dict[str, Any]:
    """What everyone may see of a proposal (never the enrolment code)."""
    return {
        "id": row.id,
        "kind": row.kind,
        "member_id": row.member_id,
        "changes": row.changes,
        "reason": row.reason,
        "status": row.status,
        "proposed_by": row.proposed_by,
        "proposed_at": clock.as_utc(row.proposed_at).isoformat(),
        "effective_after": clock.as_utc(row.effective_after).isoformat(),
        "approved_by": row.approved_by,
        "approved_at": clock.as_utc(row.approved_at).isoformat() if row.approved_at else None,
        "effective_at": clock.as_utc(row.effective_at).isoformat() if row.effective_at else None,
    }


def list_changes(session: Session, *, pending_only: bool = False) -> list[CouncilMemberChange]:
    q = select(CouncilMemberChange).order_by(CouncilMemberChange.id.desc())
    if pending_only:
        q = q.where(CouncilMemberChange.status.in_(("pending", "approved")))
    return list(session.scalars(q.limit(500)))
