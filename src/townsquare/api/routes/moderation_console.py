"""Moderation console API (issue 16): case search, saved views, bulk decisions, notes, account file and actions.

Split from ``api/routes/moderation.py`` (reports, queues, cases, appeals) so each router stays small; same
``/api/v1`` prefix and ``moderation`` tag, and included right after it in ``api/app.py`` so the paths, operation
ids and their order in the OpenAPI document are unchanged. Moderators act as their key name.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from townsquare.api.deps import CallerDep, SessionDep
from townsquare.api.routes.moderation import STAFF
from townsquare.api.security import allow
from townsquare.api.types import IntId
from townsquare.moderation import accounts, bulk, cases, notes, search, view

router = APIRouter(prefix="/api/v1", tags=["moderation"])


class BulkDecisionCreate(BaseModel):
    """One action, rule and public explanation for many cases; each is decided on its own (own action, own
    statement of reasons); the response says per case whether it was decided and why not."""

    case_ids: list[IntId] = Field(..., min_length=1, max_length=bulk.MAX_BULK)
    action: str
    rule_id: str = ""
    explanation: str = Field("", max_length=5000)
    private_note: str = Field("", max_length=5000)


class NoteCreate(BaseModel):
    text: str = Field(..., max_length=notes.MAX_NOTE)


class SavedViewCreate(BaseModel):
    name: str = Field(..., max_length=80)
    query: str = Field("", max_length=1000)


class AccountActionCreate(BaseModel):
    action: str
    rule_id: str
    explanation: str = Field(..., max_length=5000)
    private_note: str = Field("", max_length=5000)
    days: int | None = Field(None, ge=1, le=accounts.MAX_SUSPEND_DAYS)


@router.get("/moderation/search", dependencies=[allow(*STAFF)])
def search_cases(
    session: SessionDep,
    caller: CallerDep,
    queue: str = "",
    q: str = Query("", max_length=search.MAX_Q),
    post_lang: str = "",
    origin: str = "",
    reason: str = "",
    min_reports: str = "",
    claimed: str = "",
    limit: int = Query(100, ge=1, le=500),
) -> dict[str, Any]:
    """Undecided cases matching the filters (the console's queue previews), most urgent first."""
    filters = search.Filters.parse(
        {
            "queue": queue,
            "q": q,
            "post_lang": post_lang,
            "origin": origin,
            "reason": reason,
            "min_reports": min_reports,
            "claimed": claimed,
        }
    )
    rows = search.find_cases(session, filters, moderator=caller.name, limit=limit)
    return {"filters": filters.query(), "cases": view.queue_rows(session, rows)}


@router.get("/moderators/me/views", dependencies=[allow(*STAFF)])
def my_views(session: SessionDep, caller: CallerDep) -> dict[str, Any]:
    return {
        "views": [
            {"id": v.id, "name": v.name, "query": v.query} for v in search.views_of(session, caller.name)
        ]
    }


@router.post("/moderators/me/views", dependencies=[allow(*STAFF)], status_code=201)
def save_my_view(body: SavedViewCreate, session: SessionDep, caller: CallerDep) -> dict[str, Any]:
    """Save (or replace by name) a queue filter; the query is validated (422 on an unknown value)."""
    v = search.save_view(session, moderator=caller.name, name=body.name, query=body.query)
    return {"id": v.id, "name": v.name, "query": v.query}


@router.delete("/moderators/me/views/{view_id}", dependencies=[allow(*STAFF)], status_code=204)
def delete_my_view(view_id: IntId, session: SessionDep, caller: CallerDep) -> None:
    search.delete_view(session, moderator=caller.name, view_id=view_id)


@router.post("/cases/bulk-decision", dependencies=[allow(*STAFF)])
def bulk_decision(body: BulkDecisionCreate, session: SessionDep, caller: CallerDep) -> dict[str, Any]:
    """Claim and decide each case through the enforcement path; per-case results (a refused case changes
    nothing, the others are decided)."""
    results = bulk.bulk_decide(
        session,
        case_ids=list(body.case_ids),
        moderator=caller.name,
        action=body.action,
        rule_id=body.rule_id,
        explanation=body.explanation,
        private_note=body.private_note,
    )
    return {"decided": sum(1 for r in results if r["ok"]), "results": results}


@router.get("/cases/{case_id}/notes", dependencies=[allow(*STAFF)])
def case_notes(case_id: IntId, session: SessionDep) -> dict[str, Any]:
    """Internal notes on a case (staff only; never public)."""
    cases.get_case(session, case_id)
    rows = notes.notes_for(session, subject_type="case", subject_id=str(case_id))
    return {"notes": [notes.note_public(n) for n in rows]}


@router.post("/cases/{case_id}/notes", dependencies=[allow(*STAFF)], status_code=201)
def add_case_note(case_id: IntId, body: NoteCreate, session: SessionDep, caller: CallerDep) -> dict[str, Any]:
    note = notes.add_note(
        session, subject_type="case", subject_id=str(case_id), author=caller.name, text=body.text
    )
    return notes.note_public(note)


@router.get("/moderation/accounts/{account_id}", dependencies=[allow(*STAFF)])
def account_file(account_id: str, session: SessionDep) -> dict[str, Any]:
    """Everything about an account: posts, reports about it and by it, actions, strikes, cases, notes."""
    return accounts.account_file(session, account_id)


@router.post("/moderation/accounts/{account_id}/notes", dependencies=[allow(*STAFF)], status_code=201)
def add_account_note(
    account_id: str, body: NoteCreate, session: SessionDep, caller: CallerDep
) -> dict[str, Any]:
    note = notes.add_note(
        session, subject_type="account", subject_id=account_id, author=caller.name, text=body.text
    )
    return notes.note_public(note)


@router.post("/moderation/accounts/{account_id}/actions", dependencies=[allow(*STAFF)], status_code=201)
def act_on_account(
    account_id: str, body: AccountActionCreate, session: SessionDep, caller: CallerDep
) -> dict[str, Any]:
    """Warn or suspend (days) an account through the enforcement path (statement, audit, notice)."""
    taken = accounts.act_on_account(
        session,
        account_id=account_id,
        moderator=caller.name,
        action=body.action,
        rule_id=body.rule_id,
        explanation=body.explanation,
        private_note=body.private_note,
        days=body.days,
    )
    return {"id": taken.id, "puid": taken.puid, "action": taken.action, "status": taken.status}
