"""Pure parts of "what is in force": replay counts what automation would apply (the ceiling), rules firing on
reports make the reports the DSA source, statement explanations name the action taken and an interim says so."""

from __future__ import annotations

from pathlib import Path

from townsquare.core.enums import ActionType
from townsquare.policy.conditions import Facts
from townsquare.policy.engine import default_path, load_policy
from townsquare.policy.in_force import automated_source, statement_explanation, uses_reports
from townsquare.policy.replay import ReplayItem, compare

FLOOR = Facts(
    labels=frozenset({"hate_speech"}),
    scores={"hate_speech": 0.99},
    tiers={"hate_speech": "floor"},
    text="x",
    normalized="x",
    lang="en",
    strikes=0.0,
    reports=0,
)


def _candidate(tmp_path: Path) -> object:
    text = Path(default_path()).read_text(encoding="utf-8")
    marker = "    action: remove\n    strike: 1\n    possibly_illegal: true\n    title:\n      fr: Discours de haine"
    assert marker in text
    path = tmp_path / "candidate.yaml"
    path.write_text(
        text.replace(marker, marker.replace("action: remove", "action: label"), 1), encoding="utf-8"
    )
    return load_policy(path)


def test_replay_reports_the_action_in_force_under_the_ceiling(tmp_path: Path) -> None:
    current, candidate = load_policy(), _candidate(tmp_path)
    items = [ReplayItem("p1", FLOOR)]
    proposals = compare(items, current, candidate)  # type: ignore[arg-type]
    assert proposals.transitions == {"remove -> label": 1}
    in_force = compare(items, current, candidate, ceiling=ActionType.LIMIT_REACH)  # type: ignore[arg-type]
    assert in_force.transitions == {"limit_reach -> label": 1}
    assert in_force.decisions["limit_reach"] == {"current": 1, "candidate": 0}


def test_rules_on_reports_make_the_reports_the_source() -> None:
    policy = load_policy()
    on_reports = [r for r in policy.rules if uses_reports(r.when)]
    assert on_reports, "the default policy has a rule that counts reports"
    assert not uses_reports(policy.rule("hate.dehumanisation").when)
    decision = policy.evaluate(FLOOR)
    assert automated_source(decision, reports=3) == "SOURCE_VOLUNTARY"  # fired on the text, not the reports


def test_statement_explanation_names_the_action_taken() -> None:
    rule = load_policy().rule("hate.dehumanisation")
    interim = statement_explanation(rule=rule, action=ActionType.LIMIT_REACH, interim=True)
    assert (
        "We remove it" not in interim and "Interim measure" in interim and "removal was proposed" in interim
    )
    assert "The reach of the content was limited" in interim
    decided = statement_explanation(rule=rule, action=ActionType.LABEL, interim=False)
    assert "A public label was added" in decided and "Interim" not in decided and "removed" not in decided


def test_old_statements_leave_without_the_private_note() -> None:
    from townsquare.transparency.statements import WITHHELD, withhold_private

    stored = {
        "decision_facts": "Human review: a moderator applied community standard x@1. Reviewer's note: call me at a@b.org",
        "category_specification": ["KEYWORD_OTHER"],
        "puid": "ts-1",
    }
    out = withhold_private(stored, "call me at a@b.org")
    assert "a@b.org" not in str(out) and WITHHELD in out["decision_facts"]
    assert stored["decision_facts"].endswith("a@b.org")  # the stored record itself is untouched
    assert withhold_private(stored, "ok") is stored  # short notes are ordinary words, not searched
