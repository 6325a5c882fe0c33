"""The case file a panel decides on: the evidence, without what must stay private.

Panelists see the posts concerned, the account's strikes, its prior actions with their statements of reasons,
the reports (reason, texts, counts — never who reported: reporters' identities stay private, invariant 5), and the
moderators' private notes (action reasons, case-decision notes, appeal reviewers' notes) — those only because the
panel needs them, which is why the file is served to the seated panel of that case and nobody else (not the
public, not admins; moderators read the notes in their own queue).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from townsquare.core import clock
from townsquare.core.errors import Forbidden
from townsquare.council import cases
from townsquare.storage.models import Action, Appeal, Case, CaseDecision, Post, Report, Strike

MAX_POSTS = 50


def _iso(value: Any) -> str | None:
    return clock.as_utc(value).isoformat() if value is not None else None


def build(session: Session, *, case_id: int) -> dict[str, Any]:
    """The whole file (callers check who may read it)."""
    ccase = cases.get_case(session, case_id)
    stype, sid = ccase.subject_type, ccase.subject_id
    account_id: str | None = None
    post_ids: list[str] = []
    if stype == "account":
        account_id = sid
    elif stype == "post" and sid:
        post_ids = [sid]
        account_id = session.scalar(select(Post.author_id).where(Post.id == sid))
    action_rows: list[Action] = []
    if account_id:
        action_rows = list(
            session.scalars(select(Action).where(Action.account_id == account_id).order_by(Action.id))
        )
        post_ids += [a.post_id for a in action_rows if a.post_id and a.post_id not in post_ids]
    posts = (
        list(session.scalars(select(Post).where(Post.id.in_(post_ids)).limit(MAX_POSTS))) if post_ids else []
    )
    strikes = (
        list(session.scalars(select(Strike).where(Strike.account_id == account_id).order_by(Strike.id)))
        if account_id
        else []
    )
    subject_ids = [x for x in [account_id, *post_ids] if x]
    reports = (
        list(session.scalars(select(Report).where(Report.subject_id.in_(subject_ids)).order_by(Report.id)))
        if subject_ids
        else []
    )
    mod_cases = (
        list(
            session.scalars(
                select(Case.id).where(or_(Case.account_id == account_id, Case.post_id.in_(post_ids or [""])))
            )
        )
        if subject_ids
        else []
    )
    decisions = (
        list(session.scalars(select(CaseDecision).where(CaseDecision.case_id.in_(mod_cases))))
        if mod_cases
        else []
    )
    appeals = (
        list(session.scalars(select(Appeal).where(Appeal.action_id.in_([a.id for a in action_rows]))))
        if action_rows
        else []
    )
    return {
        "council_case_id": ccase.id,
        "question": ccase.question,
        "subject": {"type": stype, "id": sid, "account_id": account_id},
        "action_id": ccase.action_id,
        "posts": [
            {
                "id": p.id,
                "author_id": p.author_id,
                "text": p.text,
                "lang": p.lang,
                "created_at": _iso(p.created_at),
            }
            for p in posts
        ],
        "strikes": [
            {
                "rule_id": s.rule_id,
                "weight": s.weight,
                "created_at": _iso(s.created_at),
                "expires_at": _iso(s.expires_at),
                "revoked": s.revoked_at is not None,
            }
            for s in strikes
        ],
        "prior_actions": [
            {
                "id": a.id,
                "puid": a.puid,
                "action": a.action,
                "status": a.status,
                "rule": f"{a.rule_id}@{a.rule_version}",
                "post_id": a.post_id,
                "created_at": _iso(a.created_at),
                "statement_of_reasons": a.statement,
                "explanation": a.explanation,
            }
            for a in action_rows
        ],
        "reports": [
            {"reason": r.reason, "texts": r.texts, "count": r.count, "created_at": _iso(r.created_at)}
            for r in reports
        ],
        "private_notes": [
            *({"source": "action", "id": a.id, "note": a.reason} for a in action_rows if a.reason),
            *({"source": "case_decision", "id": d.id, "note": d.note} for d in decisions if d.note),
            *(
                {"source": "appeal_review", "id": ap.id, "note": ap.private_note}
                for ap in appeals
                if ap.private_note
            ),
        ],
        "appeals": [{"id": ap.id, "text": ap.text, "status": ap.status} for ap in appeals],
    }


def for_panelist(session: Session, *, case_id: int, key_name: str, key_id: int | None) -> dict[str, Any]:
    """The file, for a member seated on this case's panel (403 for anyone else)."""
    member = cases.member_for_key(session, key_name, key_id=key_id, require_active=False)
    seated = any(s.member_id == member.id for s in cases.seats(session, case_id))
    if not seated:
        raise Forbidden(f"the case file of council case {case_id} is for its panel only")
    return build(session, case_id=case_id)
