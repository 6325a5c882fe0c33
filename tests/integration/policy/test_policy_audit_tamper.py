"""`townsquare audit verify` passes on a clean log and names the first bad record on a tampered copy (SQLite).

The copy has the append-only triggers of migration 0002 dropped, as an attacker with file access would.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from policy_helpers import add_post, enforce_post, human_action
from typer.testing import CliRunner

from townsquare.audit.chain import record_hash
from townsquare.cli.main import app
from townsquare.core.clock import as_utc
from townsquare.policy import enforce
from townsquare.settings import get_settings
from townsquare.storage.db import Database, get_database

runner = CliRunner()


@pytest.fixture
def clean_file(sqlite_url: str) -> Path:
    """A SQLite file with a real audit chain: policy record, actions, strikes, a reversal (>= 6 records)."""
    db = Database(sqlite_url)
    with db.session() as s:
        enforce_post(s, "p1", scores={"hate_speech": 0.6})
        enforce_post(s, "p2", scores={"violent_threat": 0.6})
        add_post(s, "p3")
        a = human_action(s, "post", "p3", "label", "hate.borderline")
        enforce.reverse_action(s, action_id=a.id, actor="mod1", reason="mistake")
    db.dispose()
    path = Path(sqlite_url.removeprefix("sqlite:///"))
    con = sqlite3.connect(path)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    return path


def tampered(src: Path, dst: Path, *sql: str) -> Path:
    shutil.copy(src, dst)
    con = sqlite3.connect(dst)
    con.execute("DROP TRIGGER audit_records_no_update")
    con.execute("DROP TRIGGER audit_records_no_delete")
    for stmt in sql:
        con.execute(stmt)
    con.commit()
    con.close()
    return dst


@pytest.fixture
def verify_cli(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[Path], tuple[int, str]]]:
    def run(path: Path) -> tuple[int, str]:
        monkeypatch.setenv("TOWNSQUARE_DATABASE_URL", f"sqlite:///{path}")
        get_settings.cache_clear()
        result = runner.invoke(app, ["audit", "verify"])
        get_database.cache_clear()
        return result.exit_code, result.stdout

    yield run
    get_settings.cache_clear()
    get_database.cache_clear()


def count(path: Path) -> int:
    con = sqlite3.connect(path)
    n = int(con.execute("SELECT count(*) FROM audit_records").fetchone()[0])
    con.close()
    return n


def test_clean_log_verifies(clean_file: Path, verify_cli: Callable[[Path], tuple[int, str]]) -> None:
    code, out = verify_cli(clean_file)
    assert code == 0 and f"audit chain ok: {count(clean_file)} records verified" in out


@pytest.mark.parametrize(
    ("name", "sql", "seq", "words"),
    [
        ("modified", ["UPDATE audit_records SET actor = 'someone-else' WHERE seq = 3"], 3, "modified"),
        (
            "payload",
            ["UPDATE audit_records SET payload = json_set(payload, '$.reason', 'x') WHERE seq = 2"],
            2,
            "modified",
        ),
        ("deleted", ["DELETE FROM audit_records WHERE seq = 4"], 4, "missing"),
        (
            "truncated",
            ["DELETE FROM audit_records WHERE seq = (SELECT max(seq) FROM audit_records)"],
            None,
            "deleted",
        ),
        (
            "reordered",
            [
                "UPDATE audit_records SET seq = -3 WHERE seq = 3",
                "UPDATE audit_records SET seq = 3 WHERE seq = 4",
                "UPDATE audit_records SET seq = 4 WHERE seq = -3",
            ],
            3,
            "moved",
        ),
    ],
)
def test_tampered_copy_fails_naming_the_record(
    clean_file: Path,
    tmp_path: Path,
    verify_cli: Callable[[Path], tuple[int, str]],
    name: str,
    sql: list[str],
    seq: int | None,
    words: str,
) -> None:
    n = count(clean_file)
    copy = tampered(clean_file, tmp_path / f"{name}.db", *sql)
    code, out = verify_cli(copy)
    expected_seq = n if seq is None else seq
    assert code == 1, out
    assert f"BROKEN at record seq {expected_seq}:" in out and words in out
    assert verify_cli(clean_file)[0] == 0  # the original is untouched


def _forge(con: sqlite3.Connection, seq: int, prev: str) -> tuple[str, ...]:
    from datetime import datetime

    created = "2026-01-01 00:00:00.000000"
    payload = {"action_id": 1, "note": "forged"}
    digest = record_hash(
        prev,
        seq,
        as_utc(datetime.fromisoformat(created)),
        "intruder",
        "action.reversed",
        "post",
        "p1",
        payload,
    )
    return (str(seq), created, "intruder", "action.reversed", "post", "p1", json.dumps(payload), prev, digest)


def test_inserted_record_is_named(
    clean_file: Path, tmp_path: Path, verify_cli: Callable[[Path], tuple[int, str]]
) -> None:
    # In the middle: successors renumbered, forged record linked to its predecessor with a valid own hash.
    copy = tampered(
        clean_file,
        tmp_path / "inserted.db",
        "UPDATE audit_records SET seq = -seq WHERE seq >= 3",
        "UPDATE audit_records SET seq = -seq + 1 WHERE seq < 0",
    )
    con = sqlite3.connect(copy)
    prev = con.execute("SELECT hash FROM audit_records WHERE seq = 2").fetchone()[0]
    con.execute(
        "INSERT INTO audit_records (seq, created_at, actor, event, subject_type, subject_id, payload, "
        "prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        _forge(con, 3, prev),
    )
    con.commit()
    con.close()
    code, out = verify_cli(copy)
    assert code == 1 and "BROKEN at record seq 3:" in out and "inserted" in out
    # At the end, chained correctly but beyond the head the appenders keep.
    n = count(clean_file)
    copy = tampered(clean_file, tmp_path / "appended.db")
    con = sqlite3.connect(copy)
    prev = con.execute("SELECT hash FROM audit_records WHERE seq = ?", (n,)).fetchone()[0]
    con.execute(
        "INSERT INTO audit_records (seq, created_at, actor, event, subject_type, subject_id, payload, "
        "prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        _forge(con, n + 1, prev),
    )
    con.commit()
    con.close()
    code, out = verify_cli(copy)
    assert code == 1 and f"BROKEN at record seq {n + 1}:" in out and "inserted" in out


def test_triggers_refuse_changes_on_the_live_file(clean_file: Path) -> None:
    con = sqlite3.connect(clean_file)
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        con.execute("UPDATE audit_records SET actor = 'x' WHERE seq = 1")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        con.execute("DELETE FROM audit_records WHERE seq = 1")
    con.close()


def test_edited_statement_is_caught_by_the_crosscheck(
    clean_file: Path, tmp_path: Path, verify_cli: Callable[[Path], tuple[int, str]]
) -> None:
    code, out = verify_cli(clean_file)
    assert code == 0 and "statements match their audit records" in out
    copy = tampered(
        clean_file,
        tmp_path / "statement.db",
        "UPDATE actions SET statement = json_set(statement, '$.decision_facts', 'nothing to see') "
        "WHERE id = 2",
    )
    code, out = verify_cli(copy)
    assert code == 1 and "actions BROKEN at action 2" in out and "differs" in out


@pytest.mark.parametrize(
    ("sql", "seq"),
    [
        ("UPDATE audit_records SET actor = 'someone-else' WHERE seq = 3", 3),
        ("DELETE FROM audit_records WHERE seq = 2", 2),
    ],
)
def test_tampering_detected_on_both_databases(db: Database, sql: str, seq: int) -> None:
    """Same check on SQLite and PostgreSQL, tampering in place with the append-only trigger switched off."""
    from townsquare.audit import verify

    with db.session() as s:
        enforce_post(s, "p1", scores={"hate_speech": 0.6})
        enforce_post(s, "p2", scores={"misinformation": 0.6})
    with db.session() as s:
        assert verify(s)[1] is None
    pg = db.dialect != "sqlite"
    try:
        with db.engine.begin() as conn:
            if pg:
                conn.exec_driver_sql("ALTER TABLE audit_records DISABLE TRIGGER audit_records_no_change")
            else:
                conn.exec_driver_sql("DROP TRIGGER audit_records_no_update")
                conn.exec_driver_sql("DROP TRIGGER audit_records_no_delete")
            conn.exec_driver_sql(sql)
    finally:
        if pg:
            with db.engine.begin() as conn:
                conn.exec_driver_sql("ALTER TABLE audit_records ENABLE TRIGGER audit_records_no_change")
    with db.session() as s:
        problem = verify(s)[1]
        assert problem is not None and problem.seq == seq
