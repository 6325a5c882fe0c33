"""The batch path (`policy.batch`) records exactly what the single door records, post for post (invariant 3).

Two mirrored worlds hold the same authors, histories and posts under different ids. One is enforced with the batch
path, the other with every acted post through `apply_action` one by one (`fast=False`, the reference). Then
everything each world holds is compared with ids, puids and timestamps taken out: the actions and their statements
of reasons, the posts' visibility and public labels, strikes, account statuses, cases, and every audit record of
each subject, in order. Both audit chains verify and the state replay explains every row.

The posts cover the paths the batch must take itself (threat above the ceiling: interim measure and case; hate
with a strike; self-harm label without one) and those it must hand back (a post with a report-opened case, a
strike that crosses the suspension threshold, an author with two acted posts in the batch, a rule reading the
author's strikes) — a test of the hand-back as much as of the batch.
"""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from townsquare import audit
from townsquare.audit.state import verify_states
from townsquare.core.enums import ActorKind
from townsquare.moderation.reports import submit_report
from townsquare.policy.enforce import apply_action
from townsquare.posts.ingest import ingest
from townsquare.storage.db import Database
from townsquare.storage.models import Account, Action, AuditRecord, Case, Post, Strike
from townsquare.stream import process


def result(label: str | None, tier: str = "high", score: float = 0.95) -> dict[str, Any]:
    """A classifier result as `assess_posts` takes it (the contract's `to_dict()` form)."""
    labels = [label] if label else []
    return {
        "model": "test",
        "lang": "en",
        "risk": tier if label else "none",
        "labels": labels,
        "scores": {label: score} if label else {},
        "tiers": {label: tier} if label else {},
        "garm": {},
        "evidence": [],
        "normalized": "",
    }


# (post, author, classifier result) in batch order
BATCH = [
    ("threat", "a1", result("violent_threat")),
    ("hate", "a2", result("hate_speech")),
    ("selfharm", "a3", result("self_harm", "medium", 0.6)),
    ("reported", "a4", result("harassment", "medium", 0.6)),
    ("crossing", "a5", result("violent_threat")),
    ("twice1", "a6", result("hate_speech")),
    ("clean", "a6", result(None)),
    ("twice2", "a6", result("hate_speech")),
    ("misinfo", "a7", result("misinformation")),
    ("calm", "a8", result(None)),
]


def build_world(db: Database, w: str) -> None:
    """Authors and their history: a5 and a7 hold two strikes (one more crosses 3 and suspends; misinfo.repeated
    reads two), a4's post has a case opened by three reports."""
    posts = [
        {"id": f"{w}-{p}", "author": f"{w}-{a}", "text": f"text of {p}", "lang": "en"} for p, a, _ in BATCH
    ]
    old = [
        {"id": f"{w}-old{i}", "author": f"{w}-{a}", "text": "old", "lang": "en"}
        for i, a in enumerate(["a5", "a5", "a7", "a7"])
    ]
    with db.session() as s:
        ingest(s, old + posts, assess=False)
        for i in range(len(old)):
            apply_action(
                s,
                subject_type="post",
                subject_id=f"{w}-old{i}",
                action="remove",
                rule_id="hate.dehumanisation",
                actor="mod",
                actor_kind=ActorKind.MODERATOR,
            )
        for reporter in ("r1", "r2", "r3"):
            submit_report(
                s,
                reporter_id=f"{w}-{reporter}",
                subject_type="post",
                subject_id=f"{w}-reported",
                reason="harassment",
            )


def enforce_world(db: Database, w: str, *, fast: bool) -> None:
    with db.session() as s:
        posts = [s.get(Post, f"{w}-{p}") for p, _, _ in BATCH]
        process.assess_posts(s, posts, [r for _, _, r in BATCH], worker="test", fast=fast)  # type: ignore[arg-type]


_IDS = {"action_id", "puid", "strike_id", "case_id", "assessment_id", "statement_sha256", "report_id"}


def scrub(value: Any, w: str) -> Any:
    """Ids, puids and dates out; the world's prefix out of names."""
    if isinstance(value, dict):
        return {
            k: scrub(v, w)
            for k, v in value.items()
            if k not in _IDS and "date" not in k and not k.endswith("_at") and k != "id"
        }
    if isinstance(value, list):
        return [scrub(v, w) for v in value]
    if isinstance(value, str):
        return value.replace(f"{w}-", "")
    return value


def snapshot(db: Database, w: str) -> dict[str, Any]:
    cols_action = (
        "subject_type",
        "action",
        "status",
        "rule_id",
        "rule_version",
        "policy_version",
        "fired_rules",
    )
    more = ("actor_kind", "actor", "source_type", "automated", "reason", "explanation")
    with db.session() as s:
        mine = f"{w}-%"
        actions = s.scalars(select(Action).where(Action.account_id.like(mine)).order_by(Action.id)).all()
        by_subject: dict[str, list[Any]] = {}
        for a in actions:
            key = scrub(a.post_id or a.account_id, w)
            by_subject.setdefault(key, []).append(
                [getattr(a, c) for c in cols_action + more] + [scrub(a.statement, w), a.ends_at is not None]
            )
        records: dict[str, list[Any]] = {}
        for r in s.scalars(
            select(AuditRecord).where(AuditRecord.subject_id.like(mine)).order_by(AuditRecord.seq)
        ):
            records.setdefault(scrub(r.subject_id, w), []).append(
                (r.event, scrub(r.actor, w), scrub(r.payload, w))
            )
        return {
            "actions": by_subject,
            "posts": {
                scrub(p.id, w): (p.visibility, p.label_text)
                for p in s.scalars(select(Post).where(Post.id.like(mine)))
            },
            "strikes": sorted(
                (scrub(k.account_id, w), k.rule_id, k.weight, k.revoked_at is None)
                for k in s.scalars(select(Strike).where(Strike.account_id.like(mine)))
            ),
            "accounts": {
                scrub(a.id, w): (a.status, a.suspended_until is not None)
                for a in s.scalars(select(Account).where(Account.id.like(mine)))
            },
            "cases": sorted(
                (
                    scrub(c.post_id or c.account_id, w),
                    c.queue,
                    c.status,
                    c.origin,
                    c.proposed_action or "",
                    c.proposed_rule or "",
                    round(float(c.priority or 0), 6),
                )
                for c in s.scalars(select(Case).where(Case.account_id.like(mine) | Case.post_id.like(mine)))
            ),
            "audit": records,
        }


@pytest.mark.parametrize("order", ["fast_first", "reference_first"])
def test_batch_path_records_what_the_single_door_records(db: Database, order: str) -> None:
    build_world(db, "x")
    build_world(db, "y")
    worlds = [("x", True), ("y", False)] if order == "fast_first" else [("y", False), ("x", True)]
    for w, fast in worlds:
        enforce_world(db, w, fast=fast)
    batched, reference = snapshot(db, "x"), snapshot(db, "y")
    # the scenario exercised what it claims (else the comparison proves little)
    assert (
        reference["posts"]["threat"][0] == "limited_reach"
        and reference["posts"]["hate"][0] == "limited_reach"
    )
    assert reference["accounts"]["a5"] == ("suspended", True)
    assert any(c[0] == "threat" and c[4] == "remove" for c in reference["cases"])
    assert (
        len(reference["actions"]["twice2"]) == 1
        and reference["actions"]["misinfo"][0][3] == "misinfo.repeated"
    )
    assert reference["actions"]["reported"][0][9] == "SOURCE_ARTICLE_16"
    for part in ("posts", "actions", "strikes", "accounts", "cases", "audit"):
        assert batched[part] == reference[part], part
    with db.session() as s:
        count, problem = audit.verify(s)
        checked, problems = verify_states(s)
    assert problem is None and count > 20
    assert problems == [] and checked > 0


def test_batch_path_writes_with_a_constant_number_of_statements(db: Database) -> None:
    """Ten more simple acted posts in a batch cost no more statements (the point of the batch path)."""
    from sqlalchemy import event

    def statements(n: int, w: str) -> int:
        posts = [{"id": f"{w}-p{i}", "author": f"{w}-a{i}", "text": "t", "lang": "en"} for i in range(n)]
        with db.session() as s:
            ingest(s, posts, assess=False)
        count = 0

        def tick(*_: Any) -> None:
            nonlocal count
            count += 1

        event.listen(db.engine, "before_cursor_execute", tick)
        try:
            with db.session() as s:
                rows = [s.get(Post, p["id"]) for p in posts]
                process.assess_posts(s, rows, [result("hate_speech")] * n, worker="test")  # type: ignore[arg-type]
        finally:
            event.remove(db.engine, "before_cursor_execute", tick)
        return count

    few, many = statements(2, "f"), statements(12, "m")
    assert many - few <= 2, (few, many)
