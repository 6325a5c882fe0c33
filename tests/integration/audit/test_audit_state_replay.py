"""`townsquare audit verify` recomputes every account, action and council-case status from the audit chain.

Real flows (a ban, a suspension that expires, a reversal, a council decision that lifts a ban) leave a history that
verifies; then statuses are changed directly in the database, as someone with database access would, and the CLI
(and the auditor's API route) must fail naming each tampered row and the record whose status it contradicts.
Runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import pytest
from council_helpers import council_vote, permanent_ban
from fastapi.testclient import TestClient
from sqlalchemy import select, text
from typer.testing import CliRunner

from townsquare import audit
from townsquare.audit.state import state
from townsquare.cli.main import app as cli_app
from townsquare.core import clock
from townsquare.policy import enforce
from townsquare.settings import get_settings
from townsquare.storage.db import Database, get_database
from townsquare.storage.models import Account, AuditRecord, CouncilCase

runner = CliRunner()


@pytest.fixture
def verify_cli(db_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[], tuple[int, str]]]:
    def run() -> tuple[int, str]:
        monkeypatch.setenv("TOWNSQUARE_DATABASE_URL", db_url)
        get_settings.cache_clear()
        get_database.cache_clear()
        result = runner.invoke(cli_app, ["audit", "verify"])
        get_database.cache_clear()
        return result.exit_code, result.output

    yield run
    get_settings.cache_clear()
    get_database.cache_clear()


def _account(s: Any, account_id: str) -> None:
    if s.get(Account, account_id) is None:
        s.add(Account(id=account_id, handle=account_id))
        s.flush()


def _act(s: Any, account_id: str, action: str, rule: str, **kw: Any) -> int:
    _account(s, account_id)
    row = enforce.apply_action(
        s,
        subject_type="account",
        subject_id=account_id,
        action=action,
        rule_id=rule,
        actor="mod1",
        actor_kind="moderator",
        reason="test",
        **kw,
    )
    return int(row.id)


def _explain_seeded_history(db: Database) -> None:
    """The council fixture seeds past decided cases straight into the tables; record them the way `decide` does."""
    with db.session() as s:
        for case in s.scalars(select(CouncilCase).where(CouncilCase.referred_by == "seed")).all():
            audit.append(
                s,
                actor="seed",
                event="council.decision",
                subject_type="council_case",
                subject_id=str(case.id),
                payload={"states": [state("council_case", case.id, case.status)]},
            )


def _council_lift(client: TestClient, db: Database, auth: Callable[..., dict[str, str]], council: Any) -> int:
    """The honest path through HTTP: appeal -> drawn panel -> every panelist overturns -> the ban is lifted."""
    ban_id = permanent_ban(db, account="bob")
    r = client.post(
        "/api/v1/appeals",
        json={"action_id": ban_id, "text": "I did not evade anything", "appellant_id": "bob"},
        headers=auth("ingest"),
    )
    assert r.status_code == 201, r.text
    case_id = int(r.json()["council_case_id"])
    panel = client.get(f"/api/v1/council/cases/{case_id}", headers=auth("admin")).json()["panel"]
    for seat in panel:
        mid = seat["member_id"]
        vote = council_vote(
            client, case_id, council["headers"][mid], "overturn", f"Member {mid}: no evasion."
        )
        assert vote.status_code == 201, vote.text
    with db.session() as s:
        assert s.get(Account, "bob").status == "active"  # type: ignore[union-attr]
    return case_id


@pytest.fixture
def history(
    client: TestClient, db: Database, auth: Callable[..., dict[str, str]], council: dict[str, Any]
) -> dict[str, Any]:
    """Real flows: a ban in force, an expired suspension, a reversed warning, a council lift, an untouched account."""
    _explain_seeded_history(db)
    ids: dict[str, Any] = {}
    with db.session() as s:
        _account(s, "quiet")
        ids["zed_ban"] = _act(s, "zed", "permanent_ban", "account.ban_evasion")
        ids["carol_suspension"] = _act(
            s, "carol", "suspend", "account.ban_evasion", ends_at=clock.now() + timedelta(hours=1)
        )
        ids["dave_warning"] = _act(s, "dave", "warn", "account.ban_evasion")
        enforce.reverse_action(s, action_id=ids["dave_warning"], actor="mod2", reason="mistaken identity")
    clock.advance(2 * 3600)
    with db.session() as s:
        assert enforce.expire_due(s) == 1
        assert s.get(Account, "carol").status == "active"  # type: ignore[union-attr]
    ids["lift_case"] = _council_lift(client, db, auth, council)
    return ids


def _last_record_about(db: Database, kind: str, row_id: object) -> int:
    """Seq of the last record whose `states` mention the row (the one a tampered row contradicts)."""
    with db.session() as s:
        seqs = [
            r.seq
            for r in s.scalars(select(AuditRecord).order_by(AuditRecord.seq))
            if any(
                e.get("type") == kind and e.get("id") == str(row_id)
                for e in (r.payload or {}).get("states", [])
            )
        ]
    assert seqs, f"no record mentions {kind} {row_id}"
    return seqs[-1]


def test_real_history_verifies(
    history: dict[str, Any], verify_cli: Callable[[], tuple[int, str]], client: TestClient, auth: Any
) -> None:
    code, out = verify_cli()
    assert code == 0, out
    assert "states ok" in out
    body = client.get("/api/v1/audit/verify", headers=auth("auditor")).json()
    assert body["ok"] is True and body["unexplained_states"] == [] and body["state_rows"] >= 10


def test_tampered_statuses_are_named(
    history: dict[str, Any],
    db: Database,
    verify_cli: Callable[[], tuple[int, str]],
    client: TestClient,
    auth: Any,
) -> None:
    expected = {
        ("action", str(history["zed_ban"])): _last_record_about(db, "action", history["zed_ban"]),
        ("account", "zed"): _last_record_about(db, "account", "zed"),
        ("action", str(history["carol_suspension"])): _last_record_about(
            db, "action", history["carol_suspension"]
        ),
        ("council_case", str(history["lift_case"])): _last_record_about(
            db, "council_case", history["lift_case"]
        ),
        ("account", "quiet"): None,
    }
    with db.session() as s:
        s.execute(text("UPDATE actions SET status='reversed' WHERE id=:i"), {"i": history["zed_ban"]})
        s.execute(text("UPDATE accounts SET status='active' WHERE id='zed'"))
        s.execute(text("UPDATE actions SET status='active' WHERE id=:i"), {"i": history["carol_suspension"]})
        s.execute(text("UPDATE council_cases SET status='open' WHERE id=:i"), {"i": history["lift_case"]})
        s.execute(text("UPDATE accounts SET status='banned' WHERE id='quiet'"))
    code, out = verify_cli()
    assert code != 0, out
    assert "audit chain ok" in out  # the hashes alone did not see it
    assert "states BROKEN: 5 of" in out
    for (kind, row_id), seq in expected.items():
        line = next((ln for ln in out.splitlines() if ln.strip().startswith(f"{kind} {row_id} ")), None)
        assert line is not None, f"{kind} {row_id} not named:\n{out}"
        if seq is None:
            assert "no audit record mentions it" in line
        else:
            assert f"audit record seq {seq} says" in line, line

    body = client.get("/api/v1/audit/verify", headers=auth("auditor")).json()
    assert body["ok"] is False
    named = {(u["type"], u["id"]): u["record_seq"] for u in body["unexplained_states"]}
    assert named == expected


def test_status_changed_without_a_record_is_named(
    db: Database, verify_cli: Callable[[], tuple[int, str]]
) -> None:
    """A suspension lifted in the table alone (no reversal, no expiry record) is not explained."""
    with db.session() as s:
        sid = _act(s, "erin", "suspend", "account.ban_evasion", ends_at=clock.now() + timedelta(days=3))
    assert verify_cli()[0] == 0
    with db.session() as s:
        s.execute(text("UPDATE accounts SET status='active' WHERE id='erin'"))
    code, out = verify_cli()
    assert code == 1 and "account erin is 'active'" in out and "says 'suspended'" in out, out
    with db.session() as s:  # put it back: explained again; the action itself was never touched
        s.execute(text("UPDATE accounts SET status='suspended' WHERE id='erin'"))
    code, out = verify_cli()
    assert code == 0, out
    assert sid > 0
