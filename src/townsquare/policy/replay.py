"""Replay: re-evaluate stored posts (or a fixture corpus) against a candidate policy, without acting.

Only reads: no action, case, strike or audit record is written, whatever the candidate says. Facts are taken as
they are now (latest assessment, current strike weight and report counts), for both the current and the
candidate policy, so the difference comes from the rules alone.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from townsquare.core.enums import ActionType
from townsquare.policy import strikes
from townsquare.policy.conditions import Facts
from townsquare.policy.in_force import replay_effect
from townsquare.policy.pipeline import facts_from, report_count
from townsquare.policy.rules import Decision, Policy
from townsquare.storage.models import Assessment, Post


@dataclass(frozen=True)
class ReplayItem:
    id: str
    facts: Facts


@dataclass
class ReplayReport:
    current: str
    candidate: str
    total: int = 0
    changed: int = 0
    per_rule: dict[str, dict[str, int]] = field(default_factory=dict)
    decisions: dict[str, dict[str, int]] = field(default_factory=dict)
    transitions: dict[str, int] = field(default_factory=dict)
    examples: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "current": self.current,
            "candidate": self.candidate,
            "total": self.total,
            "changed": self.changed,
            "per_rule": self.per_rule,
            "decisions": self.decisions,
            "transitions": self.transitions,
            "examples": self.examples,
        }


def _effect(d: Decision, ceiling: ActionType | None) -> ActionType:
    """What automation would put in force for a decision: capped at the ceiling (the rest becomes a case)."""
    return d.action if ceiling is None else replay_effect(d, ceiling)


def _key(d: Decision, ceiling: ActionType | None) -> tuple[str, str | None]:
    return _effect(d, ceiling).value, d.rule.ref if d.rule else None


def compare(
    items: Iterable[ReplayItem],
    current: Policy,
    candidate: Policy,
    examples: int = 5,
    ceiling: ActionType | None = None,
) -> ReplayReport:
    """Counts per rule and per action under both policies, transitions, and the first changed examples.

    With a `ceiling` (the automation ceiling in force), actions and transitions are what automation would put in
    force — `policy.in_force` semantics — not the rules' proposals: a `remove` proposal is an interim
    `limit_reach` under the default ceiling, so `remove -> label` would misstate the change as `limit_reach -> label`.
    """
    report = ReplayReport(current=current.label, candidate=candidate.label)
    fired_cur: Counter[str] = Counter()
    fired_new: Counter[str] = Counter()
    acts_cur: Counter[str] = Counter()
    acts_new: Counter[str] = Counter()
    transitions: Counter[str] = Counter()
    for item in items:
        report.total += 1
        a, b = current.evaluate(item.facts), candidate.evaluate(item.facts)
        fired_cur.update(a.fired_refs)
        fired_new.update(b.fired_refs)
        ea, eb = _effect(a, ceiling), _effect(b, ceiling)
        acts_cur[ea.value] += 1
        acts_new[eb.value] += 1
        if _key(a, ceiling) != _key(b, ceiling):
            report.changed += 1
            transitions[f"{ea.value} -> {eb.value}"] += 1
            if len(report.examples) < examples:
                report.examples.append({"post_id": item.id, "current": a.to_dict(), "candidate": b.to_dict()})
    for ref in sorted(set(fired_cur) | set(fired_new)):
        report.per_rule[ref] = {"current": fired_cur[ref], "candidate": fired_new[ref]}
    for act in sorted(set(acts_cur) | set(acts_new)):
        report.decisions[act] = {"current": acts_cur[act], "candidate": acts_new[act]}
    report.transitions = dict(sorted(transitions.items()))
    return report


def stored_items(session: Session, since: datetime | None = None, batch: int = 500) -> Iterator[ReplayItem]:
    """Every post (created at or after `since`) with its latest assessment, as facts known now."""
    latest = (
        select(Assessment.post_id, func.max(Assessment.id).label("aid"))
        .group_by(Assessment.post_id)
        .subquery()
    )
    query = (
        select(Post, Assessment)
        .join(latest, latest.c.post_id == Post.id)
        .join(Assessment, Assessment.id == latest.c.aid)
        .order_by(Post.created_at, Post.id)
    )
    if since is not None:
        query = query.where(Post.created_at >= since)
    weights: dict[str, float] = {}
    for post, assessment in session.execute(query).yield_per(batch):
        if post.author_id not in weights:
            weights[post.author_id] = strikes.active_weight(session, post.author_id)
        yield ReplayItem(
            post.id,
            facts_from(
                assessment,
                text=post.text,
                lang=post.lang,
                strike_weight=weights[post.author_id],
                reports=report_count(session, post.id),
            ),
        )


def replay_db(
    session: Session, candidate: Policy, current: Policy, *, since: datetime | None = None, examples: int = 5
) -> ReplayReport:
    from townsquare.policy.ceiling import automation_ceiling

    return compare(stored_items(session, since), current, candidate, examples, automation_ceiling(session))


class _Row:
    """A corpus line seen as an assessment."""

    def __init__(self, raw: dict[str, Any]) -> None:
        self.labels = raw.get("labels", [])
        self.scores = raw.get("scores", {})
        self.tiers = raw.get("tiers", {})
        self.normalized = raw.get("normalized", "")
        self.lang = raw.get("lang")


def load_corpus(path: str | Path) -> list[ReplayItem]:
    """Fixture corpus: JSON lines {id, text, lang, labels, scores, tiers, strikes?, reports?, normalized?}."""
    items = []
    for n, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        try:
            raw = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ValueError(f"{path}:{n}: invalid JSON: {exc.msg}") from None
        items.append(
            ReplayItem(
                str(raw["id"]),
                facts_from(
                    _Row(raw),
                    text=str(raw.get("text", "")),
                    lang=raw.get("lang"),
                    strike_weight=float(raw.get("strikes", 0.0)),
                    reports=int(raw.get("reports", 0)),
                ),
            )
        )
    return items


def decisions(policy: Policy, items: Iterable[ReplayItem]) -> dict[str, dict[str, object]]:
    """Decision per item id (the golden file's shape)."""
    return {item.id: policy.evaluate(item.facts).to_dict() for item in items}
