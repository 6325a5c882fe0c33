"""Replaying the chain into statuses: the `states` contract, and records written before it (read by event name)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from townsquare.audit.state import replay, state
from townsquare.storage.models import AuditRecord

T0 = datetime(2026, 1, 1, tzinfo=UTC)


def _rec(
    seq: int, event: str, subject: tuple[str, str], payload: dict[str, Any], hours: float = 0
) -> AuditRecord:
    return AuditRecord(
        seq=seq,
        created_at=T0 + timedelta(hours=hours),
        actor="t",
        event=event,
        subject_type=subject[0],
        subject_id=subject[1],
        payload=payload,
        prev_hash="",
        hash="",
    )


def test_states_entries_win_and_the_last_one_counts() -> None:
    got = replay(
        [
            _rec(
                1,
                "x",
                ("account", "a"),
                {"states": [state("account", "a", "banned"), state("action", 7, "active")]},
            ),
            _rec(2, "y", ("account", "a"), {"states": [state("account", "a", "active")]}),
        ]
    )
    assert got[("account", "a")] == ("active", 2)
    assert got[("action", "7")] == ("active", 1)


def test_legacy_records_are_read_by_event_and_accounts_derived() -> None:
    """No `states` key: actions by event name; the account from the account actions the chain has seen."""
    ends = (T0 + timedelta(hours=10)).isoformat()
    records = [
        _rec(1, "action.applied", ("account", "bob"), {"action_id": 1, "action": "warn", "ends_at": None}),
        _rec(
            2, "action.applied", ("account", "bob"), {"action_id": 2, "action": "suspend", "ends_at": ends}, 1
        ),
        _rec(
            3,
            "action.applied",
            ("account", "eve"),
            {"action_id": 3, "action": "permanent_ban", "ends_at": None},
        ),
        _rec(4, "council.referral", ("council_case", "5"), {}),
        _rec(5, "action.reversed", ("account", "bob"), {"action_id": 1}, 2),
        _rec(6, "ban.lifted", ("account", "eve"), {"action_id": 3}, 3),
        _rec(7, "council.decision", ("council_case", "5"), {}, 3),
    ]
    got = replay(records)
    assert got[("action", "1")] == ("reversed", 5)
    assert got[("action", "3")] == ("reversed", 6)
    assert got[("account", "bob")] == ("suspended", 5)  # the suspension is still running at record 5
    assert got[("account", "eve")] == ("active", 6)
    assert got[("council_case", "5")] == ("decided", 7)
    # the suspension ends by time; the expiry record then derives the account as it stands
    got = replay([*records, _rec(8, "action.expired", ("account", "bob"), {"action_id": 2}, 11)])
    assert got[("action", "2")] == ("expired", 8)
    assert got[("account", "bob")] == ("active", 8)


def test_unknown_state_type_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown state type"):
        state("post", "p1", "removed")
