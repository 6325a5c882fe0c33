"""Council members: public profiles with optional declared attributes, and their measured viewpoint.

Membership changes go through `council.governance` (a second admin and a public notice period). `create` here
only seats the *founding* roster: it is refused once the council has heard its first case, so it cannot be used
to pack a sitting council.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from townsquare import audit
from townsquare.core import clock
from townsquare.core.errors import Conflict, Forbidden, Invalid, NotFound
from townsquare.storage.models import CouncilCase, CouncilMember, CouncilVote, PanelSeat

FIELDS = ("name", "bio", "region", "languages", "expertise", "viewpoint_group")


def clean_list(value: Any, field: str) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(x, str) for x in value):
        raise Invalid(f"{field} must be a list of strings")
    return sorted({x.strip() for x in value if x.strip()})


def create(
    session: Session,
    *,
    name: str,
    key_name: str | None,
    actor: str,
    bio: str = "",
    region: str | None = None,
    languages: list[str] | None = None,
    expertise: list[str] | None = None,
    viewpoint_group: str | None = None,
) -> CouncilMember:
    """Seat a founding member (refused once the council has heard a case: use a governed proposal)."""
    if session.scalar(select(func.count()).select_from(CouncilCase)):
        raise Forbidden(
            "the founding roster is closed: the council has heard cases; propose the change instead "
            "(a second admin approves it and it takes effect after the public notice period)"
        )
    name = (name or "").strip()
    if not name:
        raise Invalid("a council member needs a public name")
    if key_name and session.scalars(select(CouncilMember).where(CouncilMember.key_name == key_name)).first():
        raise Conflict(f"key name {key_name!r} already belongs to a council member")
    member = CouncilMember(
        name=name,
        key_name=key_name or None,
        bio=(bio or "").strip(),
        region=(region or "").strip() or None,
        languages=clean_list(languages, "languages"),
        expertise=clean_list(expertise, "expertise"),
        viewpoint_group=(viewpoint_group or "").strip() or None,
        active=True,
        created_at=clock.now(),
    )
    session.add(member)
    session.flush()
    if key_name:
        from townsquare.storage.models import ApiKey

        member.key_id = session.scalar(select(ApiKey.id).where(ApiKey.name == key_name))
    audit.append(
        session,
        actor=actor,
        event="council.member_added",
        subject_type="council_member",
        subject_id=str(member.id),
        payload=public_profile(member),
    )
    return member


def get(session: Session, member_id: int) -> CouncilMember:
    member = session.get(CouncilMember, member_id)
    if member is None:
        raise NotFound(f"council member {member_id} not found")
    return member


def list_members(session: Session, *, include_inactive: bool = True) -> list[CouncilMember]:
    q = select(CouncilMember).order_by(CouncilMember.id)
    if not include_inactive:
        q = q.where(CouncilMember.active.is_(True))
    return list(session.scalars(q))


def public_profile(member: CouncilMember, session: Session | None = None) -> dict[str, Any]:
    """What anyone may see: the profile, declared attributes, measured position and participation."""
    out: dict[str, Any] = {
        "id": member.id,
        "name": member.name,
        "bio": member.bio,
        "region": member.region,
        "languages": member.languages or [],
        "expertise": member.expertise or [],
        "active": member.active,
        "viewpoint": member.viewpoint,
        "viewpoint_group": member.viewpoint_group,
        "enrolled": member.key_id is not None or bool(member.key_name),
        "publishes_name": bool(member.publish_name),
    }
    if session is not None:
        out["votes"] = session.scalar(select(func.count()).where(CouncilVote.member_id == member.id)) or 0
        out["panels"] = session.scalar(select(func.count()).where(PanelSeat.member_id == member.id)) or 0
    return out
