"""Replay the audit chain into the statuses it explains, and name every row whose current status it does not.

The hash chain proves that no record was changed; it says nothing about the tables next to it. Statuses of accounts,
actions and council cases live in mutable rows, so an `UPDATE accounts SET status='active'` would lift a ban
without breaking a single hash. This module closes that gap.

Contract (every writer follows it): an audit record that changes the status of an account, an action or a council
case carries in its payload

    "states": [{"type": "account" | "action" | "council_case", "id": "<id as string>", "status": "<new status>"}]

with the status *after* the change. Replaying the chain in order gives, for every row it mentions, the status it
must have now and the record that set it. A row the chain never mentions must still be in its initial status
(`INITIAL`). Records written before the contract existed (no `states` key) are read by event name (`_legacy`), and
an account's status is then derived from the account actions the chain has seen, the way `policy.subjects`
derives it, so databases with an older history verify without false alarms.

Time-bound suspensions: an expired suspension is recorded by `action.expired` (with its states) when the expiry
job runs; until then the row still says `active`/`suspended` and so does the chain — consistent both ways.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from townsquare.core import clock
from townsquare.core.enums import AccountStatus, ActionStatus, ActionType
from townsquare.storage.models import Account, Action, AuditRecord, CouncilCase

STATE_TYPES = ("account", "action", "council_case")
INITIAL: dict[str, str] = {
    "account": AccountStatus.ACTIVE.value,
    "action": ActionStatus.ACTIVE.value,
    "council_case": "open",
}
_LEGACY_ACTION_EVENTS = {
    "action.applied": ActionStatus.ACTIVE.value,
    "action.reversed": ActionStatus.REVERSED.value,
    "action.superseded": ActionStatus.REVERSED.value,
    "ban.lifted": ActionStatus.REVERSED.value,
    "action.expired": ActionStatus.EXPIRED.value,
}
_LEGACY_CASE_EVENTS = {
    "council.referral": "open",
    "council.decision": "decided",
    "council.expired": "expired",
}


def state(kind: str, row_id: object, status: str) -> dict[str, str]:
    """One `states` entry, in the contract's shape (writers may also spell the dict out)."""
    if kind not in STATE_TYPES:
        raise ValueError(f"unknown state type {kind!r}")
    return {"type": kind, "id": str(row_id), "status": str(status)}


def action_states(session: Session, action: Action) -> list[dict[str, str]]:
    """`states` for a record about an action: its status, and its account's status when it acts on an account.

    Call it after the subject was refreshed, so it records the statuses the change left behind.
    """
    out = [state("action", action.id, action.status)]
    if action.subject_type == "account" and action.account_id:
        account = session.get(Account, action.account_id)
        if account is not None:
            out.append(state("account", account.id, account.status))
    return out


@dataclass(frozen=True)
class StateProblem:
    """A row whose current status the chain does not explain."""

    kind: str
    row_id: str
    status: str
    expected: str
    seq: int | None
    """The record that set the expected status (the first that disagrees with the row), None if never mentioned."""

    def describe(self) -> str:
        where = (
            f"audit record seq {self.seq} says {self.expected!r}"
            if self.seq is not None
            else f"no audit record mentions it, so it must still be {self.expected!r}"
        )
        return f"{self.kind} {self.row_id} is {self.status!r} but {where}"


@dataclass
class _Replay:
    expected: dict[tuple[str, str], tuple[str, int]] = field(default_factory=dict)
    # account id -> action id -> (kind, ends_at or None); statuses of those actions are in `expected`
    account_actions: dict[str, dict[str, tuple[str, datetime | None]]] = field(default_factory=dict)

    def set(self, kind: str, row_id: str, status: str, seq: int) -> None:
        self.expected[(kind, row_id)] = (status, seq)

    def track(self, rec: AuditRecord) -> None:
        payload = rec.payload if isinstance(rec.payload, dict) else {}
        if rec.event == "action.applied" and rec.subject_type == "account" and "action_id" in payload:
            ends = payload.get("ends_at")
            ends_at = clock.as_utc(datetime.fromisoformat(ends)) if isinstance(ends, str) else None
            self.account_actions.setdefault(rec.subject_id, {})[str(payload["action_id"])] = (
                str(payload.get("action", "")),
                ends_at,
            )

    def derived_account_status(self, account_id: str, at: datetime) -> str:
        """What `policy.subjects.refresh_account` computes, from the chain's own view of the account's actions."""
        kinds: set[str] = set()
        for action_id, (kind, ends_at) in self.account_actions.get(account_id, {}).items():
            status = self.expected.get(("action", action_id), (ActionStatus.ACTIVE.value, 0))[0]
            if status == ActionStatus.ACTIVE.value and (ends_at is None or ends_at > at):
                kinds.add(kind)
        if ActionType.PERMANENT_BAN.value in kinds:
            return AccountStatus.BANNED.value
        if ActionType.SUSPEND.value in kinds:
            return AccountStatus.SUSPENDED.value
        if ActionType.WARN.value in kinds:
            return AccountStatus.WARNED.value
        return AccountStatus.ACTIVE.value

    def legacy(self, rec: AuditRecord, payload: dict[str, Any]) -> None:
        """A record from before the `states` contract: read the status change from its event name."""
        if rec.event in _LEGACY_ACTION_EVENTS and "action_id" in payload:
            self.set("action", str(payload["action_id"]), _LEGACY_ACTION_EVENTS[rec.event], rec.seq)
            if rec.subject_type == "account" and rec.subject_id:
                at = clock.as_utc(rec.created_at)
                self.set("account", rec.subject_id, self.derived_account_status(rec.subject_id, at), rec.seq)
        elif rec.event in _LEGACY_CASE_EVENTS and rec.subject_type == "council_case":
            self.set("council_case", rec.subject_id, _LEGACY_CASE_EVENTS[rec.event], rec.seq)


def replay(records: Iterable[AuditRecord]) -> dict[tuple[str, str], tuple[str, int]]:
    """(type, id) -> (status the chain says the row has now, seq of the record that set it)."""
    run = _Replay()
    for rec in records:
        run.track(rec)
        payload = rec.payload if isinstance(rec.payload, dict) else {}
        entries = payload.get("states")
        if not isinstance(entries, list):
            run.legacy(rec, payload)
            continue
        for entry in entries:
            if isinstance(entry, dict) and entry.get("type") in STATE_TYPES and "status" in entry:
                run.set(str(entry["type"]), str(entry.get("id", "")), str(entry["status"]), rec.seq)
    return run.expected


def current_rows(session: Session) -> Iterable[tuple[str, str, str]]:
    """(type, id, status) of every account, action and council case, in a stable order."""
    for account_id, status in session.execute(select(Account.id, Account.status).order_by(Account.id)):
        yield "account", str(account_id), str(status)
    for action_id, status in session.execute(select(Action.id, Action.status).order_by(Action.id)):
        yield "action", str(action_id), str(status)
    for case_id, status in session.execute(
        select(CouncilCase.id, CouncilCase.status).order_by(CouncilCase.id)
    ):
        yield "council_case", str(case_id), str(status)


def verify_states(session: Session) -> tuple[int, list[StateProblem]]:
    """Number of rows checked and every row whose status the chain does not explain (all of them, not the first)."""
    records = session.scalars(select(AuditRecord).order_by(AuditRecord.seq)).all()
    expected = replay(records)
    problems: list[StateProblem] = []
    n = 0
    for kind, row_id, status in current_rows(session):
        n += 1
        want, seq = expected.get((kind, row_id), (INITIAL[kind], None))
        if status != want:
            problems.append(StateProblem(kind, row_id, status, want, seq))
    return n, problems


__all__ = ["INITIAL", "STATE_TYPES", "StateProblem", "action_states", "replay", "state", "verify_states"]
