"""Council API: members, referrals, panels, votes, public decisions, recommendations; advisory polls.

Votes go through here with the one `council` key bound to a seated member (issued to the member at enrolment).
Membership changes are governed (second admin + public notice): see `council_governance.py`. Decisions and recommendations
are public. Applying a decision is possible only when it is binding (the domain refuses otherwise); there is no
other route that touches an enforcement action.
"""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel, ConfigDict, Field

from townsquare.api.deps import CallerDep, SessionDep
from townsquare.api.security import Role, allow
from townsquare.api.types import MAX_OFFSET, IntId
from townsquare.council import cases, decisions, members, polls, recommendations, viewpoints

router = APIRouter(prefix="/api/v1", tags=["council"])
PUBLIC = allow(Role.PUBLIC)
ADMIN = allow(Role.ADMIN)
STAFF = (Role.ADMIN, Role.MODERATOR)


class ReferralCreate(BaseModel):
    question: str = Field(min_length=1, max_length=10_000)
    action_id: IntId | None = None
    case_id: IntId | None = None
    subject_type: Literal["post", "account"] | None = None
    subject_id: str | None = Field(None, max_length=200)
    new_evidence: str | None = Field(
        None, max_length=10_000, description="Required to re-refer an action the council already decided."
    )


class PanelDraw(BaseModel):
    """No fields: the panel's size comes from the case's charter, never from the caller (extra fields → 422)."""

    model_config = ConfigDict(extra="forbid")


class VoteCreate(BaseModel):
    vote: Literal["uphold", "overturn", "modify", "abstain"]
    modify_to: Literal["suspend", "label"] | None = Field(
        None,
        description="With `modify`: replace the ban by a time-limited suspension, or restore with a label.",
    )
    rationale: str = Field(max_length=20_000, description="Required; an empty rationale is refused (422).")


class RecommendationCreate(BaseModel):
    text_en: str = Field(max_length=10_000)
    text_fr: str = Field(max_length=10_000)


class RecommendationAnswer(BaseModel):
    answer: Literal["accepted", "rejected"]
    reason: str = Field("", max_length=10_000)


class PollCreate(BaseModel):
    question: str = Field(min_length=1, max_length=2000)
    days: int = Field(7, ge=1, le=90)
    eligibility: dict[str, Any] | None = None


class PollVoteCreate(BaseModel):
    account_id: str = Field(min_length=1, max_length=200)
    value: float = Field(ge=0, le=1, description="1 support, 0.5 partly, 0 oppose")


class CommunityVoteIn(BaseModel):
    item: str = Field(min_length=1, max_length=200)
    account_id: str = Field(min_length=1, max_length=200)
    value: float = Field(ge=0, le=1, description="1 support, 0.5 partly, 0 oppose")


class CommunityVotesCreate(BaseModel):
    votes: list[CommunityVoteIn] = Field(min_length=1, max_length=polls.MAX_BATCH)


# --- members -----------------------------------------------------------------------------------------------------


@router.get("/council/members", dependencies=[PUBLIC])
def list_members(session: SessionDep) -> list[dict[str, Any]]:
    """Public profiles, declared attributes and measured positions on the viewpoint axis."""
    return [members.public_profile(m, session) for m in members.list_members(session)]


@router.get("/council/members/{member_id}", dependencies=[PUBLIC])
def get_member(member_id: IntId, session: SessionDep) -> dict[str, Any]:
    return members.public_profile(members.get(session, member_id), session)


@router.post("/council/viewpoints/refresh", dependencies=[ADMIN])
def refresh_viewpoints(session: SessionDep, include_community: bool = False) -> dict[str, Any]:
    return {"positions": viewpoints.refresh(session, include_community=include_community)}


# --- cases -------------------------------------------------------------------------------------------------------


@router.post("/council/cases", dependencies=[allow(*STAFF)], status_code=201)
def refer_case(body: ReferralCreate, session: SessionDep, caller: CallerDep) -> dict[str, Any]:
    """A moderator refers a hard case; an admin refers a platform policy question."""
    origin = "platform" if caller.role is Role.ADMIN else "moderator"
    ccase = cases.refer(session, origin=origin, referred_by=caller.name, **body.model_dump())
    return cases.case_view(session, ccase, show_votes=False)


@router.get("/council/cases", dependencies=[allow(*STAFF, Role.COUNCIL)])
def list_cases(session: SessionDep, status: str | None = None) -> list[dict[str, Any]]:
    from sqlalchemy import select

    from townsquare.storage.models import CouncilCase

    q = select(CouncilCase).order_by(CouncilCase.id.desc())
    if status:
        q = q.where(CouncilCase.status == status)
    return [cases.case_view(session, c, show_votes=c.status != "open") for c in session.scalars(q.limit(200))]


@router.get("/council/cases/{case_id}", dependencies=[allow(*STAFF, Role.COUNCIL)])
def get_case(case_id: IntId, session: SessionDep) -> dict[str, Any]:
    """Individual votes stay sealed until the case is decided."""
    ccase = cases.get_case(session, case_id)
    out = cases.case_view(session, ccase, show_votes=ccase.status != "open")
    out["polls"] = [polls.results(session, p.id) for p in polls.for_case(session, case_id)]
    return out


@router.post("/council/cases/{case_id}/panel", dependencies=[ADMIN], status_code=201)
def draw_panel(case_id: IntId, body: PanelDraw, session: SessionDep, caller: CallerDep) -> dict[str, Any]:
    cases.draw_panel(session, case_id=case_id, actor=caller.name)
    return cases.case_view(session, cases.get_case(session, case_id), show_votes=False)


@router.post("/council/cases/{case_id}/votes", dependencies=[allow(Role.COUNCIL)], status_code=201)
def cast_vote(case_id: IntId, body: VoteCreate, session: SessionDep, caller: CallerDep) -> dict[str, Any]:
    """A panel member's vote with its written rationale; the last vote of the panel decides the case."""
    row = cases.cast_vote(
        session,
        case_id=case_id,
        key_name=caller.name,
        key_id=caller.key_id,
        vote=body.vote,
        rationale=body.rationale,
        modify_to=body.modify_to,
    )
    ccase = cases.get_case(session, case_id)
    return {"id": row.id, "council_case_id": case_id, "vote": row.vote, "case_status": ccase.status}


@router.post(
    "/council/cases/{case_id}/decide", dependencies=[allow(Role.ADMIN, Role.COUNCIL)], status_code=201
)
def decide(case_id: IntId, session: SessionDep, caller: CallerDep) -> dict[str, Any]:
    """Decide once every panel member has voted or the deadline has passed (409 before)."""
    d = decisions.decide(session, case_id=case_id, actor=caller.name)
    return decisions.public_view(session, d)


@router.post("/council/close-due", dependencies=[ADMIN])
def close_due(session: SessionDep, caller: CallerDep) -> dict[str, Any]:
    return {"decided": cases.close_due(session, actor=caller.name)}


# --- decisions and recommendations -------------------------------------------------------------------------------


@router.get("/council/decisions", dependencies=[PUBLIC])
def list_decisions(
    session: SessionDep,
    lang: Literal["en", "fr"] | None = None,
    limit: int = Query(50, ge=1, le=200),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
) -> list[dict[str, Any]]:
    """Published decisions (FR + EN): outcome, panel, votes, majority and dissenting rationales."""
    return [
        decisions.public_view(session, d, lang=lang)
        for d in decisions.list_decisions(session, limit=limit, offset=offset)
    ]


@router.get("/council/decisions/{decision_id}", dependencies=[PUBLIC])
def get_decision(
    decision_id: IntId, session: SessionDep, lang: Literal["en", "fr"] | None = None
) -> dict[str, Any]:
    return decisions.public_view(session, decisions.get_decision(session, decision_id), lang=lang)


@router.post("/council/decisions/{decision_id}/apply", dependencies=[ADMIN])
def apply_decision(decision_id: IntId, session: SessionDep, caller: CallerDep) -> dict[str, Any]:
    """Retry applying a binding decision (403 when it is not binding: the status quo stands)."""
    d = decisions.apply(session, decision_id=decision_id, actor=caller.name)
    return decisions.public_view(session, d)


@router.post(
    "/council/decisions/{decision_id}/recommendations", dependencies=[allow(Role.COUNCIL)], status_code=201
)
def add_recommendation(
    decision_id: IntId, body: RecommendationCreate, session: SessionDep, caller: CallerDep
) -> dict[str, Any]:
    row = recommendations.add(
        session, decision_id=decision_id, text_en=body.text_en, text_fr=body.text_fr, key_name=caller.name
    )
    return recommendations.public_view(row)


@router.get("/council/recommendations", dependencies=[PUBLIC])
def list_recommendations(session: SessionDep, overdue: bool = False) -> list[dict[str, Any]]:
    """Every recommendation with the platform's answer; unanswered ones past their deadline show overdue."""
    return [recommendations.public_view(r) for r in recommendations.list_all(session, only_overdue=overdue)]


@router.post("/council/recommendations/{recommendation_id}/answer", dependencies=[ADMIN])
def answer_recommendation(
    recommendation_id: IntId, body: RecommendationAnswer, session: SessionDep, caller: CallerDep
) -> dict[str, Any]:
    row = recommendations.answer(
        session,
        recommendation_id=recommendation_id,
        answer=body.answer,
        reason=body.reason,
        actor=caller.name,
    )
    return recommendations.public_view(row)


# --- polls (advisory) --------------------------------------------------------------------------------------------


@router.post(
    "/council/cases/{case_id}/polls", dependencies=[allow(Role.ADMIN, Role.COUNCIL)], status_code=201
)
def create_poll(case_id: IntId, body: PollCreate, session: SessionDep, caller: CallerDep) -> dict[str, Any]:
    poll = polls.create(
        session,
        council_case_id=case_id,
        question=body.question,
        actor=caller.name,
        days=body.days,
        eligibility=body.eligibility,
    )
    return polls.results(session, poll.id)


@router.get("/polls/{poll_id}", dependencies=[PUBLIC])
def poll_results(poll_id: IntId, session: SessionDep) -> dict[str, Any]:
    """Raw and bridged results, marked advisory."""
    return polls.results(session, poll_id)


@router.post("/polls/{poll_id}/votes", dependencies=[allow(Role.INGEST, Role.ADMIN)], status_code=201)
def poll_vote(poll_id: IntId, body: PollVoteCreate, session: SessionDep, caller: CallerDep) -> dict[str, Any]:
    """The platform relays one account's vote (one account, one vote; eligibility checked)."""
    row = polls.vote(
        session, poll_id=poll_id, account_id=body.account_id, value=float(body.value), actor=caller.name
    )
    return {"id": row.id, "poll_id": poll_id, "account_id": row.account_id, "value": row.value}


@router.post("/community/votes", dependencies=[allow(Role.INGEST, Role.ADMIN)])
def community_votes(body: CommunityVotesCreate, session: SessionDep, caller: CallerDep) -> dict[str, int]:
    """The community's ratings of other items: the history the bridged poll reading is fitted on."""
    created, unchanged = polls.add_history(
        session, votes=[v.model_dump() for v in body.votes], actor=caller.name
    )
    return {"created": created, "unchanged": unchanged}
