"""Council console (my panels and deadlines, the case file, vote with a written rationale) and the public decision
page (outcome, panel, votes, majority and dissent, the bridging result explained in words and drawn on the
viewpoint axis). Everything goes through `townsquare.council`; roles as in the API."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlalchemy import select
from sqlalchemy.orm import Session

from townsquare.api.deps import SessionDep
from townsquare.api.security import allow
from townsquare.core.enums import Role
from townsquare.core.errors import DomainError
from townsquare.council import casefile, cases, charter, decisions, polls, recommendations
from townsquare.council.publish import VOTE_TEXT
from townsquare.storage.models import Action, Appeal, CouncilCase, CouncilDecision, CouncilMember, PanelSeat
from townsquare.web import charts
from townsquare.web.rendering import current_lang, current_user, render
from townsquare.web.routes.common import caller, form_action, t

router = APIRouter(prefix="/council")
COUNCIL = allow(Role.COUNCIL, Role.ADMIN)
RAW_VOTE = {text: code for code, text in VOTE_TEXT["en"].items()}


def _member(session: Session, key_name: str, key_id: int | None = None) -> CouncilMember | None:
    try:
        return cases.member_for_key(session, key_name, key_id=key_id, require_active=False)
    except DomainError:
        return None


@router.get("", dependencies=[COUNCIL], response_class=HTMLResponse)
def panels(request: Request, session: SessionDep) -> HTMLResponse:
    me = caller(request)
    member = _member(session, me.name, me.key_id)
    q = select(CouncilCase).where(CouncilCase.status == "open").order_by(CouncilCase.deadline)
    if me.role is not Role.ADMIN:
        seated = select(PanelSeat.council_case_id).where(PanelSeat.member_id == (member.id if member else -1))
        q = q.where(CouncilCase.id.in_(seated))
    open_cases = [cases.case_view(session, c, show_votes=False) for c in session.scalars(q.limit(200))]
    for view in open_cases:
        view["my_vote_cast"] = any(
            p["member_id"] == (member.id if member else None) and p["voted"] for p in view["panel"]
        )
    return render(
        request,
        "council/index.html",
        {
            "cases": open_cases,
            "member": member,
            "decisions": [
                decisions.public_view(session, d) for d in decisions.list_decisions(session, limit=20)
            ],
        },
    )


@router.get("/cases/{case_id}", dependencies=[COUNCIL], response_class=HTMLResponse)
def case_file(request: Request, case_id: int, session: SessionDep) -> HTMLResponse:
    me = caller(request)
    ccase = cases.get_case(session, case_id)
    view = cases.case_view(session, ccase, show_votes=ccase.status != "open")
    member = _member(session, me.name, me.key_id)
    on_panel = member is not None and any(p["member_id"] == member.id for p in view["panel"])
    voted = on_panel and any(p["member_id"] == member.id and p["voted"] for p in view["panel"])  # type: ignore[union-attr]
    action = session.get(Action, ccase.action_id) if ccase.action_id else None
    appeal = session.get(Appeal, ccase.appeal_id) if ccase.appeal_id else None
    decision = session.scalars(
        select(CouncilDecision).where(CouncilDecision.council_case_id == case_id)
    ).first()
    return render(
        request,
        "council/case.html",
        {
            "c": view,
            "action": action,
            "appeal": appeal,
            "decision": decision,
            "on_panel": on_panel,
            "voted": voted,
            "is_admin": me.role is Role.ADMIN,
            "polls": [polls.results(session, p.id) for p in polls.for_case(session, case_id)],
            "file": casefile.build(session, case_id=case_id) if on_panel else None,
            "rule": charter.rule_params(ccase.charter),
            "groups": charter.groups(ccase.charter),
        },
    )


@router.post("/cases/{case_id}/vote", dependencies=[allow(Role.COUNCIL)])
def vote(
    request: Request,
    case_id: int,
    session: SessionDep,
    vote: Annotated[str, Form(max_length=10)] = "",
    rationale: Annotated[str, Form(max_length=20000)] = "",
    modify_to: Annotated[str, Form(max_length=10)] = "",
) -> RedirectResponse:

    def after(_: object) -> tuple[str, str]:
        """The decision's page when this vote completed the panel, else back to the case."""
        decided = session.scalars(
            select(CouncilDecision).where(CouncilDecision.council_case_id == case_id)
        ).first()
        url = f"/council/decisions/{decided.id}" if decided is not None else f"/council/cases/{case_id}"
        return url, t(request, "co.voted")

    return form_action(
        request,
        session,
        lambda: cases.cast_vote(
            session,
            case_id=case_id,
            key_name=caller(request).name,
            key_id=caller(request).key_id,
            vote=vote,
            rationale=rationale,
            modify_to=modify_to or None,
        ),
        back=f"/council/cases/{case_id}",
        done=after,
    )


@router.post("/cases/{case_id}/decide", dependencies=[COUNCIL])
def decide(request: Request, case_id: int, session: SessionDep) -> RedirectResponse:
    """Compute the decision once the panel has voted or the deadline passed (the domain refuses earlier)."""
    return form_action(
        request,
        session,
        lambda: decisions.decide(session, case_id=case_id, actor=caller(request).name),
        back=f"/council/cases/{case_id}",
        done=lambda d: (f"/council/decisions/{d.id}", None),
    )


@router.post("/cases/{case_id}/panel", dependencies=[allow(Role.ADMIN)])
def draw_panel(request: Request, case_id: int, session: SessionDep) -> RedirectResponse:
    return form_action(
        request,
        session,
        lambda: cases.draw_panel(session, case_id=case_id, actor=caller(request).name),
        back=f"/council/cases/{case_id}",
        done=lambda _: (f"/council/cases/{case_id}", None),
    )


def explain(request: Request, bridging: dict[str, Any], outcome: str) -> list[str]:
    """The rule's checks as sentences (the numbers are the decision's own; nothing is recomputed)."""
    rule = bridging.get("rule") or {}
    params = rule.get("params") or {}
    lines = [t(request, "co.mode_" + str(rule.get("mode", "fallback")))]
    for option, c in (rule.get("checks") or {}).items():
        parts = [
            t(
                request,
                "co.option",
                option=t(request, f"co.{option}"),
                result=t(request, "co.passed" if c.get("passed") else "co.failed"),
            )
        ]
        if "bridged_support" in c:
            parts.append(
                t(
                    request,
                    "co.check_support",
                    value=c["bridged_support"],
                    threshold=params.get("support_threshold", "?"),
                )
            )
            parts.append(
                t(
                    request,
                    "co.check_sides",
                    left=c.get("left_supporters", 0),
                    right=c.get("right_supporters", 0),
                )
            )
        if "share" in c:
            parts.append(
                t(request, "co.check_share", value=c["share"], threshold=params.get("fallback_share", "?"))
            )
        parts.append(
            t(
                request,
                "co.check_quorum",
                ok=t(request, "common.yes" if c.get("quorum") else "common.no"),
                n=params.get("min_votes", "?"),
            )
        )
        lines.append(" ".join(parts))
    if outcome == "no_consensus":
        lines.append(t(request, "co.status_quo"))
    return lines


@router.get("/decisions/{decision_id}", dependencies=[allow(Role.PUBLIC)], response_class=HTMLResponse)
def decision_page(request: Request, decision_id: int, session: SessionDep) -> HTMLResponse:
    lang = current_lang(request)
    d = decisions.public_view(session, decisions.get_decision(session, decision_id))
    text = d["published"].get(lang) or d["published"].get("en") or {}
    raw_votes = {
        v["name"]: RAW_VOTE.get(v["vote"], v["vote"]) for v in d["published"].get("en", {}).get("votes", [])
    }
    members = [(p["name"], p["position_at_draw"], raw_votes.get(p["name"])) for p in text.get("panel", [])]
    sides = {
        name: t(request, f"co.side_{side}")
        for side, names in ((d["bridging"] or {}).get("rule") or {}).get("sides", {}).items()
        if side in ("left", "middle", "right")
        for name in names
    }
    labels = {v: t(request, f"co.{v}") for v in ("uphold", "overturn", "abstain")}
    chart = charts.viewpoint_strip(
        members,
        title=t(request, "co.chart"),
        sides=sides,
        vote_labels=labels,
        unplaced=t(request, "co.unplaced"),
    )
    return render(
        request,
        "council/decision.html",
        {
            "d": d,
            "text": text,
            "chart": chart,
            "explain": explain(request, d["bridging"] or {}, d["outcome"]),
            "can_recommend": _on_decided_panel(request, session, d["council_case_id"]),
        },
    )


def _on_decided_panel(request: Request, session: Session, council_case_id: int) -> bool:
    """Whether the signed-in caller sat on the panel (only they may attach recommendations; the domain checks)."""
    user = current_user(request)
    if user is None or user.role is not Role.COUNCIL:
        return False
    member = _member(session, user.name, user.key_id)
    if member is None:
        return False
    seat = session.scalar(
        select(PanelSeat.id).where(
            PanelSeat.council_case_id == council_case_id, PanelSeat.member_id == member.id
        )
    )
    return seat is not None


@router.post("/decisions/{decision_id}/recommendations", dependencies=[allow(Role.COUNCIL)])
def recommend(
    request: Request,
    decision_id: int,
    session: SessionDep,
    text_en: Annotated[str, Form(max_length=4000)] = "",
    text_fr: Annotated[str, Form(max_length=4000)] = "",
) -> RedirectResponse:
    """A panel member attaches a policy recommendation (EN + FR); the platform must answer it by its deadline."""
    return form_action(
        request,
        session,
        lambda: recommendations.add(
            session, decision_id=decision_id, text_en=text_en, text_fr=text_fr, key_name=caller(request).name
        ),
        back=f"/council/decisions/{decision_id}",
        done=lambda _: (f"/council/decisions/{decision_id}", t(request, "co.recommended")),
    )
