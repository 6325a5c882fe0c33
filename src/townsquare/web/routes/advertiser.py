"""Advertiser console: the suitability profile editor with a live preview (paste a post or pick recent ones),
adjacency feedback, and the brand-safety report with its chart, interval and CSV download.

Every call goes through `townsquare.ads` with the caller's advertiser as scope, exactly like the API. Nothing
here can change a post's or an account's state: a removal demand is passed to `ads.demands`, which refuses,
records and counts it.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from townsquare.ads import demands, drilldown, inventory, preview, render, report, store
from townsquare.ads.presets import EXCLUDABLE_TIERS, PRESET_NAMES, PRESETS
from townsquare.ads.spec import ProfileSpec
from townsquare.api.deps import SessionDep
from townsquare.api.security import allow
from townsquare.classify.taxonomy import GARM_CATEGORIES
from townsquare.core import clock
from townsquare.core.enums import Role
from townsquare.core.errors import DomainError, Forbidden, Invalid
from townsquare.storage.models import Post, SuitabilityProfile
from townsquare.web import charts
from townsquare.web.rendering import render as render_page
from townsquare.web.routes.common import caller, error_message, redirect, t

router = APIRouter(prefix="/advertiser")
ADVERTISER = allow(Role.ADVERTISER)
RECENT = 12
REPORT_DAYS = (7, 30, 90, 365)


async def _form(request: Request) -> FormData:
    """The posted form, parsed in the event loop; the routes themselves are sync (run in the threadpool),
    because their database work must never block the loop (SQLite's lock waits would freeze the server)."""
    return await request.form()


FormDep = Annotated[FormData, Depends(_form)]


def _advertiser(request: Request) -> str:
    adv = caller(request).advertiser_id
    if not adv:
        raise Forbidden("this key is not bound to an advertiser")
    return adv


def _lines(value: str) -> list[str]:
    return [line.strip() for line in value.replace(",", "\n").splitlines() if line.strip()]


def spec_from_form(form: FormData) -> ProfileSpec:
    """The editor's fields -> a ProfileSpec (validation errors become Invalid naming the field)."""
    tiers = {cat: str(form.get(f"tier_{cat}") or "") for cat in GARM_CATEGORIES if form.get(f"tier_{cat}")}
    data: dict[str, Any] = {
        "preset": str(form.get("preset") or "standard"),
        "category_tiers": tiers,
        "keywords": [k.strip() for k in str(form.get("keywords") or "").splitlines() if k.strip()],
        "excluded_accounts": _lines(str(form.get("excluded_accounts") or "")),
        "included_accounts": _lines(str(form.get("included_accounts") or "")),
        "languages": _lines(str(form.get("languages") or "")),
        "excluded_posts": _lines(str(form.get("excluded_posts") or "")),
    }
    try:
        return ProfileSpec.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first.get("loc", ()))
        raise Invalid(f"{where}: {first.get('msg', '')}", field=where) from None


def _recent_posts(session: Session) -> list[Post]:
    return list(session.scalars(select(Post).order_by(Post.created_at.desc(), Post.id).limit(RECENT)))


def _preview_items(form: FormData | None, recent: list[Post]) -> list[Any]:
    if form is None:
        return [p.id for p in recent[:6]]
    items: list[Any] = [{"post_id": str(v)} for v in form.getlist("post_ids") if str(v)]
    text = str(form.get("preview_text") or "").strip()
    if text:
        items.insert(0, {"text": text})
    return items


def _page(
    request: Request,
    session: Session,
    *,
    profile: SuitabilityProfile | None,
    spec: ProfileSpec,
    form: FormData | None = None,
    error: str | None = None,
    status: int = 200,
) -> HTMLResponse:
    adv = _advertiser(request)
    profiles = store.list_profiles(session, adv, scope=adv)
    recent = _recent_posts(session)
    items = _preview_items(form, recent)
    rows = preview.preview(session, profile_spec=spec, texts_or_post_ids=items) if items else []
    chosen = {str(v) for v in form.getlist("post_ids")} if form is not None else set(items)
    estimate = _estimate(session, adv, spec, profile)
    return render_page(
        request,
        "advertiser/index.html",
        {
            "advertiser": store.get_advertiser(session, adv, scope=adv),
            "profiles": profiles,
            "profile": profile,
            "spec": spec,
            "effective": spec.effective_tiers(),
            "presets": PRESET_NAMES,
            "preset_tiers": PRESETS,
            "categories": GARM_CATEGORIES,
            "tiers": EXCLUDABLE_TIERS,
            "recent": recent,
            "chosen": chosen,
            "preview_text": str(form.get("preview_text") or "") if form is not None else "",
            "rows": rows,
            "error": error,
            "campaigns": store.list_campaigns(session, adv, scope=adv),
            "estimate": estimate,
        },
        status=status,
    )


def _estimate(
    session: Session, adv: str, spec: ProfileSpec, profile: SuitabilityProfile | None
) -> inventory.InventoryEstimate:
    """The edited profile against the saved one (or the default profile before the first save)."""
    baseline = store.profile_spec(profile) if profile is not None else None
    return inventory.estimate(session, spec=spec, baseline=baseline, advertiser_id=adv)


def _own_profile(request: Request, session: Session, profile_id: str) -> SuitabilityProfile | None:
    profile = session.get(SuitabilityProfile, int(profile_id)) if profile_id.isdigit() else None
    return profile if profile is not None and profile.advertiser_id == _advertiser(request) else None


@router.get("", dependencies=[ADVERTISER], response_class=HTMLResponse)
def home(request: Request, session: SessionDep, profile: int | None = None) -> HTMLResponse:
    adv = _advertiser(request)
    profiles = store.list_profiles(session, adv, scope=adv)
    chosen = next((p for p in profiles if p.id == profile), profiles[0] if profiles else None)
    spec = store.profile_spec(chosen) if chosen else ProfileSpec()
    return _page(request, session, profile=chosen, spec=spec)


@router.post("/preview", dependencies=[ADVERTISER], response_class=HTMLResponse)
def live_preview(request: Request, session: SessionDep, form: FormDep) -> HTMLResponse:
    """The editor's unsaved values applied to the pasted text and the picked posts (reads only).

    Scripts get the result fragment; without JavaScript the "Check" button gets the whole page back."""
    fragment = request.headers.get("x-csrf-token") is not None
    try:
        spec = spec_from_form(form)
        items = _preview_items(form, _recent_posts(session))
        rows = preview.preview(session, profile_spec=spec, texts_or_post_ids=items) if items else []
        error = None
    except DomainError as exc:
        spec, rows, error = ProfileSpec(), [], error_message(exc)
    profile = _own_profile(request, session, str(form.get("profile_id") or ""))
    if fragment:
        texts = {p.id: p.text for p in _recent_posts(session)}
        estimate = _estimate(session, _advertiser(request), spec, profile) if error is None else None
        return render_page(
            request,
            "advertiser/_preview.html",
            {"rows": rows, "error": error, "texts": texts, "estimate": estimate},
        )
    return _page(request, session, profile=profile, spec=spec, form=form, error=error)


@router.post("/profiles", dependencies=[ADVERTISER], response_model=None)
def save_profile(request: Request, session: SessionDep, form: FormDep) -> HTMLResponse | RedirectResponse:
    """Create (no profile_id) or update the advertiser's own profile; a bad field re-shows the form with why."""
    adv = _advertiser(request)
    profile_id = str(form.get("profile_id") or "")
    name = str(form.get("name") or "").strip()[:200]
    who = caller(request).name
    try:
        spec = spec_from_form(form)
        if profile_id.isdigit():
            profile = store.update_profile(
                session, profile_id=int(profile_id), spec=spec, name=name or None, scope=adv, actor=who
            )
        else:
            profile = store.create_profile(
                session, advertiser_id=adv, name=name, spec=spec, scope=adv, actor=who
            )
    except DomainError as exc:
        session.rollback()
        current = session.get(SuitabilityProfile, int(profile_id)) if profile_id.isdigit() else None
        if current is not None and current.advertiser_id != adv:
            current = None
        spec = store.profile_spec(current) if current else ProfileSpec()
        return _page(
            request, session, profile=current, spec=spec, form=form, error=error_message(exc), status=422
        )
    return redirect(f"/advertiser?profile={profile.id}", request, t(request, "ad.saved"))


@router.post("/feedback", dependencies=[ADVERTISER])
def adjacency_feedback(request: Request, session: SessionDep, form: FormDep) -> RedirectResponse:
    """ "Don't place me next to this" updates only this advertiser's exclusions; a removal demand is refused."""
    adv = _advertiser(request)
    action = str(form.get("action") or "")
    target = str(form.get("target_id") or "").strip()
    target_type = {"exclude_account": "account", "exclude_keyword": "keyword"}.get(action, "post")
    kept = _own_profile(request, session, str(form.get("profile_id") or ""))
    back = f"/advertiser?profile={kept.id}" if kept is not None else "/advertiser"  # stay on the same profile
    try:
        demands.feedback(
            session,
            advertiser_id=adv,
            action=action,
            target_type=target_type,
            target_id=target,
            scope=adv,
            actor=caller(request).name,
        )
    except Forbidden:
        return redirect(back, request, t(request, "ad.demand_refused"), "error")
    except DomainError as exc:
        session.rollback()
        return redirect(back, request, error_message(exc), "error")
    return redirect(back, request, t(request, "ad.saved"))


def _report(request: Request, session: Session, days: int, campaign: str | None) -> dict[str, Any]:
    adv = _advertiser(request)
    since = clock.now() - timedelta(days=days)
    return report.brand_safety_report(
        session, advertiser_id=adv, since=since, campaign_id=campaign or None, scope=adv
    )


@router.get("/report", dependencies=[ADVERTISER], response_class=HTMLResponse)
def brand_safety(request: Request, session: SessionDep, days: int = 30, campaign: str = "") -> HTMLResponse:
    days = days if days in REPORT_DAYS else 30
    data = _report(request, session, days, campaign)
    v = data["verification"]
    ci = v["ci95"] or [None, None]
    touched = [
        {"start": cat, "counts": {tier: n for tier, n in tiers.items() if n}}
        for cat, tiers in data["adjacent"].items()
        if sum(tiers.values())
    ]
    svg = {
        "rate": charts.rate_intervals(
            [
                (t(request, "ad.rate"), v["brand_safety_rate"], ci[0], ci[1]),
                (t(request, "ad.served_eligible"), data["served_eligible_rate"], None, None),
            ],
            title=t(request, "ad.rate"),
            width=480,
        ),
        "adjacent": charts.stacked_columns(
            touched,
            title=t(request, "ad.adjacent"),
            colours=charts.RISK_COLOURS,
            link=lambda cat, tier: _drill_url(days, campaign, cat, tier),
        ),
    }
    adv = _advertiser(request)
    return render_page(
        request,
        "advertiser/report.html",
        {
            "r": data,
            "svg": svg,
            "days": days,
            "periods": REPORT_DAYS,
            "campaign": campaign,
            "campaigns": store.list_campaigns(session, adv, scope=adv),
            "drill": lambda cat=None, tier=None: _drill_url(days, campaign, cat, tier),
            "tier_order": list(charts.RISK_COLOURS),
        },
    )


def _drill_url(days: int, campaign: str, category: str | None = None, tier: str | None = None) -> str:
    query = {"days": str(days), "campaign": campaign, "category": category or "", "tier": tier or ""}
    return "/advertiser/drilldown?" + urlencode({k: v for k, v in query.items() if v})


@router.get("/drilldown", dependencies=[ADVERTISER], response_class=HTMLResponse)
def drill(
    request: Request,
    session: SessionDep,
    days: int = 30,
    campaign: str = "",
    category: str = "",
    tier: str = "",
    seed: Annotated[int, Query(ge=0, le=2**31)] = 1,
) -> HTMLResponse:
    """A report figure's posts: a seeded sample, public posts' text and assessment only."""
    adv = _advertiser(request)
    days = days if days in REPORT_DAYS else 30
    try:
        data = drilldown.drilldown(
            session,
            advertiser_id=adv,
            since=clock.now() - timedelta(days=days),
            campaign_id=campaign or None,
            category=category or None,
            tier=tier or None,
            seed=seed,
            scope=adv,
        )
    except DomainError as exc:
        return render_page(
            request,
            "error.html",
            {"title": exc.title, "detail": exc.detail, "status": exc.status},
            exc.status,
        )
    redraw = _drill_url(days, campaign, category or None, tier or None) + f"&seed={seed + 1}"
    back = f"/advertiser/report?days={days}"
    context = {"d": data, "days": days, "campaign": campaign, "back": back, "redraw": redraw}
    return render_page(request, "advertiser/drilldown.html", context)


@router.get("/report.csv", dependencies=[ADVERTISER])
def brand_safety_csv(request: Request, session: SessionDep, days: int = 30, campaign: str = "") -> Response:
    data = _report(request, session, days if days in REPORT_DAYS else 30, campaign)
    return Response(
        render.to_csv(data),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="brand-safety-{data["advertiser_id"]}.csv"'},
    )
