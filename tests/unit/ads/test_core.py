"""The pure core: presets, cumulative exclusions, keywords on normalised text, accounts, languages, floor."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from townsquare.ads.cache import ProfileCache
from townsquare.ads.compiled import compile_profile, post_risk
from townsquare.ads.decide import decide, decide_slot
from townsquare.ads.presets import EXCLUDABLE_TIERS, INELIGIBLE_VISIBILITY, PRESETS
from townsquare.ads.spec import ProfileSpec
from townsquare.classify.taxonomy import GARM_CATEGORIES, TIERS


def risk(
    garm: dict[str, str] | None = None,
    *,
    text: str = "hello",
    author: str = "alice",
    lang: str = "en",
    visibility: str = "visible",
    post_id: str = "p1",
):  # type: ignore[no-untyped-def]
    return post_risk(
        post_id=post_id,
        author_id=author,
        lang=lang,
        visibility=visibility,
        garm={} if garm is None else garm,
        text=text,
    )


def codes(d) -> list[str]:  # type: ignore[no-untyped-def]
    return [r["code"] for r in d.reasons]


def test_presets_cover_every_category_and_get_stricter() -> None:
    order = {t: i for i, t in enumerate(TIERS)}
    for name in ("relaxed", "standard", "conservative"):
        assert set(PRESETS[name]) == set(GARM_CATEGORIES)
    for cat in GARM_CATEGORIES:
        r, s, c = (order[PRESETS[n][cat]] for n in ("relaxed", "standard", "conservative"))
        assert r >= s >= c, cat  # lower lowest-excluded tier = stricter


def test_conservative_refuses_hate_and_profanity_accepts_neutral() -> None:
    prof = compile_profile(ProfileSpec(preset="conservative"))
    hateful = decide(risk({"hate_speech_aggression": "medium"}), prof, "c1")
    assert not hateful.eligible
    assert hateful.reasons[0] == {
        "code": "category",
        "category": "hate_speech_aggression",
        "tier": "medium",
        "excluded_from": "low",
    }
    assert not decide(risk({"obscenity_profanity": "low"}), prof, "c1").eligible
    neutral = decide(risk({}), prof, "c1")
    assert neutral.eligible and neutral.reasons == ()


def test_exclusion_is_cumulative_upwards() -> None:
    prof = compile_profile(ProfileSpec(preset="relaxed", category_tiers={"misinformation": "medium"}))
    assert decide(risk({"misinformation": "low"}), prof).eligible
    for tier in ("medium", "high"):
        assert not decide(risk({"misinformation": tier}), prof).eligible
    assert codes(decide(risk({"misinformation": "floor"}), prof)) == ["garm_floor"]


@pytest.mark.parametrize("preset", ["relaxed", "standard", "conservative"])
def test_floor_and_policy_state_never_eligible(preset: str) -> None:
    lax = {c: "floor" for c in GARM_CATEGORIES}
    prof = compile_profile(ProfileSpec(preset=preset, category_tiers=lax))  # type: ignore[arg-type]
    for cat in GARM_CATEGORIES:
        d = decide(risk({cat: "floor"}), prof)
        assert not d.eligible and d.reasons[0]["code"] == "garm_floor"
    for vis in INELIGIBLE_VISIBILITY:
        d = decide(risk(visibility=vis), prof)
        assert not d.eligible and d.reasons == ({"code": "post_state", "visibility": vis},)
    assert decide(risk(), prof).eligible


@pytest.mark.parametrize(
    ("text", "keyword"),
    [
        ("Quelle H4INE contre eux", "haine"),
        ("a real g é n o c i d e there", "génocide"),
        ("FREE   MONEY for all", "free money"),
        ("get fr33 m0ney now", "free money"),
        ("сasino tonight", "casino"),  # Cyrillic с
        ("k.i.l.l them", "kill"),
        ("nice 🔫 collection", "🔫"),
        ("CRYPTOOOO pump", "cryptoo"),
    ],
)
def test_keywords_match_on_normalised_text(text: str, keyword: str) -> None:
    prof = compile_profile(ProfileSpec(keywords=[keyword]))
    d = decide(risk(text=text), prof, "c")
    assert not d.eligible and d.reasons[0]["code"] == "keyword" and d.reasons[0]["keyword"] == keyword


def test_keywords_respect_word_boundaries() -> None:
    prof = compile_profile(ProfileSpec(keywords=["gun"]))
    assert decide(risk(text="a gundam model and begun work"), prof).eligible
    assert not decide(risk(text="a gun show"), prof).eligible


def test_accounts_languages_and_feedback_posts() -> None:
    prof = compile_profile(ProfileSpec(excluded_accounts=["troll"], languages=["fr"], excluded_posts=["p9"]))
    assert codes(decide(risk(author="troll", lang="fr"), prof)) == ["account_excluded"]
    assert codes(decide(risk(lang="en"), prof)) == ["language"]
    assert codes(decide(risk(lang="fr", post_id="p9"), prof)) == ["post_excluded"]
    assert decide(risk(lang="fr"), prof).eligible
    allow = compile_profile(ProfileSpec(included_accounts=["news"]))
    assert decide(risk(author="news"), allow).eligible
    assert codes(decide(risk(author="other"), allow)) == ["account_not_included"]
    # an allow-list never overrides the floor or a moderation state
    assert not decide(risk({"terrorism": "floor"}, author="news"), allow).eligible
    assert not decide(risk(author="news", visibility="removed"), allow).eligible


def test_every_reason_is_listed_and_inactive_campaigns_refused() -> None:
    prof = compile_profile(ProfileSpec(preset="conservative", keywords=["spam"], excluded_accounts=["bot"]))
    d = decide(
        risk(
            {"spam_harmful": "medium", "adult_sexual": "floor"},
            text="spam spam",
            author="bot",
            visibility="labelled",
        ),
        prof,
        "c",
        active=False,
    )
    assert set(codes(d)) == {
        "campaign_inactive",
        "post_state",
        "category",
        "garm_floor",
        "keyword",
        "account_excluded",
    }


def test_unassessed_post_is_never_eligible() -> None:
    p = post_risk(post_id="x", author_id="a", lang="en", visibility="visible", garm=None, text="hi")
    assert codes(decide(p, compile_profile(ProfileSpec(preset="relaxed")))) == ["not_assessed"]


def test_slot_needs_both_neighbours() -> None:
    prof = compile_profile(ProfileSpec(preset="standard"))
    ok, bad = risk(post_id="a"), risk({"death_injury_conflict": "high"}, post_id="b")
    (both,) = decide_slot(ok, ok, [("c", prof, True)])
    assert both.eligible
    (one,) = decide_slot(ok, bad, [("c", prof, True)])
    assert not one.eligible and one.reasons[0]["neighbour"] == "after"
    (other,) = decide_slot(bad, ok, [("c", prof, True)])
    assert not other.eligible and other.reasons[0]["neighbour"] == "before"


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"preset": "yolo"}, "preset"),
        ({"category_tiers": {"kittens": "low"}}, "category_tiers"),
        ({"category_tiers": {"terrorism": "none"}}, "category_tiers"),
        ({"keywords": ["   "]}, "keywords"),
        ({"keywords": ["\u200b"]}, "keywords"),
        ({"languages": ["f r!"]}, "languages"),
        ({"unknown_field": 1}, "unknown_field"),
    ],
)
def test_malformed_profiles_name_the_field(data: dict[str, object], field: str) -> None:
    with pytest.raises(ValidationError) as exc:
        ProfileSpec.model_validate(data)
    assert field in {str(e["loc"][0]) for e in exc.value.errors()}


def test_cache_is_keyed_by_version() -> None:
    cache = ProfileCache(maxsize=8)
    assert cache.get(1, 1) is None
    v1 = cache.put(ProfileSpec(preset="relaxed"), 1, 1)
    assert cache.get(1, 1) is v1
    v2 = cache.put(ProfileSpec(preset="conservative"), 1, 2)
    assert cache.get(1, 1) is None and cache.get(1, 2) is v2
    for i in range(20):
        cache.put(ProfileSpec(), 100 + i, 1)
    assert len(cache) == 8


tiers_st = st.sampled_from(EXCLUDABLE_TIERS)
garm_st = st.dictionaries(st.sampled_from(GARM_CATEGORIES), st.sampled_from(TIERS[1:]), max_size=5)
spec_st = st.builds(
    ProfileSpec,
    preset=st.sampled_from(["relaxed", "standard", "conservative"]),
    category_tiers=st.dictionaries(st.sampled_from(GARM_CATEGORIES), tiers_st, max_size=12),
    keywords=st.lists(
        st.text(alphabet="abcdeéfgh 4@", min_size=1, max_size=8).filter(
            lambda k: k.strip() != "" and any(c.isalpha() for c in k)
        ),
        max_size=4,
    ),
)


@settings(max_examples=200, deadline=None)
@given(
    spec=spec_st,
    garm=garm_st,
    vis=st.sampled_from(["visible", *sorted(INELIGIBLE_VISIBILITY)]),
    text=st.text(max_size=60),
)
def test_property_floor_and_state_hold_for_any_profile(
    spec: ProfileSpec, garm: dict[str, str], vis: str, text: str
) -> None:
    d = decide(risk(garm, visibility=vis, text=text), compile_profile(spec))
    if vis != "visible" or "floor" in garm.values():
        assert not d.eligible
    if d.eligible:
        assert d.reasons == ()
    # tightening any category never makes an ineligible post eligible
    strict = ProfileSpec.model_validate(
        {**spec.model_dump(), "category_tiers": dict.fromkeys(GARM_CATEGORIES, "low")}
    )
    if not d.eligible:
        assert not decide(risk(garm, visibility=vis, text=text), compile_profile(strict)).eligible


@settings(max_examples=150, deadline=None)
@given(
    specs=st.lists(spec_st, min_size=1, max_size=4),
    garm=garm_st,
    vis=st.sampled_from(["visible", "removed"]),
    author=st.sampled_from(["alice", "bob"]),
    lang=st.sampled_from(["fr", "en", "de"]),
    text=st.text(alphabet="abcdefgh 4@é", max_size=40),
    active=st.booleans(),
)
def test_property_fast_path_matches_full_evaluation(
    specs: list[ProfileSpec], garm: dict[str, str], vis: str, author: str, lang: str, text: str, active: bool
) -> None:
    """decide_many / the eligible fast path agree with the full reason collection on every input."""
    from townsquare.ads.decide import _refusal, decide_many

    post = risk(garm, visibility=vis, author=author, lang=lang, text=text)
    cands = [(f"c{i}", compile_profile(s), active) for i, s in enumerate(specs)]
    many = decide_many(post, cands)
    for (cid, prof, act), d in zip(cands, many, strict=True):
        full = _refusal(post, prof, cid, act)
        assert d == decide(post, prof, cid, active=act)
        assert d.eligible == (full.reasons == ()) and (d.eligible or d.reasons == full.reasons)
