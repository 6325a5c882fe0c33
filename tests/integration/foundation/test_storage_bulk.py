"""Bulk inserts write what the ORM would have written, on SQLite and on PostgreSQL (where the batch goes as one
JSON record set, `storage.pgbulk`)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select

from townsquare.core import clock
from townsquare.storage import pgbulk
from townsquare.storage.bulk import insert_new, insert_returning
from townsquare.storage.db import Database
from townsquare.storage.models import Account, Assessment, Post


def _posts(session: Any, n: int) -> list[str]:
    insert_new(session, Account, [{"id": "bulk-a", "handle": "bulk-a", "lang": "fr"}], Account.id)
    rows = [
        {
            "id": f"bulk-{i}",
            "author_id": "bulk-a",
            "text": f'« guillemets » "quotes" \\ backslash {i} ✓',
            "lang": "fr",
            "content_hash": f"h{i}",
            "reply_to": None,
            "created_at": datetime(2026, 1, 2, 3, 4, 5, 678901, tzinfo=UTC),
        }
        for i in range(n)
    ]
    return sorted(insert_new(session, Post, rows, Post.id))


def test_insert_new_skips_existing_keys_and_keeps_every_value(db: Database) -> None:
    with db.session() as s:
        assert _posts(s, 3) == ["bulk-0", "bulk-1", "bulk-2"]
    with db.session() as s:  # again, with one new row: only the new key comes back, nothing is overwritten
        insert_new(s, Account, [{"id": "bulk-a", "handle": "changed", "lang": "en"}], Account.id)
        assert _posts(s, 4) == ["bulk-3"]
    with db.read_session() as s:
        post = s.get(Post, "bulk-1")
        assert post is not None and post.text == '« guillemets » "quotes" \\ backslash 1 ✓'
        assert post.created_at == datetime(2026, 1, 2, 3, 4, 5, 678901, tzinfo=UTC)
        assert post.reply_to is None
        account = s.get(Account, "bulk-a")
        assert account is not None and account.handle == "bulk-a" and account.lang == "fr"
        assert account.created_at is not None  # the Python-side default was applied


def test_insert_returning_matches_the_orm_row(db: Database) -> None:
    values = {
        "model": "m",
        "lang": "fr",
        "risk": "low",
        "labels": ["hate_speech"],
        "scores": {"hate_speech": 0.61, "profanity": 0.0},
        "tiers": {"hate_speech": "low"},
        "garm": {},
        "evidence": [{"label": "hate_speech", "text": 'un "mot"', "start": 3, "end": 8}],
        "normalized": "un mot",
    }
    with db.session() as s:
        _posts(s, 2)
        orm = Assessment(post_id="bulk-0", **values)
        s.add(orm)
        s.flush()
        returned = insert_returning(
            s, Assessment, [{"post_id": "bulk-1", **values}], Assessment.post_id, Assessment.id
        )
        assert [pid for pid, _ in returned] == ["bulk-1"]
    with db.read_session() as s:
        a, b = s.scalars(select(Assessment).order_by(Assessment.id)).all()
        for name in (*values, "created_at"):
            if name != "created_at":
                assert getattr(b, name) == getattr(a, name), name
        assert isinstance(b.labels, list) and b.evidence[0]["text"] == 'un "mot"'
        assert abs((clock.as_utc(b.created_at) - clock.as_utc(a.created_at)).total_seconds()) < 60


def test_record_set_is_used_only_where_it_writes_what_the_orm_would() -> None:
    table = Assessment.__table__
    row = {"post_id": "p", "labels": [], "scores": {}}
    assert pgbulk.fits(table, [row, dict(row)])
    assert not pgbulk.fits(table, [row, {"post_id": "q"}])  # different columns
    assert not pgbulk.fits(table, [{**row, "labels": None}])  # JSON null vs SQL NULL
    assert not pgbulk.fits(table, [{**row, "no_such_column": 1}])


def test_update_by_key_changes_only_the_rows_named(db: Database) -> None:
    from townsquare.storage.bulk import update_by_key
    from townsquare.storage.models import ProcessedPost

    with db.session() as s:
        ids = _posts(s, 3)
        claims = [
            {"post_id": i, "policy_version": "v1", "worker": "w", "processed_at": clock.now()} for i in ids
        ]
        insert_new(s, ProcessedPost, claims, ProcessedPost.post_id)
        insert_new(s, ProcessedPost, [{**claims[0], "policy_version": "v2"}], ProcessedPost.post_id)
        s.add_all(
            Assessment(
                post_id=i,
                model="m",
                lang="fr",
                risk="none",
                labels=[],
                scores={},
                tiers={},
                garm={},
                evidence=[],
            )
            for i in ids
        )
        s.flush()
        aid = {a.post_id: a.id for a in s.scalars(select(Assessment))}
        update_by_key(
            s,
            ProcessedPost,
            [{"post_id": i, "policy_version": "v1", "assessment_id": aid[i]} for i in ids[:2]],
            ProcessedPost.post_id,
            ProcessedPost.policy_version,
        )
    with db.read_session() as s:
        got = {(p.post_id, p.policy_version): p.assessment_id for p in s.scalars(select(ProcessedPost))}
    assert got == {
        (ids[0], "v1"): aid[ids[0]],
        (ids[1], "v1"): aid[ids[1]],
        (ids[2], "v1"): None,
        (ids[0], "v2"): None,  # same post, other policy version: not named, not changed
    }
