"""Access administration over the API: end web console sessions ("sign out everywhere")."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, Field

from townsquare.access import sessions
from townsquare.api.deps import CallerDep, SessionDep
from townsquare.api.security import Role, allow

router = APIRouter(prefix="/api/v1", tags=["access"])


class SignOutRequest(BaseModel):
    key_name: str | None = Field(None, max_length=200, description="Only this key's sessions; omit for all.")


@router.post("/sessions/sign-out-everywhere", dependencies=[allow(Role.ADMIN)])
def sign_out_everywhere(body: SignOutRequest, session: SessionDep, caller: CallerDep) -> dict[str, Any]:
    """End every live web console session (or those of one key) at once; audited."""
    return {"ended": sessions.sign_out_everywhere(session, actor=caller.name, key_name=body.key_name)}
