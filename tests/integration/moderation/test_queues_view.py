"""Priority ordering, queue stats, the case view (similar decisions, history) and moderator wellbeing."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient
from moderation_helpers import report_post

from townsquare.core import clock
from townsquare.moderation import claims, decisions, stats, wellbeing
from townsquare.moderation.cases import list_queue
from townsquare.moderation.view import case_view
from townsquare.storage.db import Database

Post = Callable[..., str]


def test_priority_orders_severity_reach_reports_and_age(db: Database, post: Post) -> None:
    post("mild", risk="low", scores={"hate_speech": 0.25})
    post("severe", risk="floor", scores={"hate_speech": 0.9})
    post("viral", risk="low", scores={"hate_speech": 0.25}, reach=500_000)
    post("crowd", risk="low", scores={"hate_speech": 0.25})
    ids = {p: report_post(db, "u1", p) for p in ("mild", "severe", "viral", "crowd")}
    for r in ("u2", "u3", "u4", "u5"):
        report_post(db, r, "crowd")
    with db.session() as s:
        order = [c.post_id for c in list_queue(s, queue="hate_harassment")]
    # priority.py: a credible hate report counts like a "high" tier, so reach and the crowd of reporters decide
    # between reported posts; the floor-tier post leads every case of equal reach; the lone mild report is last.
    assert order == ["viral", "severe", "crowd", "mild"] or order == ["viral", "crowd", "severe", "mild"]
    # Age: a case waiting long enough overtakes a fresher, more severe one.
    clock.advance(200 * 3600)
    post("fresh", risk="floor", scores={"hate_speech": 0.9})
    report_post(db, "u9", "fresh")
    with db.session() as s:
        order = [c.post_id for c in list_queue(s, queue="hate_harassment")]
    assert order.index("mild") < order.index("fresh")
    assert ids


def test_stats_backlog_first_action_and_rules(db: Database, post: Post) -> None:
    post("a")
    post("b")
    post("c")
    for p in ("a", "b", "c"):
        report_post(db, "u1", p)
    clock.advance(600)
    with db.session() as s:
        cases = list_queue(s, queue="hate_harassment")
        for c, (action, rule) in zip(
            cases[:2], [("remove", "hate.dehumanisation"), ("none", "hate.derogation")], strict=True
        ):
            claims.claim(s, case_id=c.id, moderator="mod-a")
            decisions.decide(s, case_id=c.id, moderator="mod-a", action=action, rule_id=rule)
        q = stats.queue_stats(s)["queues"]["hate_harassment"]
    assert q["backlog"] == 1 and q["unclaimed"] == 1
    assert q["time_to_first_action_seconds"]["count"] == 2
    assert 590 <= q["time_to_first_action_seconds"]["median"] <= 700
    assert q["decisions_per_rule"] == {"hate.dehumanisation": 1, "hate.derogation": 1}
    assert q["decisions_per_outcome"] == {"action": 1, "no_action": 1}


def test_case_view_history_and_similar_decisions(db: Database, post: Post) -> None:
    post("old", text="they are vermin")
    post("new", text="they are vermin")
    old_case = report_post(db, "u1", "old")
    with db.session() as s:
        claims.claim(s, case_id=old_case, moderator="mod-a")
        decisions.decide(
            s, case_id=old_case, moderator="mod-a", action="remove", rule_id="hate.dehumanisation"
        )
    new_case = report_post(db, "u2", "new")
    with db.session() as s:
        v = case_view(s, case_id=new_case)
    assert v["similar_decisions"][0]["post_id"] == "old"
    assert v["similar_decisions"][0]["match"] == "meaning"
    assert v["similar_decisions"][0]["similarity"] > 0.9
    assert v["author"]["active_strikes"] >= 1 and v["author"]["actions"][0]["post_id"] == "old"
    assert v["assessment"]["top_label"] == "hate_speech"
    assert v["reports"][0]["reporter_credibility"] == 0.5


def test_wellbeing_blur_hide_and_daily_exposure(
    client: TestClient, db: Database, auth: Callable[..., dict[str, str]], post: Post
) -> None:
    post("severe", risk="floor")
    post("benign", risk="none", labels=[], scores={})
    severe, benign = report_post(db, "u1", "severe"), report_post(db, "u1", "benign", reason="spam")
    mod = auth("moderator", "mod-w")
    s0 = client.get("/api/v1/moderators/me/settings", headers=mod).json()
    assert s0 == {**s0, "blur_severe": True, "hide_severe": False, "severe_exposure_today": 0}
    r = client.put("/api/v1/moderators/me/settings", json={"hide_severe": True}, headers=mod)
    assert r.status_code == 200 and r.json()["hide_severe"] is True
    v = client.get(f"/api/v1/cases/{severe}", headers=mod).json()
    assert v["display"]["mode"] == "hide" and v["post"]["text"] is None
    v = client.get(f"/api/v1/cases/{severe}", params={"reveal": "true"}, headers=mod).json()
    assert v["post"]["text"] and v["display"]["mode"] == "show"
    v = client.get(f"/api/v1/cases/{benign}", headers=mod).json()
    assert v["display"] == {"severe": False, "mode": "show"}
    assert client.get("/api/v1/moderators/me/settings", headers=mod).json()["severe_exposure_today"] == 1
    clock.advance(86_400)
    with db.session() as s:
        assert wellbeing.exposure_today(s, "mod-w") == 0
    admin = auth("admin", "boss")
    assert client.get("/api/v1/moderators/mod-w/exposure", headers=admin).json()["hide_severe"] is True


def test_queue_routes_and_roles(client: TestClient, auth: Callable[..., dict[str, str]], post: Post) -> None:
    post("p1")
    case_id = None
    platform = auth("ingest", "platform")
    r = client.post(
        "/api/v1/reports", json={"subject_id": "p1", "reason": "hate", "reporter_id": "u1"}, headers=platform
    )
    case_id = r.json()["case_id"]
    mod = auth("moderator", "mod-a")
    assert client.get("/api/v1/queues", headers=platform).status_code == 403
    queues = {q["name"]: q for q in client.get("/api/v1/queues", headers=mod).json()["queues"]}
    assert "suspend" not in queues["triage"]["allowed_actions"]
    assert "permanent_ban" in queues["senior"]["allowed_actions"]
    assert queues["hate_harassment"]["backlog"] == 1
    nxt = client.post("/api/v1/queues/hate_harassment/next", headers=mod)
    assert nxt.status_code == 200 and nxt.json()["id"] == case_id and nxt.json()["claimed_by"] == "mod-a"
    assert client.post("/api/v1/queues/hate_harassment/next", headers=auth("moderator")).status_code == 404
    esc = client.post(f"/api/v1/cases/{case_id}/escalate", json={"note": "needs senior"}, headers=mod)
    assert esc.status_code == 200 and esc.json()["queue"] == "senior"
    st = client.get("/api/v1/queues/stats", headers=auth("auditor")).json()
    assert st["queues"]["senior"]["backlog"] == 1
    assert client.get("/api/v1/cases", params={"queue": "nope"}, headers=mod).status_code == 404


def test_reach_updates_reprioritise(
    client: TestClient, db: Database, auth: Callable[..., dict[str, str]], post: Post
) -> None:
    post("a", risk="low", scores={"hate_speech": 0.25})
    post("b", risk="low", scores={"hate_speech": 0.25})
    report_post(db, "u1", "a")
    report_post(db, "u1", "b")
    platform = auth("ingest", "platform")
    r = client.post("/api/v1/reach", json={"posts": [{"id": "b", "reach": 250_000}]}, headers=platform)
    assert r.status_code == 200 and r.json() == {"updated": 1}
    with db.session() as s:
        assert [c.post_id for c in list_queue(s, queue="hate_harassment")] == ["b", "a"]
    bad = client.post(
        "/api/v1/reach",
        json={"posts": [{"id": "a", "reach": 10**7}, {"id": "zz", "reach": 1}]},
        headers=platform,
    )
    assert bad.status_code == 404
    assert (
        client.post("/api/v1/reach", json={"posts": [{"id": "a", "reach": -1}]}, headers=platform).status_code
        == 422
    )
    with db.session() as s:
        assert [c.post_id for c in list_queue(s, queue="hate_harassment")] == ["b", "a"]  # nothing changed
