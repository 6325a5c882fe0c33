"""`townsquare moderation ...`: reports, queues, claims, decisions, appeals, notifications, webhooks.

The CLI acts directly on the database (operators only); a moderator names themself with ``--as``. Detail
commands print JSON (stable for scripts); list commands print tables.
"""

from __future__ import annotations

import contextlib
import json
from typing import TYPE_CHECKING, Any

import typer
from rich.table import Table

from townsquare.cli.common import console, fail, session
from townsquare.cli.lazy import lazy_module

if TYPE_CHECKING:
    from townsquare.moderation import (
        appeals,
        cases,
        claims,
        credibility,
        decisions,
        notifications,
        queues,
        reports,
        stats,
        view,
        webhooks,
        wellbeing,
    )
else:
    (
        appeals,
        cases,
        claims,
        credibility,
        decisions,
        notifications,
        reports,
        stats,
        view,
        webhooks,
        wellbeing,
        queues,
    ) = (
        lazy_module(f"townsquare.moderation.{m}")
        for m in (
            "appeals",
            "cases",
            "claims",
            "credibility",
            "decisions",
            "notifications",
            "reports",
            "stats",
            "view",
            "webhooks",
            "wellbeing",
            "queues",
        )
    )
from townsquare.moderation.taxonomy import REASONS

app = typer.Typer(help="Human moderation: reports, queues, decisions, appeals.", no_args_is_help=True)
queue_app = typer.Typer(help="Queues and their cases.", no_args_is_help=True)
app.add_typer(queue_app, name="queue")

AS_OPTION = typer.Option(..., "--as", help="The moderator acting (their key name).")


def _out(data: Any) -> None:
    typer.echo(json.dumps(data, indent=2, ensure_ascii=False, default=str))


@app.command()
def reasons() -> None:
    """The report reasons with their French and English labels."""
    table = Table("code", "en", "fr", "needs")
    for r in REASONS:
        needs = "legal ground" if r.needs_legal_ground else ("text" if r.needs_text else "")
        table.add_row(r.code, r.en, r.fr, needs)
    console.print(table)


@app.command()
def report(
    reporter: str = typer.Option(..., "--reporter", help="The platform's id of the reporting user."),
    reason: str = typer.Option(..., "--reason", help="A reason code (see `reasons`)."),
    post: str | None = typer.Option(None, "--post", help="Reported post id."),
    account: str | None = typer.Option(None, "--account", help="Reported account id."),
    text: str = typer.Option("", "--text", help="The reporter's explanation."),
    legal_ground: str | None = typer.Option(None, "--legal-ground", help="Law/provision (reason `illegal`)."),
) -> None:
    """File a report (a repeat by the same reporter adds to their report)."""
    if bool(post) == bool(account):
        fail("give exactly one of --post or --account")
    with session() as s:
        row, _ = reports.submit_report(
            s,
            reporter_id=reporter,
            subject_type="post" if post else "account",
            subject_id=str(post or account),
            reason=reason,
            text=text,
            legal_ground=legal_ground,
        )
        _out(reports.report_public(row))


@queue_app.command("list")
def queue_list(
    queue: str | None = typer.Argument(None, help="A queue name; none = the queues with their backlog."),
    limit: int = typer.Option(20, "--limit"),
) -> None:
    """The queues, or the cases of one queue most urgent first."""
    with session() as s:
        if queue is None:
            figures = stats.queue_stats(s)["queues"]
            table = Table("queue", "label", "backlog", "unclaimed", "allowed actions")
            for q in queues.load_queues().queues.values():
                f = figures[q.name]
                table.add_row(
                    q.name,
                    q.label.get("en", q.name),
                    str(f["backlog"]),
                    str(f["unclaimed"]),
                    ", ".join(sorted(a.value for a in q.allowed_actions)),
                )
            console.print(table)
            return
        table = Table("case", "subject", "status", "origin", "priority", "claimed by", "created")
        for c in cases.list_queue(s, queue=queue, limit=limit):
            p = view.case_public(c)
            table.add_row(
                str(c.id),
                f"{c.subject_type}:{p['subject_id']}",
                c.status,
                c.origin,
                f"{p['effective_priority']:.1f}",
                p["claimed_by"] or "",
                p["created_at"][:19],
            )
        console.print(table)


@app.command()
def show(
    case_id: int = typer.Argument(...),
    moderator: str = AS_OPTION,
    reveal: bool = typer.Option(False, "--reveal", help="Show severe text even if your settings hide it."),
) -> None:
    """The case view: post, evidence, reports, author history, similar decisions."""
    with session() as s:
        _out(view.case_view(s, case_id=case_id, moderator=moderator, reveal=reveal))


@app.command()
def claim(case_id: int = typer.Argument(...), moderator: str = AS_OPTION) -> None:
    """Claim a case (its lock times out after `claim_timeout_seconds`)."""
    with session() as s:
        _out(view.case_public(claims.claim(s, case_id=case_id, moderator=moderator)))


@app.command("claim-next")
def claim_next(queue: str = typer.Argument(...), moderator: str = AS_OPTION) -> None:
    """Claim the most urgent unclaimed case of a queue."""
    with session() as s:
        _out(view.case_public(claims.claim_next(s, queue=queue, moderator=moderator)))


@app.command()
def release(case_id: int = typer.Argument(...), moderator: str = AS_OPTION) -> None:
    """Release a claimed case back to its queue."""
    with session() as s:
        _out(view.case_public(claims.release(s, case_id=case_id, moderator=moderator)))


@app.command()
def escalate(
    case_id: int = typer.Argument(...), moderator: str = AS_OPTION, note: str = typer.Option("", "--note")
) -> None:
    """Move a claimed case to the senior queue."""
    with session() as s:
        _out(view.case_public(claims.escalate(s, case_id=case_id, moderator=moderator, note=note)))


@app.command()
def decide(
    case_id: int = typer.Argument(...),
    moderator: str = AS_OPTION,
    action: str = typer.Option(
        ..., "--action", help="none|label|limit_reach|age_restrict|remove|warn|suspend|..."
    ),
    rule: str = typer.Option(..., "--rule", help="The rule applied, e.g. hate.dehumanisation."),
    note: str = typer.Option("", "--note", help="Old name of --private-note."),
    explanation: str = typer.Option("", "--explanation", help="Public, for the author (statement, notice)."),
    private_note: str = typer.Option("", "--private-note", help="Moderators, council panel, auditors only."),
    claim_first: bool = typer.Option(False, "--claim", help="Claim the case first if it is free."),
) -> None:
    """Decide a case you hold; reporters are notified in the same transaction."""
    with session() as s:
        if claim_first:
            claims.claim(s, case_id=case_id, moderator=moderator)
        d = decisions.decide(
            s,
            case_id=case_id,
            moderator=moderator,
            action=action,
            rule_id=rule,
            explanation=explanation,
            private_note=private_note or note,
        )
        _out(decisions.decision_public(d))


@app.command()
def appeal(
    action_id: int = typer.Argument(..., help="The appealed action."),
    author: str = typer.Option(..., "--author", help="The platform's id of the author appealing."),
    text: str = typer.Option(..., "--text"),
) -> None:
    """File the author's appeal (once per action; a permanent ban goes to the council)."""
    with session() as s:
        row, _ = appeals.file_appeal(s, action_id=action_id, appellant_id=author, text=text)
        _out(appeals.appeal_public(row))


@app.command("appeal-decide")
def appeal_decide(
    appeal_id: int = typer.Argument(...),
    moderator: str = AS_OPTION,
    outcome: str = typer.Option(..., "--outcome", help="uphold|overturn|modify"),
    statement: str = typer.Option(..., "--statement", "--explanation", help="Public, told to the appellant."),
    private_note: str = typer.Option("", "--private-note", help="Moderators, council panel, auditors only."),
    new_action: str | None = typer.Option(None, "--new-action", help="The replacing action (modify)."),
    rule: str | None = typer.Option(None, "--rule"),
) -> None:
    """Review an appeal (claims its case first; you may not be the moderator who decided)."""
    with session() as s:
        row = appeals.get_appeal(s, appeal_id)
        if row.case_id is not None:
            claims.claim(s, case_id=row.case_id, moderator=moderator)
        row = appeals.decide_appeal(
            s,
            appeal_id=appeal_id,
            moderator=moderator,
            outcome=outcome,
            statement=statement,
            new_action=new_action,
            rule_id=rule,
            private_note=private_note,
        )
        _out(appeals.appeal_public(row))


@app.command("stats")
def stats_cmd() -> None:
    """Per queue: backlog, time to first action, decisions per rule."""
    with session() as s:
        _out(stats.queue_stats(s))


@app.command("notifications")
def notifications_cmd(
    recipient: str = typer.Argument(..., help="Reporter or author id."),
    unread: bool = typer.Option(False, "--unread"),
) -> None:
    """Notifications sent to a reporter or an author (newest first)."""
    with session() as s:
        rows, total = notifications.list_for(s, recipient_id=recipient, unread_only=unread)
        _out({"total": total, "notifications": [notifications.notification_public(n) for n in rows]})


@app.command()
def reporter(reporter_id: str = typer.Argument(...)) -> None:
    """A reporter's record and credibility."""
    with session() as s:
        _out(credibility.reporter_profile(s, reporter_id))


@app.command("settings")
def settings_cmd(
    moderator: str = AS_OPTION,
    blur: bool | None = typer.Option(None, "--blur/--no-blur", help="Blur severe text until clicked."),
    hide: bool | None = typer.Option(None, "--hide/--no-hide", help="Hide severe text until clicked."),
) -> None:
    """Show or change a moderator's wellbeing settings and today's severe exposure."""
    with session() as s:
        if blur is not None or hide is not None:
            wellbeing.update_settings(s, moderator=moderator, blur_severe=blur, hide_severe=hide)
        _out(wellbeing.wellbeing_public(s, moderator))


@app.command("expire-claims")
def expire_claims_cmd() -> None:
    """Return timed-out claims to their queues."""
    with session() as s:
        console.print(f"{claims.expire_claims(s)} claim(s) expired")


@app.command("deliver-webhooks")
def deliver_webhooks(
    loop: bool = typer.Option(False, "--loop", help="Keep delivering (and expiring claims) until Ctrl-C."),
    interval: float = typer.Option(5.0, "--interval"),
) -> None:
    """Send due webhook notifications (signed, retried with backoff)."""
    from townsquare.settings import get_settings
    from townsquare.storage.db import get_database

    db = get_database(get_settings().database_url)
    if not loop:
        _out(webhooks.deliver_pending(db).to_dict())
        return
    console.print(f"delivering every {interval:g}s and expiring claims; Ctrl-C to stop")
    with contextlib.suppress(KeyboardInterrupt):
        webhooks.run_loop(db, interval=interval)
