"""`townsquare ads ...`: advertisers, profiles, campaigns and a placement check from the command line."""

from __future__ import annotations

import json

import typer
from pydantic import ValidationError

from townsquare.ads import decisions, demands, store
from townsquare.ads.spec import ProfileSpec
from townsquare.cli.common import console, fail, session

app = typer.Typer(
    help="Brand safety: advertisers, suitability profiles, campaigns, placement checks.", no_args_is_help=True
)


def _spec(
    preset: str,
    tiers: list[str],
    keywords: list[str],
    languages: list[str],
    exclude_accounts: list[str],
    include_accounts: list[str],
) -> ProfileSpec:
    try:
        cats = dict(t.split("=", 1) for t in tiers)
    except ValueError:
        fail("--tier takes CATEGORY=TIER, e.g. --tier obscenity_profanity=low")
    try:
        return ProfileSpec(
            preset=preset,
            category_tiers=cats,
            keywords=keywords,
            languages=languages,
            excluded_accounts=exclude_accounts,
            included_accounts=include_accounts,
        )
    except ValidationError as exc:
        first = exc.errors()[0]
        fail(f"{'.'.join(str(p) for p in first['loc'])}: {first['msg']}")
        raise  # pragma: no cover


@app.command("advertiser-add")
def advertiser_add(advertiser_id: str, name: str = typer.Option("", "--name")) -> None:
    """Create an advertiser (then `townsquare keys create --role advertiser --advertiser ID`)."""
    with session() as s:
        store.create_advertiser(s, advertiser_id=advertiser_id, name=name)
    console.print(f"advertiser {advertiser_id} created")


@app.command("profile-add")
def profile_add(
    advertiser_id: str,
    name: str = typer.Option("", "--name"),
    preset: str = typer.Option("standard", "--preset", help="relaxed | standard | conservative"),
    tier: list[str] = typer.Option([], "--tier", help="CATEGORY=lowest excluded tier (repeatable)."),
    keyword: list[str] = typer.Option([], "--keyword", help="Keyword or phrase to avoid (repeatable)."),
    language: list[str] = typer.Option([], "--language", help="Only posts in this language (repeatable)."),
    exclude_account: list[str] = typer.Option([], "--exclude-account"),
    include_account: list[str] = typer.Option([], "--include-account"),
) -> None:
    """Create a suitability profile; prints its id."""
    spec = _spec(preset, tier, keyword, language, exclude_account, include_account)
    with session() as s:
        prof = store.create_profile(s, advertiser_id=advertiser_id, name=name, spec=spec, actor="cli")
        console.print(json.dumps(store.profile_public(prof), indent=2))


@app.command("campaign-add")
def campaign_add(
    campaign_id: str,
    advertiser_id: str = typer.Option(..., "--advertiser"),
    profile_id: int = typer.Option(..., "--profile"),
    name: str = typer.Option("", "--name"),
) -> None:
    """Create a campaign using one of the advertiser's profiles."""
    with session() as s:
        store.create_campaign(
            s, campaign_id=campaign_id, advertiser_id=advertiser_id, name=name, profile_id=profile_id
        )
    console.print(f"campaign {campaign_id} created")


@app.command("list")
def list_all() -> None:
    """Advertisers with their profiles and campaigns."""
    with session() as s:
        for adv in store.list_advertisers(s):
            console.print(f"[bold]{adv.id}[/bold] {adv.name}")
            for p in store.list_profiles(s, adv.id):
                console.print(f"  profile {p.id} v{p.version} {p.name!r} preset={p.preset}")
            for c in store.list_campaigns(s, adv.id):
                console.print(f"  campaign {c.id} profile={c.profile_id} active={c.active}")


@app.command("decide")
def decide(
    campaign: list[str] = typer.Option(..., "--campaign", help="Candidate campaign id (repeatable)."),
    post: str | None = typer.Option(None, "--post", help="Id of an ingested post."),
    text: str | None = typer.Option(None, "--text", help="Inline text (pre-bid check)."),
) -> None:
    """Would these campaigns be placed next to this post? Prints the decisions with reasons as JSON."""
    if (post is None) == (text is None):
        fail("give exactly one of --post or --text")
    with session() as s:
        ref = decisions.PostRef(post_id=post, text=text)
        out = decisions.decide_request(s, campaign_ids=campaign, post=ref)
    console.print_json(json.dumps(out))


@app.command("demands")
def demand_counts() -> None:
    """Refused advertiser demands (remove / limit / ban), as published in the transparency figures."""
    with session() as s:
        console.print_json(json.dumps(demands.refused_counts(s)))
