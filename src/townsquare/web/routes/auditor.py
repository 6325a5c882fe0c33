"""Auditor console, read only: seeded samples of decisions with their evidence and statements, the audit chain's
status (hash chain, statements against their sealed digests, every row's state recomputed from the chain), exports
(DSA statements, council decisions, brand-safety samples) and the sources of the public figures.

Every route is a GET: an auditor can change nothing (a test sends every write method to every route here).
"""

from __future__ import annotations

import csv
import io
import json
from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import select

from townsquare import audit
from townsquare.api.deps import SessionDep
from townsquare.api.security import allow
from townsquare.audit.crosscheck import verify_actions
from townsquare.audit.state import verify_states
from townsquare.auditor import sample, sources
from townsquare.core import clock
from townsquare.core.enums import Role
from townsquare.core.errors import DomainError
from townsquare.storage.models import Advertiser
from townsquare.transparency import report, statements
from townsquare.web.rendering import render

router = APIRouter(prefix="/auditor")
AUDITOR = allow(Role.AUDITOR, Role.ADMIN)


@router.get("", dependencies=[AUDITOR], response_class=HTMLResponse)
def home(request: Request, session: SessionDep) -> HTMLResponse:
    count, problem = audit.verify(session)
    n_actions, action_problem = verify_actions(session)
    n_rows, state_problems = verify_states(session)
    context = {
        "audit_count": count,
        "audit_problem": problem,
        "n_actions": n_actions,
        "action_problem": action_problem,
        "n_rows": n_rows,
        "state_problems": state_problems[:50],
        "n_state_problems": len(state_problems),
        "seed": sample.new_seed(),
    }
    return render(request, "auditor/index.html", context)


@router.get("/sample", dependencies=[AUDITOR], response_model=None)
def sample_page(
    request: Request,
    session: SessionDep,
    seed: Annotated[int | None, Query(ge=0, le=2**31)] = None,
    n: Annotated[int, Query(ge=1, le=sample.MAX_SAMPLE)] = 10,
    kind: Annotated[str, Query(pattern="^(all|automated|human)$")] = "all",
) -> HTMLResponse | RedirectResponse:
    """Without a seed, draw one and redirect to the URL that names it, so the sample can be re-drawn and cited."""
    if seed is None:
        return RedirectResponse(
            f"/auditor/sample?seed={sample.new_seed()}&n={n}&kind={kind}", status_code=303
        )
    automated = {"all": None, "automated": True, "human": False}[kind]
    try:
        files = sample.sample_decisions(session, seed=seed, n=n, automated=automated)
    except DomainError as exc:
        return render(
            request,
            "error.html",
            {"title": exc.title, "detail": exc.detail, "status": exc.status},
            status=exc.status,
        )
    context = {"files": files, "seed": seed, "n": n, "kind": kind}
    return render(request, "auditor/sample.html", context)


@router.get("/sources", dependencies=[AUDITOR], response_class=HTMLResponse)
def sources_page(request: Request, session: SessionDep) -> HTMLResponse:
    return render(request, "auditor/sources.html", {"sources": sources.figure_sources(session)})


@router.get("/exports/statements.jsonl", dependencies=[AUDITOR])
def export_statements(session: SessionDep) -> Response:
    """The DSA statements of reasons, one JSON object a line (private notes withheld, as published)."""
    out = io.StringIO()
    statements.export_jsonl(session, out)
    return Response(
        out.getvalue(),
        media_type="application/x-ndjson",
        headers={"content-disposition": 'attachment; filename="statements.jsonl"'},
    )


@router.get("/exports/decisions.json", dependencies=[AUDITOR])
def export_decisions(session: SessionDep) -> Response:
    rows = [
        {
            "id": d.id,
            "case_id": d.case_id,
            "outcome": d.outcome,
            "binding": d.binding,
            "created_at": d.created_at.isoformat(),
            "applied_at": d.applied_at.isoformat() if d.applied_at else None,
            "published": d.published,
        }
        for d in report.council_decisions(session, limit=10_000)
    ]
    return Response(
        json.dumps(rows, ensure_ascii=False, indent=1, default=str),
        media_type="application/json",
        headers={"content-disposition": 'attachment; filename="council-decisions.json"'},
    )


@router.get("/exports/brand-safety.csv", dependencies=[AUDITOR])
def export_brand_safety(
    session: SessionDep,
    seed: Annotated[int, Query(ge=0, le=2**31)] = 0,
    days: Annotated[int, Query(ge=1, le=366)] = 30,
) -> Response:
    """Each advertiser's verification sample (same seed for all), one impression a line, re-drawable."""
    from townsquare.ads.report import brand_safety_report

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            "advertiser",
            "seed",
            "impression_id",
            "campaign_id",
            "post_id",
            "served_eligible",
            "verified_safe",
            "label_source",
            "reasons",
        ]
    )
    since = clock.now() - timedelta(days=days)
    for adv in session.scalars(select(Advertiser).order_by(Advertiser.id)):
        rep = brand_safety_report(session, advertiser_id=adv.id, since=since, seed=seed)
        for item in rep["verification"]["items"]:
            writer.writerow(
                [
                    adv.id,
                    seed,
                    item["impression_id"],
                    item["campaign_id"],
                    item["post_id"],
                    item["served_eligible"],
                    item["verified_safe"],
                    item["label_source"],
                    ";".join(map(str, item["reasons"])),
                ]
            )
    session.rollback()  # a report reads only; make that structural
    return Response(
        out.getvalue(),
        media_type="text/csv",
        headers={"content-disposition": f'attachment; filename="brand-safety-sample-{seed}.csv"'},
    )
