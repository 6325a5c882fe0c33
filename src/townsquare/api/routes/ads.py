"""Brand-safety API: advertisers, profiles, campaigns, placement decisions, impressions, feedback, reports.

Every route here changes only the ads tables. The advertiser role has no route that changes a post's or an
account's state; `POST /ads/demands` (and any demand-like feedback) exists to refuse, record and count such
requests. An advertiser key is bound to one advertiser (`caller.advertiser_id`): its scope.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any, Literal, NoReturn

from fastapi import APIRouter, Depends, Query
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from townsquare.access.keys import KeyInfo
from townsquare.ads import client as ads_client
from townsquare.ads import decisions, demands, impressions, preview, render, report, store
from townsquare.ads.spec import ProfileSpec
from townsquare.api.deps import CallerDep, DatabaseDep, SessionDep, SettingsDep
from townsquare.api.security import Role, allow
from townsquare.api.types import BoundedDatetime, Count, IntId
from townsquare.settings import Settings
from townsquare.storage.db import Database
from townsquare.stream.config import StreamConfig

router = APIRouter(prefix="/api/v1", tags=["ads"])

ADMIN_OR_ADV = [allow(Role.ADMIN, Role.ADVERTISER)]
SERVING_ROLES = frozenset({Role.ADMIN, Role.ADVERTISER, Role.INGEST})
SERVING = [allow(*SERVING_ROLES)]
READERS = [allow(Role.ADMIN, Role.ADVERTISER, Role.AUDITOR)]


def scope_of(caller: KeyInfo) -> str | None:
    """None (everything) for platform roles; the bound advertiser for advertiser keys ('' when unbound)."""
    return (caller.advertiser_id or "") if caller.role is Role.ADVERTISER else None


# -- bodies ---------------------------------------------------------------------------------------------------


class AdvertiserCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str = Field(min_length=1, max_length=100, pattern=r"^[A-Za-z0-9_.:-]+$")
    name: str = Field("", max_length=200)


class ProfileCreate(ProfileSpec):
    """A suitability profile: preset + overrides (see docs/ads.md)."""

    name: str = Field("", max_length=200)

    def to_spec(self) -> ProfileSpec:
        """The stored spec: the body without its display name."""
        return ProfileSpec.model_validate(self.model_dump(exclude={"name"}))


class CampaignCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str = Field(min_length=1, max_length=100, pattern=r"^[A-Za-z0-9_.:-]+$")
    name: str = Field("", max_length=200)
    profile_id: IntId
    active: bool = True


class CampaignUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str | None = Field(None, max_length=200)
    profile_id: IntId | None = None
    active: bool | None = None


class PostRefIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    post_id: str | None = Field(None, max_length=200)
    text: str | None = Field(None, max_length=10_000)
    author_id: str | None = Field(None, max_length=200)
    lang: str | None = Field(None, max_length=8)

    def ref(self) -> decisions.PostRef:
        return decisions.PostRef(
            post_id=self.post_id, text=self.text, author_id=self.author_id, lang=self.lang
        )


class SlotIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    before: PostRefIn
    after: PostRefIn


class DecisionCreate(PostRefIn):
    """A post (``post_id``, or inline ``text`` + ``author_id`` for a pre-bid check) or a ``slot``."""

    campaign_ids: list[str] = Field(min_length=1, max_length=decisions.MAX_CANDIDATES)
    slot: SlotIn | None = None
    record: bool = False


class ImpressionCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str = Field(min_length=1, max_length=200)
    campaign_id: str = Field(min_length=1, max_length=100)
    post_id: str = Field(min_length=1, max_length=200)
    served_at: BoundedDatetime | None = None
    decision: dict[str, Any] | None = None


class ImpressionBatch(BaseModel):
    model_config = ConfigDict(extra="forbid")
    impressions: list[ImpressionCreate] = Field(min_length=1, max_length=impressions.MAX_BATCH)


class FeedbackCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    action: str = Field(min_length=1, max_length=40)
    target_type: Literal["post", "account", "keyword"]
    target_id: str = Field(min_length=1, max_length=200)
    campaign_id: str | None = None
    advertiser_id: str | None = Field(None, description="Admins only; advertisers act on their own.")


class DemandCreate(BaseModel):
    demand: str = Field("remove", max_length=40)
    target_type: str = Field("post", max_length=10)
    target_id: str = Field("", max_length=200)


class PreviewCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    profile: ProfileSpec
    items: list[str | PostRefIn] = Field(min_length=1, max_length=preview.MAX_ITEMS)


# -- advertisers, profiles, campaigns ------------------------------------------------------------------------


@router.post("/ads/advertisers", status_code=201, dependencies=[allow(Role.ADMIN)])
def create_advertiser(body: AdvertiserCreate, session: SessionDep) -> dict[str, Any]:
    adv = store.create_advertiser(session, advertiser_id=body.id, name=body.name)
    return {"id": adv.id, "name": adv.name}


@router.get("/ads/advertisers", dependencies=ADMIN_OR_ADV)
def list_advertisers(session: SessionDep, caller: CallerDep) -> list[dict[str, Any]]:
    return [{"id": a.id, "name": a.name} for a in store.list_advertisers(session, scope=scope_of(caller))]


@router.get("/ads/advertisers/{advertiser_id}", dependencies=READERS)
def get_advertiser(advertiser_id: str, session: SessionDep, caller: CallerDep) -> dict[str, Any]:
    adv = store.get_advertiser(session, advertiser_id, scope=scope_of(caller))
    return {"id": adv.id, "name": adv.name}


@router.post("/ads/advertisers/{advertiser_id}/profiles", status_code=201, dependencies=ADMIN_OR_ADV)
def create_profile(
    advertiser_id: str, body: ProfileCreate, session: SessionDep, caller: CallerDep
) -> dict[str, Any]:
    prof = store.create_profile(
        session,
        advertiser_id=advertiser_id,
        name=body.name,
        spec=body.to_spec(),
        scope=scope_of(caller),
        actor=caller.name,
    )
    return store.profile_public(prof)


@router.get("/ads/advertisers/{advertiser_id}/profiles", dependencies=READERS)
def list_profiles(advertiser_id: str, session: SessionDep, caller: CallerDep) -> list[dict[str, Any]]:
    return [
        store.profile_public(p) for p in store.list_profiles(session, advertiser_id, scope=scope_of(caller))
    ]


@router.get("/ads/profiles/{profile_id}", dependencies=READERS)
def get_profile(profile_id: IntId, session: SessionDep, caller: CallerDep) -> dict[str, Any]:
    return store.profile_public(store.get_profile(session, profile_id, scope=scope_of(caller)))


@router.put("/ads/profiles/{profile_id}", dependencies=ADMIN_OR_ADV)
def update_profile(
    profile_id: IntId, body: ProfileCreate, session: SessionDep, caller: CallerDep
) -> dict[str, Any]:
    prof = store.update_profile(
        session,
        profile_id=profile_id,
        spec=body.to_spec(),
        name=body.name or None,
        scope=scope_of(caller),
        actor=caller.name,
    )
    return store.profile_public(prof)


@router.post("/ads/advertisers/{advertiser_id}/campaigns", status_code=201, dependencies=ADMIN_OR_ADV)
def create_campaign(
    advertiser_id: str, body: CampaignCreate, session: SessionDep, caller: CallerDep
) -> dict[str, Any]:
    camp = store.create_campaign(
        session,
        campaign_id=body.id,
        advertiser_id=advertiser_id,
        name=body.name,
        profile_id=body.profile_id,
        active=body.active,
        scope=scope_of(caller),
    )
    return store.campaign_public(camp)


@router.get("/ads/advertisers/{advertiser_id}/campaigns", dependencies=READERS)
def list_campaigns(advertiser_id: str, session: SessionDep, caller: CallerDep) -> list[dict[str, Any]]:
    return [
        store.campaign_public(c) for c in store.list_campaigns(session, advertiser_id, scope=scope_of(caller))
    ]


@router.get("/ads/campaigns/{campaign_id}", dependencies=READERS)
def get_campaign(campaign_id: str, session: SessionDep, caller: CallerDep) -> dict[str, Any]:
    return store.campaign_public(store.get_campaign(session, campaign_id, scope=scope_of(caller)))


@router.patch("/ads/campaigns/{campaign_id}", dependencies=ADMIN_OR_ADV)
def update_campaign(
    campaign_id: str, body: CampaignUpdate, session: SessionDep, caller: CallerDep
) -> dict[str, Any]:
    camp = store.update_campaign(
        session,
        campaign_id=campaign_id,
        name=body.name,
        profile_id=body.profile_id,
        active=body.active,
        scope=scope_of(caller),
    )
    return store.campaign_public(camp)


# -- serving ------------------------------------------------------------------------------------------------------


@router.post("/ads/decisions", dependencies=SERVING, response_model=None)
async def decide(
    body: DecisionCreate, database: DatabaseDep, caller: CallerDep, settings: SettingsDep
) -> JSONResponse:
    """Eligible or not, per candidate campaign, with machine-readable reasons (see docs/ads.md)."""
    # Answered on the event loop when the in-memory copy holds everything (no thread hop: the decision is
    # microseconds); a miss, or the first request (making the client may connect to NATS), goes to a worker thread.
    # `api/fastlane.py` answers the same happy path before FastAPI's routing; this route answers everything else.
    answer = answer_from_memory(database, body, caller)
    if answer is not None:
        return JSONResponse(answer)  # plain JSON types already: skip the encoder on the hot path
    return JSONResponse(await run_in_threadpool(_decide_on_thread, database, settings, body, caller))


def _refs(
    body: DecisionCreate,
) -> tuple[decisions.PostRef | None, tuple[decisions.PostRef, decisions.PostRef] | None]:
    post = body.ref() if body.post_id is not None or body.text is not None else None
    slot = (body.slot.before.ref(), body.slot.after.ref()) if body.slot is not None else None
    return post, slot


def answer_from_memory(database: Database, body: DecisionCreate, caller: KeyInfo) -> dict[str, Any] | None:
    """The decision from the warm in-memory copy (`ads.client`) alone, or None when only the database can answer:
    a copy not made yet, a miss, inline text, a recorded decision. Never blocks: safe on the event loop."""
    post, slot = _refs(body)
    if body.record or post is None or post.text is not None:
        return None
    hot = ads_client.existing(database)
    if hot is None:
        return None
    try:
        return hot.decide(
            campaign_ids=body.campaign_ids, post=post, slot=slot, scope=scope_of(caller), memory_only=True
        )
    except ads_client.NeedsDatabase:
        return None


def _decide_on_thread(
    database: Database, settings: Settings, body: DecisionCreate, caller: KeyInfo
) -> dict[str, Any]:
    """The answers that may read the database: a cold copy (the hot client), or a recorded decision."""
    post, slot = _refs(body)
    if not body.record:
        nats = StreamConfig.from_settings(settings) if settings.nats_url else None
        hot = ads_client.for_database(database, nats)
        return hot.decide(campaign_ids=body.campaign_ids, post=post, slot=slot, scope=scope_of(caller))
    with database.session() as session:
        return decisions.decide_request(
            session, campaign_ids=body.campaign_ids, post=post, slot=slot, scope=scope_of(caller), record=True
        )


@router.post("/ads/impressions", dependencies=SERVING)
def record_impressions(body: ImpressionBatch, session: SessionDep, caller: CallerDep) -> dict[str, Any]:
    """Served impressions (batch); idempotent on impression id; the decision snapshot is stored with each."""
    items = [
        impressions.ImpressionIn(
            id=i.id,
            campaign_id=i.campaign_id,
            post_id=i.post_id,
            served_at=i.served_at,
            client_decision=i.decision,
        )
        for i in body.impressions
    ]
    return impressions.record(session, items, scope=scope_of(caller))


# -- feedback and refused demands --------------------------------------------------------------------------------


def _advertiser_for(caller: KeyInfo, requested: str | None) -> str:
    scope = scope_of(caller)
    if scope is not None:
        store.check_scope(scope, requested or scope)
        return scope
    if not requested:
        from townsquare.core.errors import Invalid

        raise Invalid("advertiser_id is required for platform keys", field="advertiser_id")
    return requested


@router.post("/ads/feedback", dependencies=ADMIN_OR_ADV)
def adjacency_feedback(body: FeedbackCreate, session: SessionDep, caller: CallerDep) -> dict[str, Any]:
    """ "Don't place me next to this": updates only the advertiser's own exclusions. Demands to remove, limit or
    ban are refused (403), recorded and counted."""
    adv = _advertiser_for(caller, body.advertiser_id)
    profiles = demands.feedback(
        session,
        advertiser_id=adv,
        action=body.action,
        target_type=body.target_type,
        target_id=body.target_id,
        campaign_id=body.campaign_id,
        actor=caller.name,
    )
    return {"updated_profiles": [{"id": p.id, "version": p.version} for p in profiles]}


@router.post("/ads/demands", dependencies=[allow(Role.ADVERTISER)], response_model=None, status_code=403)
def content_demand(body: DemandCreate, session: SessionDep, caller: CallerDep) -> NoReturn:
    """Advertisers cannot have content removed, limited or accounts banned: always 403, recorded, counted."""
    demands.refuse(
        session,
        advertiser_id=caller.advertiser_id or "",
        demand=body.demand or "remove",
        target_type=body.target_type or "post",
        target_id=body.target_id,
    )


@router.get("/ads/demands/refused", dependencies=[allow(Role.PUBLIC)])
def refused_demands(session: SessionDep, since: BoundedDatetime | None = None) -> dict[str, Any]:
    """Public counts of refused advertiser demands (for the transparency page)."""
    return demands.refused_counts(session, since=since)


@router.post("/ads/preview", dependencies=ADMIN_OR_ADV)
def preview_profile(body: PreviewCreate, session: SessionDep) -> list[dict[str, Any]]:
    """What an unsaved profile would do to these posts or texts (reads only)."""
    items: list[Any] = [i if isinstance(i, str) else i.model_dump(exclude_none=True) for i in body.items]
    return preview.preview(session, profile_spec=body.profile, texts_or_post_ids=items)


# -- reports ------------------------------------------------------------------------------------------------------


@dataclass
class ReportQuery:
    """The query parameters the three brand-safety report routes share (JSON, CSV, chart)."""

    advertiser_id: str
    since: BoundedDatetime
    until: BoundedDatetime | None = None
    campaign_id: str | None = None
    sample: int = Query(report.DEFAULT_SAMPLE, ge=0, le=10_000)
    seed: Count | None = None

    def run(self, session: Session, caller: KeyInfo) -> dict[str, Any]:
        return report.brand_safety_report(
            session,
            advertiser_id=self.advertiser_id,
            since=self.since,
            until=self.until,
            campaign_id=self.campaign_id,
            sample_size=self.sample,
            seed=self.seed,
            scope=scope_of(caller),
        )


ReportQueryDep = Annotated[ReportQuery, Depends()]


@router.get("/ads/reports/brand-safety", dependencies=READERS)
def brand_safety(session: SessionDep, caller: CallerDep, q: ReportQueryDep) -> dict[str, Any]:
    return q.run(session, caller)


@router.get("/ads/reports/brand-safety.csv", dependencies=READERS)
def brand_safety_csv(session: SessionDep, caller: CallerDep, q: ReportQueryDep) -> Response:
    return Response(
        render.to_csv(q.run(session, caller)),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="brand-safety-{q.advertiser_id}.csv"'},
    )


@router.get("/ads/reports/brand-safety.{fmt}", dependencies=READERS)
def brand_safety_chart(
    fmt: Literal["png", "svg"], session: SessionDep, caller: CallerDep, q: ReportQueryDep
) -> Response:
    data = q.run(session, caller)
    media = "image/png" if fmt == "png" else "image/svg+xml"
    return Response(render.chart(data, fmt), media_type=media)
