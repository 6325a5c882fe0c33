"""Pure parts of the stream and the ads feed: message codec, names and limits, the bounded local copy."""

from __future__ import annotations

from townsquare.ads.compiled import compile_profile, post_risk
from townsquare.ads.feed import CachedCampaign, LocalCopy, decode_post, encode_post, kv_ident, kv_key
from townsquare.ads.risk import LoadedPost
from townsquare.ads.spec import ProfileSpec
from townsquare.stream import jetstream
from townsquare.stream.config import StreamConfig


def _loaded(pid: str, aid: int | None = 1, visibility: str = "visible") -> LoadedPost:
    garm = {"obscenity_profanity": "low"}
    risk = post_risk(
        post_id=pid, author_id="a", lang="en", visibility=visibility, garm=garm, text="hello there"
    )
    return LoadedPost(risk=risk, assessment_id=aid, garm=garm, text="")


def _camp(cid: str, profile_id: int) -> CachedCampaign:
    return CachedCampaign(cid, "adv", True, compile_profile(ProfileSpec(), profile_id=profile_id, version=1))


def test_message_codec_round_trips_and_refuses_garbage() -> None:
    assert jetstream.decode(jetstream.encode("at://did:plc:x/post/1")) == "at://did:plc:x/post/1"
    for bad in (b"", b"not json", b"[1]", b'{"id": ""}', b'{"id": 5}', b'{"other": "x"}'):
        assert jetstream.decode(bad) is None


def test_names_and_limits_derive_from_the_prefix() -> None:
    cfg = StreamConfig("nats://x:4222", "ts_a", max_backlog=10)
    assert (cfg.stream, cfg.subject, cfg.durable) == ("ts_a_posts", "ts_a.posts", "ts_a_workers")
    assert cfg.hard_limit == 20 and cfg.risk_bucket != cfg.profile_bucket


def test_copy_is_bounded_and_never_caches_an_unstored_assessment() -> None:
    copy = LocalCopy(max_posts=2)
    for pid in ("p1", "p2", "p3"):
        copy.put_post(_loaded(pid))
    assert copy.post("p1") is None and copy.post("p3") is not None and copy.sizes()[0] == 2
    copy.put_post(_loaded("fresh", aid=None))
    assert copy.post("fresh") is None


def test_a_read_that_raced_an_invalidation_is_not_cached() -> None:
    copy = LocalCopy()
    epoch = copy.epoch  # a database read starts
    copy.drop(posts={"p1"})  # a commit invalidates meanwhile
    copy.put_post(_loaded("p1"), epoch=epoch)
    copy.put_campaign(_camp("c1", 1), epoch=epoch)
    assert copy.post("p1") is None and copy.campaign("c1") is None


def test_profile_and_campaign_invalidation() -> None:
    copy = LocalCopy()
    copy.put_campaign(_camp("c1", 1))
    copy.put_campaign(_camp("c2", 2))
    copy.put_absent("ghost")
    gen = copy.campaign_gen
    copy.drop(profiles={1})
    assert copy.campaign("c1") is None and copy.campaign("c2") is not None and copy.campaign_gen > gen
    copy.drop(campaigns={"ghost"})  # the campaign was created: no longer known-absent
    assert not copy.is_absent("ghost")


def test_feed_codec_keeps_what_decisions_need() -> None:
    src = _loaded("p/é:1", visibility="limited_reach")
    back = decode_post(encode_post(src))
    assert back.risk == src.risk and back.assessment_id == src.assessment_id
    assert kv_ident(kv_key("post", "p/é:1")) == ("post", "p/é:1")
