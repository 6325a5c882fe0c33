"""Referrals, panel draws and votes.

Referrals come from appeals against permanent bans (always, via moderation.appeals), from moderators (hard
cases) and from the platform (policy questions). A referral is recorded even when no panel can be drawn yet
(nothing accepted is lost); `draw_panel` can be retried once enough members without a conflict exist. The
panel's positions are fixed at draw time, from the history before this case, and the decision rule splits the
panel by them — so no vote cast on this case can move a member to the other side.
"""

from __future__ import annotations

import contextlib
from datetime import timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from townsquare import audit
from townsquare.core import clock
from townsquare.core.errors import Conflict, Forbidden, Invalid, NotFound
from townsquare.council import panel, viewpoints
from townsquare.settings import get_settings
from townsquare.storage.models import Action, Case, CouncilCase, CouncilMember, CouncilVote, PanelSeat, Post

ORIGINS = ("appeal", "moderator", "platform")
VOTES = ("uphold", "overturn", "abstain")
MAX_RATIONALE = 20_000
MIN_PANEL = 3


def get_case(session: Session, case_id: int, *, lock: bool = False) -> CouncilCase:
    """The case; with `lock`, its row is locked until the transaction ends (PostgreSQL `FOR UPDATE`; SQLite
    transactions are already serialised by `BEGIN IMMEDIATE`), so the last two votes of a panel, or two
    concurrent decisions, cannot both miss or both take the decision."""
    q = select(CouncilCase).where(CouncilCase.id == case_id)
    if lock:
        q = q.with_for_update().execution_options(populate_existing=True)
    ccase = session.scalars(q).first()
    if ccase is None:
        raise NotFound(f"council case {case_id} not found", council_case_id=case_id)
    return ccase


def _subject_of(
    session: Session, action_id: int | None, case_id: int | None
) -> tuple[str | None, str | None]:
    if action_id is not None:
        action = session.get(Action, action_id)
        if action is None:
            raise NotFound(f"action {action_id} not found", action_id=action_id)
        return action.subject_type, action.account_id or action.post_id
    if case_id is not None:
        case = session.get(Case, case_id)
        if case is None:
            raise NotFound(f"case {case_id} not found", case_id=case_id)
        return case.subject_type, case.account_id or case.post_id
    return None, None


def refer(
    session: Session,
    *,
    origin: str,
    question: str,
    referred_by: str,
    appeal_id: int | None = None,
    action_id: int | None = None,
    case_id: int | None = None,
    subject_type: str | None = None,
    subject_id: str | None = None,
    panel_size: int | None = None,
    deadline_days: int | None = None,
) -> CouncilCase:
    """Record a referral, then try to draw its panel. An appeal already referred returns its existing case."""
    if origin not in ORIGINS:
        raise Invalid(f"origin must be one of {', '.join(ORIGINS)}", origin=origin)
    question = (question or "").strip()
    if not question:
        raise Invalid("a referral needs the question the council must answer")
    if origin == "appeal" and (appeal_id is None or action_id is None):
        raise Invalid("an appeal referral needs appeal_id and action_id")
    if appeal_id is not None:
        existing = session.scalars(select(CouncilCase).where(CouncilCase.appeal_id == appeal_id)).first()
        if existing is not None:
            return existing
    stype, sid = _subject_of(session, action_id, case_id)
    stype, sid = stype or subject_type, sid or subject_id
    if stype is not None and stype not in ("post", "account"):
        raise Invalid("subject_type must be post or account")
    if stype == "post" and sid and session.get(Post, sid) is None:
        raise NotFound(f"post {sid!r} not found")
    settings = get_settings()
    days = deadline_days if deadline_days is not None else settings.council_deadline_days
    ccase = CouncilCase(
        origin=origin,
        question=question,
        appeal_id=appeal_id,
        action_id=action_id,
        case_id=case_id,
        subject_type=stype,
        subject_id=sid,
        status="open",
        deadline=clock.now() + timedelta(days=days),
        referred_by=referred_by or "",
        created_at=clock.now(),
    )
    session.add(ccase)
    session.flush()
    audit.append(
        session,
        actor=referred_by or "system",
        event="council.referral",
        subject_type="council_case",
        subject_id=str(ccase.id),
        payload={
            "origin": origin,
            "question": question,
            "appeal_id": appeal_id,
            "action_id": action_id,
            "case_id": case_id,
            "subject": [stype, sid],
            "deadline": ccase.deadline.isoformat(),
            "states": [{"type": "council_case", "id": str(ccase.id), "status": ccase.status}],
        },
    )
    # not enough members without a conflict yet: the case waits for `draw_panel`
    with contextlib.suppress(Conflict):
        draw_panel(session, case_id=ccase.id, size=panel_size, actor="system")
    return ccase


def seats(session: Session, case_id: int) -> list[PanelSeat]:
    return list(
        session.scalars(select(PanelSeat).where(PanelSeat.council_case_id == case_id).order_by(PanelSeat.id))
    )


def draw_panel(session: Session, *, case_id: int, size: int | None = None, actor: str) -> list[PanelSeat]:
    """Seat a panel for an open case that has none yet (Conflict when too few members are eligible)."""
    ccase = get_case(session, case_id)
    if ccase.status != "open":
        raise Conflict(f"council case {case_id} is {ccase.status}")
    existing = seats(session, case_id)
    if existing:
        raise Conflict(f"council case {case_id} already has a panel", panel=[s.member_id for s in existing])
    n = size if size is not None else get_settings().council_panel_size
    if n < MIN_PANEL:
        raise Invalid(f"a panel needs at least {MIN_PANEL} members")
    kf = viewpoints.fit_history(session, exclude_cases=[case_id])
    by_key = viewpoints.standardised_positions(kf) if kf else {}
    positions = {int(k[1:]): v for k, v in by_key.items()}
    cands, excluded = panel.candidates(session, ccase, positions)
    if len(cands) < n:
        raise Conflict(
            f"only {len(cands)} council members are eligible for case {case_id}; a panel needs {n}",
            eligible=len(cands),
            conflicted=excluded,
        )
    chosen = panel.choose(cands, n, seed=case_id)
    now = clock.now()
    rows = [
        PanelSeat(council_case_id=case_id, member_id=c.member.id, viewpoint_at_draw=c.position, drawn_at=now)
        for c in chosen
    ]
    session.add_all(rows)
    session.flush()
    audit.append(
        session,
        actor=actor,
        event="council.panel_drawn",
        subject_type="council_case",
        subject_id=str(case_id),
        payload={
            "panel": [{"member_id": r.member_id, "position": r.viewpoint_at_draw} for r in rows],
            "excluded_for_conflict": excluded,
            "candidates": len(cands),
        },
    )
    return rows


def member_for_key(session: Session, key_name: str) -> CouncilMember:
    member = session.scalars(select(CouncilMember).where(CouncilMember.key_name == key_name)).first()
    if member is None or not member.active:
        raise Forbidden(f"key {key_name!r} does not belong to an active council member")
    return member


def cast_vote(session: Session, *, case_id: int, key_name: str, vote: str, rationale: str) -> CouncilVote:
    """One vote per panel member, with a written rationale; the last vote of a full panel decides the case."""
    ccase = get_case(session, case_id, lock=True)
    member = member_for_key(session, key_name)
    if vote not in VOTES:
        raise Invalid(f"vote must be one of {', '.join(VOTES)}", vote=vote)
    rationale = (rationale or "").strip()
    if not rationale:
        raise Invalid("a vote needs a written rationale")
    if len(rationale) > MAX_RATIONALE:
        raise Invalid(f"rationale longer than {MAX_RATIONALE} characters")
    if ccase.status != "open":
        raise Conflict(f"council case {case_id} is {ccase.status}; voting is closed")
    if clock.now() > clock.as_utc(ccase.deadline):
        raise Conflict(f"the deadline of council case {case_id} has passed")
    panel_ids = [s.member_id for s in seats(session, case_id)]
    if member.id not in panel_ids:
        raise Forbidden(f"member {member.id} is not on the panel of council case {case_id}")
    already = session.scalars(
        select(CouncilVote).where(CouncilVote.council_case_id == case_id, CouncilVote.member_id == member.id)
    ).first()
    if already is not None:
        raise Conflict(f"member {member.id} already voted on council case {case_id}", vote_id=already.id)
    row = CouncilVote(
        council_case_id=case_id, member_id=member.id, vote=vote, rationale=rationale, created_at=clock.now()
    )
    session.add(row)
    session.flush()
    audit.append(
        session,
        actor=key_name,
        event="council.vote",
        subject_type="council_case",
        subject_id=str(case_id),
        payload={"member_id": member.id, "vote": vote, "rationale": rationale, "vote_id": row.id},
    )
    voted = set(session.scalars(select(CouncilVote.member_id).where(CouncilVote.council_case_id == case_id)))
    if set(panel_ids) <= voted:
        from townsquare.council import decisions

        decisions.decide(session, case_id=case_id, actor="council")
    return row


def close_due(session: Session, *, actor: str = "system") -> list[int]:
    """Decide every open case whose deadline has passed with the votes it has; returns their ids."""
    from townsquare.council import decisions

    now = clock.now()
    due = [
        c.id
        for c in session.scalars(
            select(CouncilCase).where(CouncilCase.status == "open").order_by(CouncilCase.id)
        )
        if clock.as_utc(c.deadline) <= now
    ]
    for cid in due:
        decisions.decide(session, case_id=cid, actor=actor, at_deadline=True)
    return due


def case_view(session: Session, ccase: CouncilCase, *, show_votes: bool) -> dict[str, Any]:
    """The case as the council and moderators see it; individual votes stay sealed until the decision."""
    members = {m.id: m for m in session.scalars(select(CouncilMember))}
    votes = list(session.scalars(select(CouncilVote).where(CouncilVote.council_case_id == ccase.id)))
    out: dict[str, Any] = {
        "id": ccase.id,
        "origin": ccase.origin,
        "question": ccase.question,
        "appeal_id": ccase.appeal_id,
        "action_id": ccase.action_id,
        "case_id": ccase.case_id,
        "subject_type": ccase.subject_type,
        "subject_id": ccase.subject_id,
        "status": ccase.status,
        "deadline": clock.as_utc(ccase.deadline).isoformat(),
        "referred_by": ccase.referred_by,
        "created_at": clock.as_utc(ccase.created_at).isoformat(),
        "panel": [
            {
                "member_id": s.member_id,
                "name": members[s.member_id].name if s.member_id in members else "",
                "position_at_draw": s.viewpoint_at_draw,
                "voted": any(v.member_id == s.member_id for v in votes),
            }
            for s in seats(session, ccase.id)
        ],
        "votes_cast": len(votes),
    }
    if show_votes:
        out["votes"] = [
            {
                "member_id": v.member_id,
                "vote": v.vote,
                "rationale": v.rationale,
                "at": clock.as_utc(v.created_at).isoformat(),
            }
            for v in votes
        ]
    return out
