"""Enforcement actions for moderators and admins: list on a post or account, take a manual action, reverse.

No route here lifts a permanent ban: reversing one answers 403 (only a binding council decision lifts it).
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any, Literal

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field

from townsquare.api.deps import CallerDep, SessionDep
from townsquare.api.security import Role, allow
from townsquare.api.types import BoundedDatetime, IntId
from townsquare.core import clock
from townsquare.core.enums import ActionType
from townsquare.notices.manual import take_manual_action
from townsquare.policy import enforce, runtime
from townsquare.policy.status import author_notice
from townsquare.storage.models import Action

router = APIRouter(prefix="/api/v1", tags=["actions"])
STAFF = allow(Role.ADMIN, Role.MODERATOR)


class ActionCreate(BaseModel):
    """A manual action taken by a person under a named rule."""

    subject_type: Literal["post", "account"]
    subject_id: str = Field(min_length=1, max_length=200)
    action: ActionType
    rule_id: str = Field(min_length=1, max_length=120, description="area.name or area.name@version")
    explanation: str = Field(
        min_length=1,
        max_length=5000,
        description="Public, for the author: quoted in the statement and notice.",
    )
    private_note: str = Field(
        "", max_length=5000, description="Private: moderators, council panel, auditors."
    )
    reason: str = Field("", max_length=5000, description="Old name of `private_note` (never published).")
    source_type: Literal[
        "SOURCE_ARTICLE_16", "SOURCE_TRUSTED_FLAGGER", "SOURCE_TYPE_OTHER_NOTIFICATION", "SOURCE_VOLUNTARY"
    ] = "SOURCE_VOLUNTARY"
    ends_at: BoundedDatetime | None = Field(
        None, description="End of a suspension (default: the policy's length)."
    )
    case_id: IntId | None = None


class ActionReverse(BaseModel):
    reason: str = Field(min_length=1, max_length=5000)


class ActionPublic(BaseModel):
    id: int
    puid: str
    subject_type: str
    post_id: str | None
    account_id: str | None
    action: str
    status: str
    rule: str
    policy_version: str
    fired_rules: list[Any]
    actor_kind: str
    actor: str
    automated: bool
    source_type: str
    reason: str
    explanation: str
    case_id: IntId | None
    ends_at: BoundedDatetime | None
    created_at: BoundedDatetime
    reversed_at: datetime | None
    reversed_by: str | None
    reversal_reason: str | None
    statement: dict[str, Any]

    @classmethod
    def of(cls, a: Action) -> ActionPublic:
        return cls(
            id=a.id,
            puid=a.puid,
            subject_type=a.subject_type,
            post_id=a.post_id,
            account_id=a.account_id,
            action=a.action,
            status=a.status,
            rule=f"{a.rule_id}@{a.rule_version}",
            policy_version=a.policy_version,
            fired_rules=list(a.fired_rules or []),
            actor_kind=a.actor_kind,
            actor=a.actor,
            automated=a.automated,
            source_type=a.source_type,
            reason=a.reason,
            explanation=a.explanation or "",
            case_id=a.case_id,
            ends_at=a.ends_at,
            created_at=a.created_at,
            reversed_at=a.reversed_at,
            reversed_by=a.reversed_by,
            reversal_reason=a.reversal_reason,
            statement=dict(a.statement or {}),
        )


@router.get("/posts/{post_id:path}/actions", dependencies=[STAFF])
def post_actions(post_id: str, session: SessionDep) -> list[ActionPublic]:
    """Every action on a post, newest first."""
    return [ActionPublic.of(a) for a in enforce.list_actions(session, post_id=post_id)]


@router.get("/accounts/{account_id:path}/actions", dependencies=[STAFF])
def account_actions(account_id: str, session: SessionDep) -> list[ActionPublic]:
    """Every action on an account and on its posts, newest first."""
    return [ActionPublic.of(a) for a in enforce.list_actions(session, account_id=account_id)]


@router.get("/actions/{action_id}", dependencies=[STAFF])
def get_action(action_id: IntId, session: SessionDep) -> ActionPublic:
    return ActionPublic.of(enforce.get_action(session, action_id))


@router.get("/actions/{action_id}/notice", dependencies=[STAFF])
def get_notice(
    action_id: IntId, session: SessionDep, lang: Literal["fr", "en"] | None = Query(None)
) -> dict[str, Any]:
    """The author's notice (French or English; by default the post's language)."""
    return author_notice(session, enforce.get_action(session, action_id), lang)


@router.post("/actions", dependencies=[STAFF], status_code=201)
def create_action(body: ActionCreate, session: SessionDep, caller: CallerDep) -> JSONResponse:
    """Take a manual action as a person (moderator or admin) with a rule, a public explanation and an optional
    private note. On a reported subject it answers the reports: `SOURCE_ARTICLE_16`, case closed, reporters told."""
    ends_at = clock.as_utc(body.ends_at) if body.ends_at else None
    row = take_manual_action(
        session,
        subject_type=body.subject_type,
        subject_id=body.subject_id,
        action=body.action,
        rule_id=body.rule_id,
        actor=caller.name,
        explanation=body.explanation,
        private_note=body.private_note or body.reason,
        source_type=body.source_type,
        case_id=body.case_id,
        ends_at=ends_at,
    )
    return JSONResponse(ActionPublic.of(row).model_dump(mode="json"), status_code=201)


@router.post("/actions/{action_id}/reverse", dependencies=[STAFF])
def reverse(action_id: IntId, body: ActionReverse, session: SessionDep, caller: CallerDep) -> ActionPublic:
    """Reverse an action. A permanent ban answers 403: only a binding council decision lifts one."""
    return ActionPublic.of(
        enforce.reverse_action(session, action_id=action_id, actor=caller.name, reason=body.reason)
    )


class CeilingUpdate(BaseModel):
    value: Literal["none", "label", "limit_reach", "age_restrict", "remove"]


@router.get("/policy", dependencies=[allow(Role.PUBLIC)])
def get_policy(session: SessionDep) -> dict[str, Any]:
    """The community standards in force: every rule with its id@version, condition, action and FR/EN texts."""
    return runtime.public_policy(session)


@router.put("/policy/automation-ceiling", dependencies=[allow(Role.ADMIN)])
def put_ceiling(body: CeilingUpdate, session: SessionDep, caller: CallerDep) -> dict[str, str]:
    """Set the strongest post action automation may take alone (audited)."""
    return {
        "automation_ceiling": runtime.set_automation_ceiling(
            session, value=body.value, actor=caller.name
        ).value
    }


@router.get("/statements", dependencies=[allow(Role.ADMIN, Role.AUDITOR)], response_model=None)
def export_statements(
    session: SessionDep,
    since: BoundedDatetime = Query(..., description="Actions taken on/after (ISO 8601 date or time)."),
) -> Response:
    """Statements of reasons as DSA Transparency Database JSON lines (application/x-ndjson), oldest first."""
    from townsquare.transparency.statements import iter_statements

    lines = "".join(
        json.dumps(st, ensure_ascii=False, sort_keys=True) + "\n"
        for st in iter_statements(session, clock.as_utc(since))
    )
    return Response(lines, media_type="application/x-ndjson")


@router.get("/audit/verify", dependencies=[allow(Role.ADMIN, Role.AUDITOR)])
def audit_verify(session: SessionDep) -> dict[str, Any]:
    """Recompute the audit chain, the statement digests and the statuses the chain explains; name what is bad."""
    from townsquare.audit import verify
    from townsquare.audit.crosscheck import verify_actions
    from townsquare.audit.state import verify_states

    count, problem = verify(session)
    n_actions, bad = verify_actions(session)
    n_rows, bad_rows = verify_states(session)
    return {
        "ok": problem is None and bad is None and not bad_rows,
        "records": count,
        "first_bad_record": {"seq": problem.seq, "reason": problem.reason} if problem else None,
        "actions": n_actions,
        "first_bad_action": {"id": bad.action_id, "puid": bad.puid, "reason": bad.reason} if bad else None,
        "state_rows": n_rows,
        "unexplained_states": [
            {
                "type": r.kind,
                "id": r.row_id,
                "status": r.status,
                "expected": r.expected,
                "record_seq": r.seq,
                "reason": r.describe(),
            }
            for r in bad_rows
        ],
    }
