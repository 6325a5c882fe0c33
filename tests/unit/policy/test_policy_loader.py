"""Policy files: the shipped default, the packaged copy, and `policy check` messages (golden)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from townsquare.cli.main import app
from townsquare.core.enums import ActionType
from townsquare.core.errors import Invalid
from townsquare.policy.engine import PACKAGED_DEFAULT, load_policy
from townsquare.policy.loader import PolicyError, check_text, load_text

ROOT = Path(__file__).resolve().parents[3]
GOLDEN = ROOT / "tests" / "golden" / "policy" / "check"
CASES = sorted(p.stem for p in GOLDEN.glob("*.yaml"))


def test_repo_policy_and_packaged_copy_are_identical() -> None:
    assert (ROOT / "policies" / "default.yaml").read_bytes() == PACKAGED_DEFAULT.read_bytes()


def test_default_policy_is_valid_bilingual_and_versioned() -> None:
    policy = load_policy(ROOT / "policies" / "default.yaml")
    assert policy.version and len(policy.sha256) == 64
    refs = [r.ref for r in policy.rules]
    assert "hate.dehumanisation@2" in refs
    for rule in policy.all_rules():
        assert set(rule.title) == {"fr", "en"} and set(rule.text) == {"fr", "en"}
        assert all(rule.title.values()) and all(rule.text.values())
    assert [(t.at, t.action, t.hours) for t in policy.strikes.thresholds] == [
        (3, ActionType.SUSPEND, 72),
        (5, ActionType.PERMANENT_BAN, None),
    ]
    assert "NO" in policy.territorial_scope  # quoted in YAML: bare NO is a boolean


def test_rule_lookup_by_id_or_ref() -> None:
    policy = load_policy()
    assert policy.rule("hate.dehumanisation").version == 2
    assert policy.rule("hate.dehumanisation@2").id == "hate.dehumanisation"
    assert policy.rule("account.strikes@1").id == "account.strikes"
    with pytest.raises(Invalid, match="unknown rule version"):
        policy.rule("hate.dehumanisation@1")
    with pytest.raises(Invalid, match="unknown rule"):
        policy.rule("nope.nothing")
    with pytest.raises(Invalid, match="malformed rule id"):
        policy.rule("DROP TABLE")


@pytest.mark.parametrize("case", CASES)
def test_check_messages_golden(case: str) -> None:
    source = GOLDEN / f"{case}.yaml"
    policy, problems = check_text(source.read_text(encoding="utf-8"))
    assert policy is None and problems
    got = "".join(p.render(source.name) + "\n" for p in problems)
    expected_file = GOLDEN / f"{case}.expected"
    if os.environ.get("UPDATE_GOLDEN"):
        expected_file.write_text(got, encoding="utf-8")
    assert got == expected_file.read_text(encoding="utf-8")


def test_cli_check_prints_file_line_col_and_exits_1() -> None:
    runner = CliRunner()
    bad = GOLDEN / "bad_ids.yaml"
    result = runner.invoke(app, ["policy", "check", str(bad)])
    assert result.exit_code == 1
    expected = (GOLDEN / "bad_ids.expected").read_text(encoding="utf-8").replace("bad_ids.yaml", str(bad))
    assert result.stdout == expected
    ok = runner.invoke(app, ["policy", "check", str(ROOT / "policies" / "default.yaml")])
    assert ok.exit_code == 0 and ": ok (" in ok.stdout


def test_cli_check_missing_file(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["policy", "check", str(tmp_path / "absent.yaml")])
    assert result.exit_code == 1
    assert result.stdout.startswith(f"{tmp_path / 'absent.yaml'}:1:1: cannot read policy file")


def test_load_text_raises_with_every_problem() -> None:
    with pytest.raises(PolicyError) as info:
        load_text((GOLDEN / "bad_conditions.yaml").read_text(), "x.yaml")
    assert info.value.status == 422
    assert len(info.value.render()) == len(check_text((GOLDEN / "bad_conditions.yaml").read_text())[1])
    assert all(line.startswith("x.yaml:") for line in info.value.render())


def test_cli_show_lists_rules_in_order() -> None:
    result = CliRunner().invoke(app, ["policy", "show"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert (
        out.index("hate.dehumanisation@2") < out.index("hate.derogation@1") < out.index("account.warning@1")
    )
    assert "strikes account.strikes@1: expire after 90 days" in out
    bad = CliRunner().invoke(app, ["policy", "show", "--policy", str(GOLDEN / "bad_ids.yaml")])
    assert bad.exit_code == 1
