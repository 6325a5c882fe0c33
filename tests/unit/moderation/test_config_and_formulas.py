"""Pure parts of moderation: queue config, routing, priority formula, reasons, credibility, webhook signing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from townsquare.core.enums import ActionType
from townsquare.core.errors import Invalid, NotFound
from townsquare.moderation import priority, webhooks
from townsquare.moderation.credibility import smoothed
from townsquare.moderation.queues import load_queues, parse_queues
from townsquare.moderation.taxonomy import BY_CODE, REASONS
from townsquare.moderation.wellbeing import display_mode
from townsquare.storage.models import ModeratorSettings


def test_shipped_queues_powers() -> None:
    cfg = load_queues()
    assert {"triage", "hate_harassment", "appeals", "council_referrals", "senior"} <= set(cfg.queues)
    triage = cfg.get("triage").allowed_actions
    assert ActionType.SUSPEND not in triage and ActionType.PERMANENT_BAN not in triage
    assert ActionType.PERMANENT_BAN in cfg.get(cfg.senior_queue).allowed_actions
    for name, q in cfg.queues.items():
        if name != cfg.senior_queue:
            assert ActionType.PERMANENT_BAN not in q.allowed_actions, name
    assert not cfg.get(cfg.council_queue).allowed_actions
    with pytest.raises(NotFound):
        cfg.get("nope")


@pytest.mark.parametrize(
    ("kw", "queue"),
    [
        ({"origin": "report", "reasons": ["spam"]}, "triage"),
        ({"origin": "report", "reasons": ["hate"]}, "hate_harassment"),
        ({"origin": "report", "reasons": ["illegal"]}, "illegal_content"),
        ({"origin": "report", "reasons": ["other"], "labels": ["harassment"]}, "hate_harassment"),
        ({"origin": "report", "reasons": ["self_harm"]}, "safety"),
        ({"origin": "automation", "proposed_action": "permanent_ban"}, "senior"),
        ({"origin": "automation", "proposed_action": "remove", "labels": ["violent_threat"]}, "safety"),
        ({"origin": "appeal"}, "appeals"),
    ],
)
def test_routing(kw: dict[str, object], queue: str) -> None:
    assert load_queues().route(**kw) == queue  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "doc",
    [
        {},
        {"queues": {"a": {"allowed_actions": ["obliterate"]}}},
        {"queues": {"triage": {}}, "routing": [{"when": {"colour": "red"}, "queue": "triage"}]},
        {"queues": {"triage": {}}, "routing": [{"when": {"origin": "report"}, "queue": "missing"}]},
        {"queues": {"triage": {}}, "senior_queue": "missing"},
        {"queues": {"triage": {}}, "routing": [{"when": {"origin": 3}, "queue": "triage"}]},
    ],
)
def test_bad_queue_configs_are_refused(doc: dict[str, object]) -> None:
    with pytest.raises(Invalid):
        parse_queues(doc)


def test_minimal_config_defaults() -> None:
    cfg = parse_queues({"queues": {"triage": {}, "senior": {}, "appeals": {}, "council_referrals": {}}})
    assert cfg.route(origin="report") == "triage" and cfg.get("triage").allowed_actions == frozenset()


def test_priority_components_are_monotone() -> None:
    base = {"risk": "medium", "scores": {"hate_speech": 0.4}, "reach": 10, "credibilities": [0.5]}
    p0 = priority.priority(**base)  # type: ignore[arg-type]
    assert priority.priority(**{**base, "risk": "floor"}) > p0  # type: ignore[arg-type]
    assert priority.priority(**{**base, "reach": 100_000}) > p0  # type: ignore[arg-type]
    assert priority.priority(**{**base, "credibilities": [0.5, 0.5]}) > p0  # type: ignore[arg-type]
    assert priority.priority(**{**base, "credibilities": [0.9]}) > p0  # type: ignore[arg-type]
    assert priority.priority(**{**base, "credibilities": [0.1]}) < p0  # type: ignore[arg-type]
    assert priority.reach_score(10**12) == 30.0 and priority.reach_score(None) == 0.0
    assert priority.severity_score(None, None) == 0.0


def test_rank_key_orders_like_effective_priority() -> None:
    t0 = datetime(2026, 1, 1, tzinfo=UTC)
    cases = [(10.0, t0), (5.0, t0 - timedelta(hours=20)), (12.0, t0 + timedelta(hours=1))]
    now = t0 + timedelta(hours=5)
    by_rank = sorted(cases, key=lambda c: -priority.rank_key(*c))
    by_effective = sorted(cases, key=lambda c: -priority.effective(c[0], c[1], now))
    assert by_rank == by_effective
    assert priority.effective(10.0, t0, t0 + timedelta(hours=2)) == 10.0 + 2 * priority.AGE_PER_HOUR


def test_reasons_taxonomy() -> None:
    assert all(r.fr and r.en and r.fr != r.en for r in REASONS)
    assert BY_CODE["illegal"].needs_legal_ground and BY_CODE["other"].needs_text
    assert len({r.code for r in REASONS}) == len(REASONS)


def test_credibility_smoothing() -> None:
    assert smoothed(0, 0) == 0.5
    assert smoothed(9, 0) > 0.9 and smoothed(0, 9) < 0.1


def test_webhook_signature_and_backoff() -> None:
    sig = webhooks.sign("k", "1700000000", b'{"a":1}')
    assert sig.startswith("sha256=") and len(sig) == 7 + 64
    assert webhooks.verify("k", "1700000000", b'{"a":1}', sig)
    assert not webhooks.verify("k", "1700000001", b'{"a":1}', sig)
    assert not webhooks.verify("k", "1700000000", b'{"a":2}', sig)
    delays = [webhooks.backoff(n) for n in range(1, 12)]
    assert delays[0] == webhooks.BASE_DELAY and delays[1] == 2 * webhooks.BASE_DELAY
    assert delays == sorted(delays) and max(delays) == webhooks.MAX_DELAY


@pytest.mark.parametrize(
    ("blur", "hide", "severe", "mode"),
    [
        (True, False, True, "blur"),
        (False, True, True, "hide"),
        (True, True, True, "hide"),
        (False, False, True, "show"),
        (True, True, False, "show"),
    ],
)
def test_display_mode(blur: bool, hide: bool, severe: bool, mode: str) -> None:
    assert display_mode(ModeratorSettings(moderator="m", blur_severe=blur, hide_severe=hide), severe) == mode
