"""Referrals, panel draws and votes.

Referrals come from appeals against permanent bans (always, via moderation.appeals), from moderators (hard
cases) and from the platform (policy questions). A referral is recorded even when no panel can be drawn yet
(nothing accepted is lost); `draw_panel` can be retried once enough members without a conflict exist. The
panel's positions are fixed at draw time, from the history before this case, and the decision rule splits the
panel by them — so no vote cast on this case can move a member to the other side.

One case per action (issue 11): at most one open case concerns an enforcement action — an appeal arriving while
another case on its action is open joins that case — and a decided action is re-referred only with new evidence,
after the charter's cooldown, publicly (`council.rereferral` in the audit log, `rereferrals()` in the API). The
panel size, deadline and rule parameters come from the charter snapshotted into the case at referral, never from
the caller. A vote is accepted only from the one key bound to a seated member, on a seat that is not frozen.
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
from townsquare.council import charter, panel, viewpoints
from townsquare.storage.models import Action, Case, CouncilCase, CouncilMember, CouncilVote, PanelSeat, Post

ORIGINS = ("appeal", "moderator", "platform")
VOTES = ("uphold", "overturn", "modify", "abstain")
MODIFY_TO = ("suspend", "label")
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
        # a post action also carries its author's account id: the subject is the post
        return action.subject_type, action.post_id if action.subject_type == "post" else action.account_id
    if case_id is not None:
        case = session.get(Case, case_id)
        if case is None:
            raise NotFound(f"case {case_id} not found", case_id=case_id)
        return case.subject_type, case.post_id if case.subject_type == "post" else case.account_id
    return None, None


def _open_on_action(session: Session, action_id: int) -> CouncilCase | None:
    return session.scalars(
        select(CouncilCase)
        .where(CouncilCase.action_id == action_id, CouncilCase.status == "open")
        .order_by(CouncilCase.id)
    ).first()


def _last_on_action(session: Session, action_id: int) -> CouncilCase | None:
    return session.scalars(
        select(CouncilCase).where(CouncilCase.action_id == action_id).order_by(CouncilCase.id.desc())
    ).first()


def _check_rereferral(session: Session, previous: CouncilCase, new_evidence: str | None) -> tuple[int, str]:
    """A decided action comes back only with new evidence and after the cooldown (Conflict/Invalid otherwise)."""
    from townsquare.storage.models import CouncilDecision

    evidence = (new_evidence or "").strip()
    if not evidence:
        raise Invalid(
            f"action {previous.action_id} was already decided by the council (case {previous.id}); "
            "a re-referral needs new evidence",
            previous_case_id=previous.id,
        )
    decided = session.scalar(
        select(CouncilDecision.created_at).where(CouncilDecision.council_case_id == previous.id)
    )
    since = clock.as_utc(decided or previous.created_at)
    days = int(charter.current()["rereferral_cooldown_days"])
    if clock.now() < since + timedelta(days=days):
        raise Conflict(
            f"action {previous.action_id} was decided by the council (case {previous.id}); it may be "
            f"re-referred {days} days after that decision, not before",
            previous_case_id=previous.id,
            not_before=(since + timedelta(days=days)).isoformat(),
        )
    return previous.id, evidence


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
    new_evidence: str | None = None,
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
    rereferral_of: int | None = None
    evidence: str | None = None
    if action_id is not None:
        session.get(Action, action_id, with_for_update=True)  # serialise referrals on one action
        open_case = _open_on_action(session, action_id)
        if open_case is not None:
            if origin == "appeal" and open_case.appeal_id is None:
                return _join_appeal(session, open_case, appeal_id=appeal_id, actor=referred_by)
            raise Conflict(
                f"council case {open_case.id} on action {action_id} is still open; one case per action",
                council_case_id=open_case.id,
            )
        previous = _last_on_action(session, action_id)
        if previous is not None:
            rereferral_of, evidence = _check_rereferral(session, previous, new_evidence)
    elif new_evidence:
        raise Invalid("new_evidence applies to a re-referral of an enforcement action")
    snapshot = charter.current()
    ccase = CouncilCase(
        origin=origin,
        question=question,
        appeal_id=appeal_id,
        action_id=action_id,
        case_id=case_id,
        subject_type=stype,
        subject_id=sid,
        status="open",
        deadline=clock.now() + timedelta(days=int(snapshot["deadline_days"])),
        referred_by=referred_by or "",
        created_at=clock.now(),
        charter=snapshot,
        rereferral_of=rereferral_of,
        new_evidence=evidence,
    )
    session.add(ccase)
    session.flush()
    audit.append(
        session,
        actor=referred_by or "system",
        event="council.rereferral" if rereferral_of else "council.referral",
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
            "charter": {"version": snapshot["version"], "sha256": snapshot["sha256"]},
            "rereferral_of": rereferral_of,
            "new_evidence": evidence,
            "states": [{"type": "council_case", "id": str(ccase.id), "status": ccase.status}],
        },
    )
    # not enough members without a conflict yet: the case waits for `draw_panel`
    with contextlib.suppress(Conflict):
        draw_panel(session, case_id=ccase.id, actor="system")
    return ccase


def _join_appeal(session: Session, ccase: CouncilCase, *, appeal_id: int | None, actor: str) -> CouncilCase:
    """The appellant's appeal joins the open case on its action (their answer is that case's decision)."""
    ccase.appeal_id = appeal_id
    session.flush()
    audit.append(
        session,
        actor=actor or "system",
        event="council.appeal_joined",
        subject_type="council_case",
        subject_id=str(ccase.id),
        payload={"appeal_id": appeal_id, "action_id": ccase.action_id},
    )
    return ccase


def rereferrals(session: Session, *, limit: int = 200) -> list[dict[str, Any]]:
    """Public list of re-referred actions: which case, which earlier case, when, and the new evidence cited."""
    rows = session.scalars(
        select(CouncilCase)
        .where(CouncilCase.rereferral_of.is_not(None))
        .order_by(CouncilCase.id.desc())
        .limit(limit)
    )
    return [
        {
            "council_case_id": c.id,
            "rereferral_of": c.rereferral_of,
            "action_id": c.action_id,
            "origin": c.origin,
            "new_evidence": c.new_evidence,
            "status": c.status,
            "created_at": clock.as_utc(c.created_at).isoformat(),
        }
        for c in rows
    ]


def seats(session: Session, case_id: int) -> list[PanelSeat]:
    return list(
        session.scalars(select(PanelSeat).where(PanelSeat.council_case_id == case_id).order_by(PanelSeat.id))
    )


def draw_panel(session: Session, *, case_id: int, actor: str) -> list[PanelSeat]:
    """Seat a panel of the charter's size for an open case that has none yet (Conflict when too few members are
    eligible). Nobody chooses the size: it is the one in the charter the case was referred under."""
    from townsquare.council import governance

    governance.apply_due(session, actor="system")
    ccase = get_case(session, case_id, lock=True)
    if ccase.status != "open":
        raise Conflict(f"council case {case_id} is {ccase.status}")
    existing = seats(session, case_id)
    if existing:
        raise Conflict(f"council case {case_id} already has a panel", panel=[s.member_id for s in existing])
    n = int(charter.of_case(ccase.charter)["panel_size"])
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
        PanelSeat(
            council_case_id=case_id,
            member_id=c.member.id,
            viewpoint_at_draw=c.position,
            group_at_draw=c.member.viewpoint_group,
            drawn_at=now,
        )
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
            "panel": [
                {"member_id": r.member_id, "position": r.viewpoint_at_draw, "group": r.group_at_draw}
                for r in rows
            ],
            "size": n,
            "charter": charter.of_case(ccase.charter).get("version"),
            "excluded_for_conflict": excluded,
            "candidates": len(cands),
        },
    )
    return rows


def member_for_key(
    session: Session, key_name: str, *, key_id: int | None = None, require_active: bool = True
) -> CouncilMember:
    """The member bound to this key. A member issued a key through enrolment is bound to that key's id, so no
    other key — even one an admin names after the member — speaks for them. Founding members seated with a key
    name are bound to the first key of that name that signs in (a key name is unique and never reused)."""
    member = None
    if key_id is not None:
        member = session.scalars(select(CouncilMember).where(CouncilMember.key_id == key_id)).first()
    if member is None:
        by_name = session.scalars(select(CouncilMember).where(CouncilMember.key_name == key_name)).first()
        # in-process callers (key_id None) are trusted code; a signed-in key binds a founding member once
        if by_name is not None and (key_id is None or by_name.key_id is None):
            member = by_name
            if key_id is not None:
                member.key_id = key_id
    if member is None or (require_active and not member.active):
        raise Forbidden(f"key {key_name!r} does not belong to an active council member")
    return member


def cast_vote(
    session: Session,
    *,
    case_id: int,
    key_name: str,
    vote: str,
    rationale: str,
    key_id: int | None = None,
    modify_to: str | None = None,
) -> CouncilVote:
    """One vote per seated member, with a written rationale; the last vote of the panel decides the case.

    A member who was deactivated after the draw keeps their seat for this case (nobody is removed from an open
    panel); a frozen seat votes no more."""
    ccase = get_case(session, case_id, lock=True)
    member = member_for_key(session, key_name, key_id=key_id, require_active=False)
    if vote not in VOTES:
        raise Invalid(f"vote must be one of {', '.join(VOTES)}", vote=vote)
    if vote == "modify" and modify_to not in MODIFY_TO:
        raise Invalid(f"a modify vote says what replaces the ban: modify_to one of {', '.join(MODIFY_TO)}")
    if vote != "modify" and modify_to is not None:
        raise Invalid("modify_to goes with a modify vote only")
    rationale = (rationale or "").strip()
    if not rationale:
        raise Invalid("a vote needs a written rationale")
    if len(rationale) > MAX_RATIONALE:
        raise Invalid(f"rationale longer than {MAX_RATIONALE} characters")
    if ccase.status != "open":
        raise Conflict(f"council case {case_id} is {ccase.status}; voting is closed")
    if clock.now() > clock.as_utc(ccase.deadline):
        raise Conflict(f"the deadline of council case {case_id} has passed")
    seat = next((s for s in seats(session, case_id) if s.member_id == member.id), None)
    if seat is None:
        raise Forbidden(f"member {member.id} is not on the panel of council case {case_id}")
    if seat.frozen_at is not None:
        raise Forbidden(f"the seat of member {member.id} on council case {case_id} is frozen")
    already = session.scalars(
        select(CouncilVote).where(CouncilVote.council_case_id == case_id, CouncilVote.member_id == member.id)
    ).first()
    if already is not None:
        raise Conflict(f"member {member.id} already voted on council case {case_id}", vote_id=already.id)
    row = CouncilVote(
        council_case_id=case_id,
        member_id=member.id,
        vote=vote,
        rationale=rationale,
        created_at=clock.now(),
        key_id=key_id,
        modify_to=modify_to,
    )
    session.add(row)
    session.flush()
    audit.append(
        session,
        actor=key_name,
        event="council.vote",
        subject_type="council_case",
        subject_id=str(case_id),
        payload={
            "member_id": member.id,
            "vote": vote,
            "modify_to": modify_to,
            "rationale": rationale,
            "vote_id": row.id,
            "key_id": key_id,
        },
    )
    decide_if_complete(session, case_id=case_id)
    return row


def decide_if_complete(session: Session, *, case_id: int) -> bool:
    """Decide the case once every seat that is not frozen has voted."""
    live = [s.member_id for s in seats(session, case_id) if s.frozen_at is None]
    voted = set(session.scalars(select(CouncilVote.member_id).where(CouncilVote.council_case_id == case_id)))
    if get_case(session, case_id).status != "open" or not set(live) <= voted:
        return False
    from townsquare.council import decisions

    decisions.decide(session, case_id=case_id, actor="council")
    return True


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
                "group_at_draw": s.group_at_draw,
                "frozen": s.frozen_at is not None,
                "frozen_reason": s.frozen_reason,
                "voted": any(v.member_id == s.member_id for v in votes),
            }
            for s in seats(session, ccase.id)
        ],
        "votes_cast": len(votes),
        "charter": {k: charter.of_case(ccase.charter).get(k) for k in ("version", "sha256", "panel_size")},
        "rereferral_of": ccase.rereferral_of,
        "new_evidence": ccase.new_evidence,
    }
    if show_votes:
        out["votes"] = [
            {
                "member_id": v.member_id,
                "vote": v.vote,
                "modify_to": v.modify_to,
                "rationale": v.rationale,
                "at": clock.as_utc(v.created_at).isoformat(),
            }
            for v in votes
        ]
    return out
