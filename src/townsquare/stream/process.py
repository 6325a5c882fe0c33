"""Classify, enforce and store a batch of posts exactly once per (post, policy version).

Both modes run this: embedded ingest calls `assess_posts` in its own transaction; a worker calls `process_ids`,
which classifies *outside* any transaction (the CPU-heavy part, so workers overlap) and then, in one
transaction: claims the posts in `processed_posts` (INSERT .. ON CONFLICT DO NOTHING — a concurrent worker with
the same posts waits on the key and then gets nothing), stores every assessment in one flush, evaluates the
policy with facts fetched for the whole batch, and enforces only where the policy acts. A redelivered post finds
its claim and produces no effect at all; the message is acked after the commit.
"""

from __future__ import annotations

import os
import socket
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from townsquare.core import clock
from townsquare.core.enums import ActionType, SubjectType
from townsquare.observability import metrics
from townsquare.policy import batch, pipeline
from townsquare.policy.engine import active_policy
from townsquare.policy.rules import Policy
from townsquare.storage.bulk import in_values, insert_new, update_by_key
from townsquare.storage.db import Database
from townsquare.storage.models import Assessment, Post, ProcessedPost, Report, Strike


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


@dataclass(frozen=True)
class PostFacts:
    """What the batch path reads of a post. A worker's classifier process sends these, not ORM rows: unpickling
    rows and merging them into the write session cost more per post than the rest of the hand-over, and only the
    posts the policy acts on need a row (loaded in one query inside the write transaction)."""

    id: str
    author_id: str
    lang: str | None
    text: str

    @classmethod
    def of(cls, post: Post) -> PostFacts:
        return cls(post.id, post.author_id, post.lang, post.text)


AnyPost = Post | PostFacts


def _rows(session: Session, posts: Sequence[AnyPost]) -> dict[str, Post]:
    """ORM rows of `posts`: rows given as rows, the others read in one query (in the caller's transaction)."""
    out = {p.id: p for p in posts if isinstance(p, Post)}
    need = [p.id for p in posts if not isinstance(p, Post)]
    if need:
        out.update((r.id, r) for r in session.scalars(select(Post).where(in_values(session, Post.id, need))))
    return out


@dataclass
class BatchResult:
    """What one batch did: `assessed` new posts, `skipped` already processed (redeliveries), `missing` ids."""

    assessed: int = 0
    skipped: int = 0
    missing: int = 0
    actions: int = 0
    assessed_ids: list[str] = field(default_factory=list)


def _claim(session: Session, ids: Sequence[str], label: str, worker: str) -> set[str]:
    """Insert the idempotency keys; returns the ids this transaction now owns (others were done already)."""
    if not ids:
        return set()
    rows = [
        {"post_id": i, "policy_version": label, "worker": worker, "processed_at": clock.now()} for i in ids
    ]
    return insert_new(session, ProcessedPost, rows, ProcessedPost.post_id)


def _strike_weights(session: Session, authors: set[str]) -> dict[str, float]:
    """Active strike weight per author, one query (same filter as `policy.strikes.active_weight`)."""
    if not authors:
        return {}
    now = clock.now()
    q = (
        select(Strike.account_id, func.coalesce(func.sum(Strike.weight), 0.0))
        .where(
            in_values(session, Strike.account_id, authors),
            Strike.revoked_at.is_(None),
            Strike.expires_at > now,
            Strike.created_at <= now,
        )
        .group_by(Strike.account_id)
    )
    return {str(a): float(w or 0.0) for a, w in session.execute(q)}


def _report_counts(session: Session, post_ids: list[str]) -> dict[str, int]:
    """Distinct reporters per post, one query (posts can be reported before a worker reaches them)."""
    q = (
        select(Report.subject_id, func.count(func.distinct(Report.reporter_id)))
        .where(Report.subject_type == SubjectType.POST.value, in_values(session, Report.subject_id, post_ids))
        .group_by(Report.subject_id)
    )
    return {str(p): int(n) for p, n in session.execute(q)}


def assess_posts(
    session: Session,
    posts: Sequence[AnyPost],
    results: Sequence[Any],
    *,
    worker: str = "embedded",
    policy: Policy | None = None,
    fast: bool = True,
) -> BatchResult:
    """Claim, store and enforce classified posts in the caller's transaction (both modes end here).

    `fast=False` enforces every acted post one by one through `apply_action` (the reference `policy.batch` is
    tested against); the default writes the simple ones together."""
    out = BatchResult()
    policy = policy or active_policy(session)
    owned = _claim(session, [p.id for p in posts], policy.label, worker)
    todo = [(p, r) for p, r in zip(posts, results, strict=True) if p.id in owned]
    out.skipped = len(posts) - len(todo)
    if not todo:
        return out
    from townsquare.policy.subjects import expire_due

    expire_due(session)  # ended suspensions first, so strike thresholds see today's account states
    values = [pipeline.assessment_values(p, r) for p, r in todo]
    ids = pipeline.insert_assessments(session, values)  # one batched INSERT for the whole batch
    weights = _strike_weights(session, {p.author_id for p, _ in todo})
    reports = _report_counts(session, [p.id for p, _ in todo])
    found: list[tuple[AnyPost, int, Any, Any, Any]] = []  # (post, assessment id, stored, facts, decision)
    # posts of an author acted on earlier in the batch: enforced one by one, on fresh facts
    later_refs: list[tuple[AnyPost, int]] = []
    first: set[str] = set()
    for (post, _), row_id, vals in zip(todo, ids, values, strict=True):
        if post.author_id in first:
            later_refs.append((post, row_id))
            continue
        stored = SimpleNamespace(id=row_id, **vals)  # the assessment as written, without reading it back
        facts = pipeline.facts_from(
            stored,
            text=post.text,
            lang=post.lang,
            strike_weight=weights.get(post.author_id, 0.0),
            reports=reports.get(post.id, 0),
        )
        decision = policy.evaluate(facts)
        if decision.action is not ActionType.NONE and decision.rule is not None:
            first.add(post.author_id)
            found.append((post, row_id, stored, facts, decision))
    # ORM rows only for the posts enforcement may write to (a worker's batch holds plain references)
    rows = _rows(session, [f[0] for f in found] + [p for p, _ in later_refs])
    acted = [batch.Acted(rows[p.id], row_id, st, fa, de) for p, row_id, st, fa, de in found]
    later = [(rows[p.id], row_id) for p, row_id in later_refs]
    out.actions = len(acted)
    rest = batch.enforce_fresh(session, policy, acted, weights=weights) if fast else acted
    for it in rest:  # no other post of their author acted before them: the batch's facts still hold
        pipeline.enforce_assessment(session, it.post, _row(session, it.assessment_id), policy, facts=it.facts)
    for post, row_id in later:  # in batch order, each on the facts the posts before it left
        decision = pipeline.enforce_assessment(session, post, _row(session, row_id), policy)
        out.actions += decision.action is not ActionType.NONE
    update_by_key(
        session,
        ProcessedPost,
        [
            {"post_id": post.id, "policy_version": policy.label, "assessment_id": row_id}
            for (post, _), row_id in zip(todo, ids, strict=True)
        ],
        ProcessedPost.post_id,
        ProcessedPost.policy_version,
    )
    out.assessed = len(todo)
    mode = "embedded" if worker == "embedded" else "worker"
    metrics.CLASSIFIED.labels(mode).inc(out.assessed)
    metrics.ENFORCED.labels(mode).inc(out.actions)
    out.assessed_ids = [p.id for p, _ in todo]
    return out


def _row(session: Session, assessment_id: int) -> Assessment:
    row = session.get(Assessment, assessment_id)
    assert row is not None
    return row


def classify_posts(posts: Sequence[AnyPost]) -> list[Any]:
    from townsquare.classify import classify

    return list(classify([p.text for p in posts], langs=[p.lang for p in posts]))


def unprocessed(session: Session, ids: Sequence[str]) -> tuple[list[Post], int]:
    """(posts among `ids` never processed under any policy version, number of unknown ids)."""
    uniq = list(dict.fromkeys(ids))
    if not uniq:
        return [], 0
    done = set(
        session.scalars(select(ProcessedPost.post_id).where(in_values(session, ProcessedPost.post_id, uniq)))
    )
    posts = list(
        session.scalars(select(Post).where(in_values(session, Post.id, [i for i in uniq if i not in done])))
    )
    found = done | {p.id for p in posts}
    return posts, len([i for i in uniq if i not in found])


@dataclass
class Prepared:
    """A batch read and classified, not yet written: `process_ids` is `commit(prepare(...))`.

    A worker prepares the next batch while the previous one commits (the classifier and the database each keep a
    core busy); nothing here is claimed yet, so a batch prepared twice is still written once."""

    posts: list[PostFacts]
    results: list[Any]
    missing: int
    already: int  # ids of the batch processed before it was read (redeliveries)
    classify_seconds: float = (
        0.0  # observed by `commit`, in the worker's own process (the metrics live there)
    )


def prepare(database: Database, ids: Sequence[str]) -> Prepared:
    """Read the batch's unprocessed posts and classify them, with no transaction open while classifying."""
    with database.read_session() as rs:
        rows, missing = unprocessed(rs, ids)
        posts = [PostFacts.of(p) for p in rows]
    t0 = time.perf_counter()
    results = classify_posts(posts) if posts else []
    already = len(list(dict.fromkeys(ids))) - len(posts) - missing
    return Prepared(posts, results, missing, already, time.perf_counter() - t0)


def commit(database: Database, batch: Prepared, *, worker: str | None = None) -> BatchResult:
    """The batch's one write transaction: claim, store, enforce (see `assess_posts`)."""
    worker = worker or worker_name()
    metrics.CLASSIFY_SECONDS.labels("worker").observe(batch.classify_seconds)
    t1 = time.perf_counter()
    with database.session() as session:
        out = assess_posts(session, batch.posts, batch.results, worker=worker)
    metrics.COMMIT_SECONDS.labels("worker").observe(time.perf_counter() - t1)
    out.skipped += batch.already
    out.missing = batch.missing
    return out


def process_ids(database: Database, ids: Sequence[str], *, worker: str | None = None) -> BatchResult:
    """A worker's batch in one go: read, classify with no transaction open, then one write transaction."""
    return commit(database, prepare(database, ids), worker=worker)


def assessed_count(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(Assessment)) or 0)
