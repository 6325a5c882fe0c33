"""`townsquare policy ...`: check and replay policies; manual actions, reversals, listings and notices."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path

import typer
from rich.table import Table

from townsquare.cli.common import console, fail, session
from townsquare.core import clock
from townsquare.core.enums import ActionType, SubjectType

app = typer.Typer(help="Community standards: check, replay, act, reverse.", no_args_is_help=True)


def parse_date(value: str | None) -> datetime | None:
    """YYYY-MM-DD (midnight UTC) or an ISO 8601 date-time; a bad value exits with a clear message."""
    if value is None:
        return None
    try:
        return clock.as_utc(datetime.fromisoformat(value.replace("Z", "+00:00")))
    except ValueError:
        fail(f"--since: {value!r} is not a date (YYYY-MM-DD) or an ISO 8601 date-time")
    raise AssertionError  # unreachable: fail() exits


@app.command()
def check(files: list[Path] = typer.Argument(..., help="Policy YAML files.")) -> None:
    """Validate policy files; errors print as FILE:LINE:COL: MESSAGE and the exit code is 1."""
    from townsquare.policy.loader import check_text
    from townsquare.policy.yamlnodes import Problem

    bad = False
    for path in files:
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            typer.echo(Problem(1, 1, f"cannot read policy file: {exc.strerror or exc}").render(str(path)))
            bad = True
            continue
        policy, problems = check_text(text)
        for problem in problems:
            typer.echo(problem.render(str(path)))
        if policy is None:
            bad = True
        else:
            auto = sum(1 for r in policy.rules if r.automatic)
            typer.echo(f"{path}: ok ({len(policy.rules)} rules, {auto} automatic; version {policy.version})")
    if bad:
        raise typer.Exit(1)


@app.command()
def show(
    policy_file: Path = typer.Option(None, "--policy", help="Policy file (default: the active one)."),
) -> None:
    """List the rules of a policy in evaluation order."""
    from townsquare.policy.engine import load_policy

    try:
        policy = load_policy(policy_file)
    except Exception as exc:  # noqa: BLE001 - PolicyError and read errors both end here
        fail(str(exc))
        return
    table = Table(title=f"{policy.name} {policy.label}")
    for col in ("#", "rule", "action", "strike", "when"):
        table.add_column(col)
    for i, rule in enumerate(policy.rules, start=1):
        table.add_row(
            str(i),
            rule.ref,
            rule.action.value,
            f"{rule.strike:g}",
            rule.when.describe() if rule.when else "(manual)",
        )
    console.print(table)
    thresholds = ", ".join(f"{t.at:g} -> {t.action.value}" for t in policy.strikes.thresholds)
    console.print(
        f"strikes {policy.strikes.ref}: expire after {policy.strikes.expiry_days} days; {thresholds}"
    )


@app.command()
def replay(
    policy_file: Path = typer.Option(..., "--policy", help="Candidate policy YAML."),
    since: str = typer.Option(None, "--since", help="Only posts created on/after this date (YYYY-MM-DD)."),
    corpus: Path = typer.Option(
        None, "--corpus", help="Replay a JSONL fixture corpus instead of the database."
    ),
    examples: int = typer.Option(5, "--examples", min=0, help="Changed decisions to show."),
    as_json: bool = typer.Option(False, "--json", help="Print the report as JSON."),
) -> None:
    """Re-evaluate stored posts against a candidate policy, without acting; report what would change."""
    from townsquare.policy import replay as rp
    from townsquare.policy.engine import load_policy
    from townsquare.policy.loader import PolicyError

    try:
        candidate = load_policy(policy_file)
        current = load_policy()
    except PolicyError as exc:
        for line in exc.render():
            typer.echo(line, err=True)
        raise typer.Exit(1) from None
    start = parse_date(since)
    if corpus is not None:
        from townsquare.policy.ceiling import automation_ceiling

        # what automation would put in force (capped at the configured ceiling), as the database replay does
        report = rp.compare(rp.load_corpus(corpus), current, candidate, examples, automation_ceiling())
    else:
        with session() as s:
            report = rp.replay_db(s, candidate, current, since=start, examples=examples)
            s.rollback()  # replay never writes; make that structural
    if as_json:
        typer.echo(json.dumps(report.to_dict(), indent=2, ensure_ascii=False))
        return
    console.print(
        f"replay: {report.total} posts; {report.changed} decisions would change "
        f"({report.current} -> {report.candidate})"
    )
    table = Table(title="fired per rule")
    for col in ("rule", "current", "candidate", "delta"):
        table.add_column(col)
    for ref, n in report.per_rule.items():
        table.add_row(ref, str(n["current"]), str(n["candidate"]), f"{n['candidate'] - n['current']:+d}")
    console.print(table)
    for transition, count in report.transitions.items():
        console.print(f"  {transition}: {count}")
    for ex in report.examples:
        console.print(
            f"  e.g. {ex['post_id']}: {ex['current']['action']} ({ex['current']['rule']}) -> "
            f"{ex['candidate']['action']} ({ex['candidate']['rule']})"
        )


@app.command()
def act(
    action: ActionType = typer.Option(..., "--action", help="Action to take."),
    rule: str = typer.Option(..., "--rule", help="Rule id (area.name or area.name@version)."),
    reason: str = typer.Option(
        "", "--reason", help="Private note (old name of --private-note; never published)."
    ),
    actor: str = typer.Option(..., "--actor", help="The person taking the action."),
    explanation: str = typer.Option("", "--explanation", help="Public, for the author (statement, notice)."),
    private_note: str = typer.Option("", "--private-note", help="Moderators, council panel, auditors only."),
    post: str = typer.Option(None, "--post", help="Post id."),
    account: str = typer.Option(None, "--account", help="Account id."),
    hours: int = typer.Option(None, "--hours", min=1, help="Suspension length in hours."),
) -> None:
    """Take a manual action on a post or an account, as a person (on a reported subject it answers the reports)."""
    from townsquare.notices.manual import take_manual_action

    if (post is None) == (account is None):
        fail("name exactly one of --post or --account")
    subject_type, subject_id = (SubjectType.POST, post) if post else (SubjectType.ACCOUNT, account)
    with session() as s:
        row = take_manual_action(
            s,
            subject_type=subject_type.value,
            subject_id=str(subject_id),
            action=action,
            rule_id=rule,
            actor=actor,
            explanation=explanation,
            private_note=private_note or reason,
            ends_at=clock.now() + timedelta(hours=hours) if hours else None,
        )
        console.print(
            f"action {row.id} ({row.puid}): {row.action} on {row.subject_type} {subject_id} "
            f"under {row.rule_id}@{row.rule_version}"
        )


@app.command()
def reverse(
    action_id: int = typer.Argument(..., help="Action id."),
    reason: str = typer.Option(..., "--reason"),
    actor: str = typer.Option(..., "--actor"),
) -> None:
    """Reverse an action (never a permanent ban: only a binding council decision lifts one)."""
    from townsquare.policy.enforce import reverse_action

    with session() as s:
        row = reverse_action(s, action_id=action_id, actor=actor, reason=reason)
        console.print(f"action {row.id} reversed")


@app.command("actions")
def list_cmd(
    post: str = typer.Option(None, "--post"),
    account: str = typer.Option(None, "--account"),
) -> None:
    """List the actions on a post or an account."""
    from townsquare.policy.enforce import list_actions

    if (post is None) == (account is None):
        fail("name exactly one of --post or --account")
    with session() as s:
        rows = list_actions(s, post_id=post, account_id=account)
        for r in rows:
            subject = r.post_id if r.subject_type == "post" else r.account_id
            typer.echo(
                f"{r.id}\t{r.puid}\t{r.subject_type}:{subject}\t{r.action}\t{r.status}\t"
                f"{r.rule_id}@{r.rule_version}\t{r.actor_kind}:{r.actor}\t{r.created_at.isoformat()}"
            )
        if not rows:
            typer.echo("no actions")


@app.command()
def notice(
    action_id: int = typer.Argument(...), lang: str = typer.Option(None, "--lang", help="fr or en.")
) -> None:
    """Print the notice the author receives for an action."""
    from townsquare.policy.enforce import get_action
    from townsquare.policy.status import author_notice

    with session() as s:
        typer.echo(author_notice(s, get_action(s, action_id), lang)["text"])


@app.command()
def expire() -> None:
    """Mark actions whose end date passed (suspensions) as expired and restore the accounts."""
    from townsquare.policy.enforce import expire_due

    with session() as s:
        console.print(f"{expire_due(s)} actions expired")


@app.command()
def ceiling(
    value: str = typer.Argument(None, help="New ceiling (a post action); omit to print the current one."),
    actor: str = typer.Option("operator", "--actor", help="Who makes the change (audited)."),
) -> None:
    """Print or set the automation ceiling (the strongest post action automation takes alone)."""
    from townsquare.policy.ceiling import automation_ceiling
    from townsquare.policy.runtime import set_automation_ceiling

    with session() as s:
        if value is None:
            typer.echo(automation_ceiling(s).value)
            return
        typer.echo(f"automation ceiling: {set_automation_ceiling(s, value=value, actor=actor).value}")
