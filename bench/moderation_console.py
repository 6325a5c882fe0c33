"""Moderation console speed: precedents by meaning and queue previews, against baselines measured in the same run.

Seeds a fresh SQLite database with `--decided` decided cases (posts, assessments, decisions written directly) and
`--open` open reported cases, then prints median wall times over `--runs` passes:

- precedents by meaning for one case (sentence-encoder cosine over the last 300 decided posts), first call
  (embeddings computed) and warm (embeddings cached), against the old top-label lookup (baseline);
- the queue page's previews for 100 cases (snippet, author, reports, language, action in force) against the
  bare ordered listing (baseline).

Run: `.venv/bin/python bench/moderation_console.py [--decided 300] [--open 100] [--runs 5]`.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

TEXTS = [
    "those {g} are vermin and should be wiped out",
    "kill the referee, what a match at the stadium tonight",
    "you are a pathetic loser, everyone laughs at you",
    "double your bitcoin today, guaranteed returns",
    "lovely weather at the market this morning",
    "ces {g} sont des parasites, il faut les chasser",
]
GROUPS = ["migrants", "immigrants", "refugees", "foreigners"]
LABELS = ["hate_speech", "violent_threat", "harassment", "spam_scam"]


def seed(url: str, decided: int, open_cases: int, rng: random.Random) -> list[int]:
    from townsquare.core import clock
    from townsquare.moderation import priority
    from townsquare.storage.db import Database
    from townsquare.storage.models import Account, Assessment, Case, CaseDecision, Post, Report

    db = Database(url)
    open_ids: list[int] = []
    with db.session() as s:
        s.add(Account(id="a", handle="a"))
        s.flush()
        for i in range(decided + open_cases):
            text = rng.choice(TEXTS).format(g=rng.choice(GROUPS)) + f" #{i}"
            s.add(Post(id=f"p{i}", author_id="a", text=text, lang="en", content_hash=str(i)))
            s.flush()
            scores = {lab: round(rng.random(), 3) for lab in rng.sample(LABELS, 2)}
            s.add(
                Assessment(
                    post_id=f"p{i}",
                    model="bench",
                    lang="en",
                    risk=rng.choice(["low", "medium", "high"]),
                    labels=list(scores),
                    scores=scores,
                    tiers={},
                    garm={},
                    evidence=[],
                    normalized=text,
                )
            )
        s.flush()
        now = clock.now()
        for i in range(decided + open_cases):
            is_open = i >= decided
            case = Case(
                subject_type="post",
                post_id=f"p{i}",
                queue="hate_harassment",
                status="open" if is_open else "decided",
                origin="report",
                created_at=now,
                version=0,
                open_key=f"post:p{i}" if is_open else None,
                priority=rng.random() * 60,
            )
            case.rank_key = priority.rank_key(case.priority, now)
            s.add(case)
            s.flush()
            s.add(
                Report(
                    reporter_id=f"r{i}",
                    subject_type="post",
                    subject_id=f"p{i}",
                    post_id=f"p{i}",
                    reason="hate",
                    texts=[],
                    count=1,
                    case_id=case.id,
                )
            )
            if is_open:
                open_ids.append(case.id)
            else:
                s.add(
                    CaseDecision(
                        case_id=case.id,
                        moderator="m",
                        outcome=rng.choice(["action", "no_action"]),
                        action="remove",
                        rule_id="hate.derogation",
                        explanation="x",
                    )
                )
    db.dispose()
    return open_ids


def old_top_label_lookup(session: Any, case: Any) -> list[Any]:
    """The lookup precedents replaced: decisions on posts whose top label equals this post's (baseline)."""
    from sqlalchemy import select

    from townsquare.moderation.cases import latest_assessment
    from townsquare.moderation.view import latest_assessments, top_label
    from townsquare.storage.models import Case, CaseDecision

    label = top_label(latest_assessment(session, case.post_id))
    rows = session.execute(
        select(CaseDecision, Case.post_id)
        .join(Case, Case.id == CaseDecision.case_id)
        .where(Case.post_id != case.post_id)
        .order_by(CaseDecision.id.desc())
        .limit(300)
    ).all()
    latest = latest_assessments(session, {str(p) for _, p in rows})
    return [d for d, p in rows if top_label(latest.get(str(p))) == label][:5]


def median_ms(fn: Callable[[], Any], runs: int) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--decided", type=int, default=300)
    parser.add_argument("--open", type=int, default=100)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    from townsquare.classify.model import embed
    from townsquare.moderation import precedents
    from townsquare.moderation.cases import get_case, list_queue
    from townsquare.moderation.view import queue_rows
    from townsquare.storage import migrate
    from townsquare.storage.db import Database

    t0 = time.perf_counter()
    embed(["warm up"])  # the model load (once per process, shared with the classifier's second stage)
    load_ms = (time.perf_counter() - t0) * 1000
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench.db'}"
        migrate.upgrade(url)
        open_ids = seed(url, args.decided, args.open, random.Random(7))
        db = Database(url)
        with db.session() as s:
            case = get_case(s, open_ids[0])
            base = median_ms(lambda: old_top_label_lookup(s, case), args.runs)
            t0 = time.perf_counter()
            found = precedents.precedents(s, case)
            cold = (time.perf_counter() - t0) * 1000
            warm = median_ms(lambda: precedents.precedents(s, case), args.runs)
            bare = median_ms(lambda: list_queue(s, queue="hate_harassment", limit=100), args.runs)
            rows = list_queue(s, queue="hate_harassment", limit=100)
            previews = median_ms(lambda: queue_rows(s, rows), args.runs)
        db.dispose()
    print(f"sentence encoder load (once per process): {load_ms:.0f} ms")
    print(f"decided cases scanned: {min(300, args.decided)}, precedents found: {len(found)}")
    print(
        f"precedents  first call {cold:8.1f} ms   warm {warm:7.1f} ms   top-label baseline {base:6.1f} ms"
        f"   warm/baseline {warm / base:5.2f}x"
    )
    print(
        f"queue page  previews of {len(rows)} cases {previews:7.1f} ms   bare listing {bare:6.1f} ms"
        f"   ratio {previews / bare:5.2f}x"
    )


if __name__ == "__main__":
    main()
