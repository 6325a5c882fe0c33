"""Council governance API: the published charter, governed membership changes, member keys, frozen seats,
re-referrals and the panel's case file.

Why a separate module: these are the routes an attacker used in issue 11 (packing, deactivating, re-keying). Each
write here is a proposal, an approval by a *different* admin, or a narrowly bounded power (revoke a key, freeze a
seat) that can only remove votes, never add one. Everything that takes effect is public while pending.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path
from pydantic import BaseModel, ConfigDict, Field

from townsquare.api.deps import CallerDep, SessionDep
from townsquare.api.security import Role, allow
from townsquare.council import casefile, cases, charter, governance, members

router = APIRouter(prefix="/api/v1", tags=["council"])
PUBLIC = allow(Role.PUBLIC)
ADMIN = allow(Role.ADMIN)
Id = Annotated[int, Path(ge=1, le=2**63 - 1)]


class MemberProfile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(None, min_length=1, max_length=200)
    bio: str | None = Field(None, max_length=5000)
    region: str | None = Field(None, max_length=60)
    languages: list[str] | None = Field(None, max_length=20)
    expertise: list[str] | None = Field(None, max_length=20)
    viewpoint_group: str | None = Field(None, max_length=60)


class MemberCreate(MemberProfile):
    """A proposal to add a member: name and the charter's viewpoint group are required."""

    name: str = Field(min_length=1, max_length=200)
    viewpoint_group: str = Field(min_length=1, max_length=60)
    reason: str = Field("", max_length=5000)


class MemberUpdate(MemberProfile):
    """A proposal to change a member (profile fields, or `active`: false deactivates, true reactivates)."""

    active: bool | None = None
    key_name: str | None = Field(None, max_length=200, description="Refused: keys are issued to the member.")
    reason: str = Field("", max_length=5000)


class ChangeCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: Literal["add", "update", "deactivate", "reactivate", "remove", "reissue_key"]
    member_id: int | None = Field(None, ge=1, le=2**63 - 1)
    changes: dict[str, Any] = Field(default_factory=dict)
    reason: str = Field("", max_length=5000)


class Reason(BaseModel):
    reason: str = Field("", max_length=5000)


class Enrolment(BaseModel):
    code: str = Field(min_length=3, max_length=200, description="Both halves of the enrolment code: 'A.B'.")


def _proposal(row: Any, half: str | None, role: str) -> dict[str, Any]:
    out: dict[str, Any] = {"change": governance.public_view(row)}
    if half is not None:
        out["enrolment_code_half"] = half
        out["note"] = (
            f"Hand this {role} half of the enrolment code to the member yourself; the other admin hands over the "
            "other half. It is shown once."
        )
    return out


@router.get("/council/charter", dependencies=[PUBLIC])
def get_charter() -> dict[str, Any]:
    """The charter in force (version, digest, panel size, notice, cooldown, viewpoint groups, rule parameters)."""
    return charter.current()


@router.get("/council/member-changes", dependencies=[PUBLIC])
def list_changes(session: SessionDep, pending: bool = False) -> list[dict[str, Any]]:
    """Every membership change, public while pending (packing is visible a notice period before it can act)."""
    return [governance.public_view(r) for r in governance.list_changes(session, pending_only=pending)]


@router.post("/council/member-changes", dependencies=[ADMIN], status_code=202)
def propose_change(body: ChangeCreate, session: SessionDep, caller: CallerDep) -> dict[str, Any]:
    row, half = governance.propose(
        session,
        kind=body.kind,
        actor=caller.name,
        member_id=body.member_id,
        changes=body.changes,
        reason=body.reason,
    )
    return _proposal(row, half, "first")


@router.post("/council/members", dependencies=[ADMIN], status_code=202)
def propose_member(body: MemberCreate, session: SessionDep, caller: CallerDep) -> dict[str, Any]:
    """Propose a new member (202: nothing changes until a second admin approves and the notice period passes)."""
    changes = body.model_dump(exclude={"reason"}, exclude_none=True)
    row, half = governance.propose(
        session, kind="add", actor=caller.name, changes=changes, reason=body.reason
    )
    return _proposal(row, half, "first")


@router.patch("/council/members/{member_id}", dependencies=[ADMIN], status_code=202)
def propose_update(
    member_id: Id, body: MemberUpdate, session: SessionDep, caller: CallerDep
) -> dict[str, Any]:
    """Propose a change of a member (202: pending approval and notice); `key_name` is refused (422)."""
    fields = body.model_dump(exclude_unset=True, exclude={"reason"})
    active = fields.pop("active", None)
    if active is not None and fields:
        fields["active"] = active  # refused by the domain: one proposal, one kind of change
    if active is not None and not fields:
        kind = "reactivate" if active else "deactivate"
        row, half = governance.propose(
            session, kind=kind, actor=caller.name, member_id=member_id, reason=body.reason
        )
    else:
        row, half = governance.propose(
            session, kind="update", actor=caller.name, member_id=member_id, changes=fields, reason=body.reason
        )
    return _proposal(row, half, "first")


@router.delete("/council/members/{member_id}", dependencies=[ADMIN], status_code=202)
def propose_removal(member_id: Id, session: SessionDep, caller: CallerDep) -> dict[str, Any]:
    row, half = governance.propose(session, kind="remove", actor=caller.name, member_id=member_id)
    return _proposal(row, half, "first")


@router.post("/council/member-changes/{change_id}/approve", dependencies=[ADMIN])
def approve_change(change_id: Id, session: SessionDep, caller: CallerDep) -> dict[str, Any]:
    """A second, different admin approves (403 for the proposer); effective once the notice period is over."""
    row, half = governance.approve(session, change_id=change_id, actor=caller.name)
    return _proposal(row, half, "second")


@router.post("/council/member-changes/{change_id}/cancel", dependencies=[ADMIN])
def cancel_change(change_id: Id, body: Reason, session: SessionDep, caller: CallerDep) -> dict[str, Any]:
    return governance.public_view(
        governance.cancel(session, change_id=change_id, actor=caller.name, reason=body.reason)
    )


@router.post("/council/member-changes/apply-due", dependencies=[ADMIN])
def apply_due(session: SessionDep, caller: CallerDep) -> dict[str, Any]:
    """Carry out approved changes whose notice period is over (also done before every panel draw)."""
    return {"effective": governance.apply_due(session, actor=caller.name)}


@router.post("/council/members/{member_id}/enrol", dependencies=[PUBLIC], status_code=201)
def enrol(member_id: Id, body: Enrolment, session: SessionDep) -> dict[str, Any]:
    """The member exchanges both halves of the enrolment code for their council key (shown once)."""
    member, token = governance.enrol(session, member_id=member_id, code=body.code)
    return {"member_id": member.id, "key_name": member.key_name, "token": token}


@router.post("/council/me/key", dependencies=[allow(Role.COUNCIL)], status_code=201)
def rotate_key(session: SessionDep, caller: CallerDep) -> dict[str, Any]:
    """The member rotates their own key: a new token (shown once), the old key revoked at once."""
    member, token = governance.rotate(session, key_id=caller.key_id, key_name=caller.name)
    return {"member_id": member.id, "key_name": member.key_name, "token": token}


@router.post("/council/members/{member_id}/key/revoke", dependencies=[ADMIN])
def revoke_key(member_id: Id, session: SessionDep, caller: CallerDep) -> dict[str, Any]:
    """An admin's only power over a member's key: revoke it (a new key needs a governed reissue)."""
    return members.public_profile(
        governance.revoke_key(session, member_id=member_id, actor=caller.name), session
    )


@router.post("/council/cases/{case_id}/seats/{member_id}/freeze", dependencies=[ADMIN])
def freeze_seat(
    case_id: Id, member_id: Id, body: Reason, session: SessionDep, caller: CallerDep
) -> dict[str, Any]:
    """Freeze a compromised seat at once: its vote counts as absent; it is never refilled for this case."""
    governance.freeze_seat(
        session, case_id=case_id, member_id=member_id, actor=caller.name, reason=body.reason
    )
    return cases.case_view(session, cases.get_case(session, case_id), show_votes=False)


@router.get("/council/rereferrals", dependencies=[PUBLIC])
def rereferrals(session: SessionDep) -> list[dict[str, Any]]:
    """Actions the council is asked about again, with the new evidence cited (public by design)."""
    return cases.rereferrals(session)


@router.get("/council/cases/{case_id}/file", dependencies=[allow(Role.COUNCIL)])
def case_file(case_id: Id, session: SessionDep, caller: CallerDep) -> dict[str, Any]:
    """The case file for the panel only: posts, strikes, prior actions and statements, reports without the
    reporters' identities, and moderators' private notes."""
    return casefile.for_panelist(session, case_id=case_id, key_name=caller.name, key_id=caller.key_id)
