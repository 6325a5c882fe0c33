"""`townsquare council ...`: members, referrals, panels, decisions, recommendations, polls.

Operators act directly on the database. Council votes are NOT offered here: a vote must come from the member's
own council key through the API. `members add` seats the founding roster only (refused once the council heard a
case); afterwards membership changes are proposals (`members propose`) that a different admin approves
(`members approve`) and that take effect after the public notice period. The panel size is the charter's. `apply` only works for a binding decision (the domain refuses otherwise), so the
CLI cannot lift a permanent ban either.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import typer
from rich.table import Table

from townsquare.cli.common import console, session
from townsquare.cli.lazy import lazy_module

if TYPE_CHECKING:
    from townsquare.council import (
        cases,
        charter,
        decisions,
        governance,
        members,
        polls,
        recommendations,
        viewpoints,
    )
else:
    cases, charter, decisions, governance, members, polls, recommendations, viewpoints = (
        lazy_module(f"townsquare.council.{m}")
        for m in (
            "cases",
            "charter",
            "decisions",
            "governance",
            "members",
            "polls",
            "recommendations",
            "viewpoints",
        )
    )

app = typer.Typer(help="The moderation council and advisory polls.", no_args_is_help=True)
member_app = typer.Typer(help="Council members.", no_args_is_help=True)
app.add_typer(member_app, name="members")

AS_OPTION = typer.Option("cli", "--as", help="Who acts (recorded in the audit log).")


def _out(data: Any) -> None:
    typer.echo(json.dumps(data, indent=2, ensure_ascii=False, default=str))


@member_app.command("add")
def member_add(
    name: str = typer.Option(..., "--name", help="Public name."),
    key: str | None = typer.Option(None, "--key", help="Name of the member's council API key."),
    region: str | None = typer.Option(None, "--region"),
    lang: list[str] = typer.Option([], "--lang", help="A language (repeatable)."),
    expertise: list[str] = typer.Option([], "--expertise", help="A field of expertise (repeatable)."),
    bio: str = typer.Option("", "--bio"),
    group: str | None = typer.Option(
        None, "--group", help="The charter's viewpoint group the member declares."
    ),
    actor: str = AS_OPTION,
) -> None:
    """Seat a founding member (refused once the council has heard a case: use `members propose`)."""
    with session() as s:
        m = members.create(
            s,
            name=name,
            key_name=key,
            actor=actor,
            bio=bio,
            region=region,
            languages=lang,
            expertise=expertise,
            viewpoint_group=group,
        )
        _out(members.public_profile(m, s))


@member_app.command("propose")
def member_propose(
    kind: str = typer.Argument(..., help="add | update | deactivate | reactivate | remove | reissue_key"),
    member_id: int | None = typer.Option(None, "--member"),
    changes: str = typer.Option(
        "{}", "--changes", help='JSON fields, e.g. {"name": "…", "viewpoint_group": "…"}'
    ),
    reason: str = typer.Option("", "--reason"),
    actor: str = AS_OPTION,
) -> None:
    """Propose a membership change (effective after a second admin's approval and the notice period)."""
    with session() as s:
        row, half = governance.propose(
            s, kind=kind, actor=actor, member_id=member_id, changes=json.loads(changes), reason=reason
        )
        _out({"change": governance.public_view(row), "enrolment_code_half": half})


@member_app.command("approve")
def member_approve(change_id: int, actor: str = AS_OPTION) -> None:
    """Approve a proposal made by someone else."""
    with session() as s:
        row, half = governance.approve(s, change_id=change_id, actor=actor)
        _out({"change": governance.public_view(row), "enrolment_code_half": half})


@member_app.command("changes")
def member_changes(pending: bool = typer.Option(False, "--pending")) -> None:
    """Membership changes (public while pending)."""
    with session() as s:
        _out([governance.public_view(r) for r in governance.list_changes(s, pending_only=pending)])


@member_app.command("apply-due")
def member_apply_due(actor: str = AS_OPTION) -> None:
    """Carry out approved changes whose notice period is over."""
    with session() as s:
        typer.echo(f"effective: {governance.apply_due(s, actor=actor)}")


@app.command("charter")
def show_charter() -> None:
    """The charter in force (version, digest, panel size, notice, cooldown, groups, rule parameters)."""
    _out(charter.current())


@app.command()
def freeze(
    case_id: int,
    member_id: int = typer.Option(..., "--member"),
    reason: str = typer.Option(..., "--reason"),
    actor: str = AS_OPTION,
) -> None:
    """Freeze a compromised seat: its vote counts as absent; it is never refilled for the case."""
    with session() as s:
        governance.freeze_seat(s, case_id=case_id, member_id=member_id, actor=actor, reason=reason)
        _out(cases.case_view(s, cases.get_case(s, case_id), show_votes=False))


@member_app.command("list")
def member_list() -> None:
    """Members with their measured position on the viewpoint axis."""
    table = Table("id", "name", "region", "languages", "expertise", "viewpoint", "votes", "active")
    with session() as s:
        for m in members.list_members(s):
            p = members.public_profile(m, s)
            vp = "unknown" if p["viewpoint"] is None else f"{p['viewpoint']:+.2f}"
            table.add_row(
                str(p["id"]),
                p["name"],
                p["region"] or "",
                ",".join(p["languages"]),
                ",".join(p["expertise"]),
                vp,
                str(p["votes"]),
                "yes" if p["active"] else "no",
            )
    console.print(table)


@app.command()
def refer(
    question: str = typer.Option(..., "--question"),
    action: int | None = typer.Option(None, "--action", help="The enforcement action in question."),
    origin: str = typer.Option("platform", "--origin", help="platform | moderator"),
    new_evidence: str | None = typer.Option(
        None, "--new-evidence", help="Required to re-refer a decided action."
    ),
    actor: str = AS_OPTION,
) -> None:
    """Refer a policy question (platform) or a hard case (moderator); a panel is drawn when possible."""
    with session() as s:
        c = cases.refer(
            s,
            origin=origin,
            question=question,
            action_id=action,
            referred_by=actor,
            new_evidence=new_evidence,
        )
        _out(cases.case_view(s, c, show_votes=False))


@app.command()
def draw(case_id: int, actor: str = AS_OPTION) -> None:
    """Draw the panel of a case that has none yet (the charter's panel size)."""
    with session() as s:
        cases.draw_panel(s, case_id=case_id, actor=actor)
        _out(cases.case_view(s, cases.get_case(s, case_id), show_votes=False))


@app.command("cases")
def list_cases(status: str | None = typer.Option(None, "--status")) -> None:
    """Council cases with their panels and state."""
    from sqlalchemy import select

    from townsquare.storage.models import CouncilCase

    table = Table("id", "origin", "status", "deadline", "panel", "votes", "question")
    with session() as s:
        q = select(CouncilCase).order_by(CouncilCase.id)
        if status:
            q = q.where(CouncilCase.status == status)
        for c in s.scalars(q):
            v = cases.case_view(s, c, show_votes=False)
            table.add_row(
                str(c.id),
                c.origin,
                c.status,
                v["deadline"][:16],
                str(len(v["panel"])),
                str(v["votes_cast"]),
                c.question[:60],
            )
    console.print(table)


@app.command()
def show(case_id: int) -> None:
    """A case with its panel (votes shown once decided) and its polls."""
    with session() as s:
        c = cases.get_case(s, case_id)
        out = cases.case_view(s, c, show_votes=c.status != "open")
        out["polls"] = [polls.results(s, p.id) for p in polls.for_case(s, case_id)]
        _out(out)


@app.command()
def decide(case_id: int, actor: str = AS_OPTION) -> None:
    """Decide a case whose panel has all voted or whose deadline has passed."""
    with session() as s:
        _out(decisions.public_view(s, decisions.decide(s, case_id=case_id, actor=actor)))


@app.command("close-due")
def close_due(actor: str = AS_OPTION) -> None:
    """Decide every case past its deadline with the votes cast."""
    with session() as s:
        typer.echo(f"decided: {cases.close_due(s, actor=actor)}")


@app.command("decisions")
def list_decisions(lang: str = typer.Option("en", "--lang")) -> None:
    """Published council decisions: outcome, binding, mode and confidence."""
    table = Table("id", "case", "outcome", "binding", "mode", "confidence", "applied")
    with session() as s:
        for d in decisions.list_decisions(s, limit=200):
            b = d.bridging
            table.add_row(
                str(d.id),
                str(d.council_case_id),
                d.published.get(lang, {}).get("outcome", d.outcome),
                "yes" if d.binding else "no",
                b.get("rule", {}).get("mode", ""),
                f"{b.get('confidence_label', '')} ({b.get('confidence', 0):.0%})",
                "yes" if d.applied_at else "no",
            )
    console.print(table)


@app.command()
def decision(decision_id: int, lang: str | None = typer.Option(None, "--lang")) -> None:
    """One published decision (JSON)."""
    with session() as s:
        _out(decisions.public_view(s, decisions.get_decision(s, decision_id), lang=lang))


@app.command()
def apply(decision_id: int, actor: str = AS_OPTION) -> None:
    """Apply a binding decision (refused when not binding: the status quo stands)."""
    with session() as s:
        _out(decisions.public_view(s, decisions.apply(s, decision_id=decision_id, actor=actor)))


@app.command("viewpoints")
def refresh_viewpoints(
    community: bool = typer.Option(False, "--community", help="Add poll votes on cases."),
) -> None:
    """Refit the viewpoint axis on the whole history and store every member's position."""
    with session() as s:
        _out(viewpoints.refresh(s, include_community=community))


@app.command("recommendations")
def list_recommendations(overdue: bool = typer.Option(False, "--overdue")) -> None:
    """The council's policy recommendations and the answers owed to them."""
    with session() as s:
        _out([recommendations.public_view(r) for r in recommendations.list_all(s, only_overdue=overdue)])


@app.command()
def answer(
    recommendation_id: int,
    verdict: str = typer.Option(..., "--answer", help="accepted | rejected"),
    reason: str = typer.Option("", "--reason"),
    actor: str = AS_OPTION,
) -> None:
    """The platform's answer to a recommendation."""
    with session() as s:
        row = recommendations.answer(
            s, recommendation_id=recommendation_id, answer=verdict, reason=reason, actor=actor
        )
        _out(recommendations.public_view(row))


@app.command()
def poll(poll_id: int) -> None:
    """Raw and bridged results of an advisory poll."""
    with session() as s:
        _out(polls.results(s, poll_id))
