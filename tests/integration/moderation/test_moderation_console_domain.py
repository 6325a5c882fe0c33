"""Domain pieces of the moderation console (issue 16), on SQLite and PostgreSQL: priority that weighs reports,
appeals never offered to their decider, precedents by meaning, private notes, search and saved views, bulk
decisions through the enforcement path, and the account file with its actions."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from moderation_helpers import report_post
from sqlalchemy import func, select

from townsquare.core.errors import Forbidden, Invalid, NotFound
from townsquare.moderation import accounts, appeals, bulk, claims, decisions, notes, review, search, view
from townsquare.moderation.cases import get_case, open_case
from townsquare.storage.db import Database
from townsquare.storage.models import Action, AuditRecord, Case, ModerationNote

Post = Callable[..., str]


def test_report_sourced_case_ranks_near_an_automated_one(db: Database, post: Post) -> None:
    post("reported", risk="none", labels=[], scores={})
    post("automated", risk="floor", scores={"hate_speech": 0.9})
    one = report_post(db, "u1", "reported", reason="harassment")
    with db.session() as s:
        auto = open_case(
            s,
            subject_type="post",
            subject_id="automated",
            origin="automation",
            proposed_action="remove",
            proposed_rule="hate.dehumanisation@2",
        )
        auto_priority = auto.priority
        reported_priority = get_case(s, one).priority
    # before issue 16: 8 against 54; now a credible report counts like a "high" tier
    assert reported_priority >= 0.75 * auto_priority
    report_post(db, "u2", "reported", reason="harassment")
    with db.session() as s:
        assert get_case(s, one).priority > reported_priority  # a second person adds weight


def _decided_then_appealed(db: Database, post: Post) -> tuple[int, int]:
    post("ap", author="alice")
    case_id = report_post(db, "u1", "ap")
    with db.session() as s:
        claims.claim(s, case_id=case_id, moderator="mod-a")
        d = decisions.decide(
            s,
            case_id=case_id,
            moderator="mod-a",
            action="remove",
            rule_id="hate.dehumanisation",
            explanation="Dehumanising.",
        )
        action_id = int(d.action_id or 0)
    with db.session() as s:
        appeal, _ = appeals.file_appeal(s, action_id=action_id, appellant_id="alice", text="It was satire.")
        return int(appeal.id), int(appeal.case_id or 0)


def test_appeal_never_offered_to_its_decider(db: Database, post: Post) -> None:
    _, appeal_case = _decided_then_appealed(db, post)
    with db.session() as s:
        assert appeal_case not in [c.id for c in review.visible_queue(s, queue="appeals", moderator="mod-a")]
        assert appeal_case in [c.id for c in review.visible_queue(s, queue="appeals", moderator="mod-b")]
        with pytest.raises(Forbidden):
            review.claim(s, case_id=appeal_case, moderator="mod-a")
        with pytest.raises(NotFound):
            review.claim_next(s, queue="appeals", moderator="mod-a")
    with db.session() as s:
        assert get_case(s, appeal_case).status == "open"  # the refused claim locked nothing
        assert review.claim_next(s, queue="appeals", moderator="mod-b").id == appeal_case


def test_precedent_by_meaning_not_by_top_label(db: Database, post: Post) -> None:
    post(
        "stadium",
        text="Kill the referee! What a match at the stadium tonight, the crowd went wild.",
        risk="medium",
        labels=["violent_threat"],
        scores={"violent_threat": 0.6, "hate_speech": 0.1},
    )
    post(
        "hateful",
        text="Those immigrants are vermin and parasites, they should be wiped out of our country.",
        scores={"hate_speech": 0.8, "violent_threat": 0.5},
    )
    post(
        "new",
        text="Migrants are rats and parasites; our nation must be cleansed of them.",
        scores={"violent_threat": 0.65, "hate_speech": 0.6},
    )
    for pid, action, rule, why in (
        ("stadium", "none", "violence.threat", "A sports chant, not a threat."),
        ("hateful", "remove", "hate.dehumanisation", "Dehumanises a group."),
    ):
        case_id = report_post(db, "u1", pid)
        with db.session() as s:
            claims.claim(s, case_id=case_id, moderator="mod-a")
            decisions.decide(
                s, case_id=case_id, moderator="mod-a", action=action, rule_id=rule, explanation=why
            )
    new_case = report_post(db, "u2", "new")
    with db.session() as s:
        found = view.case_view(s, case_id=new_case)["similar_decisions"]
    assert found and found[0]["post_id"] == "hateful"
    assert found[0]["explanation"] == "Dehumanises a group." and found[0]["outcome"] == "action"
    assert "stadium" not in [p["post_id"] for p in found]
    assert all(p["private_note"] is None for p in found)


def test_notes_are_private_validated_and_audited_without_text(
    db: Database, post: Post, client: TestClient, auth: Callable[..., dict[str, str]]
) -> None:
    post("np", author="bob")
    case_id = report_post(db, "u1", "np")
    secret = "NOTE-SECRET reporter may be brigading"
    r = client.post(
        f"/api/v1/cases/{case_id}/notes", json={"text": secret}, headers=auth("moderator", "mod-n")
    )
    assert r.status_code == 201, r.text
    r = client.post(
        "/api/v1/moderation/accounts/bob/notes", json={"text": "known troll"}, headers=auth("moderator")
    )
    assert r.status_code == 201
    assert (
        client.post("/api/v1/cases/999999/notes", json={"text": "x"}, headers=auth("moderator")).status_code
        == 404
    )
    assert (
        client.post(
            f"/api/v1/cases/{case_id}/notes", json={"text": "  "}, headers=auth("moderator")
        ).status_code
        == 422
    )
    assert client.get(f"/api/v1/cases/{case_id}/notes", headers=auth("ingest")).status_code == 403
    assert client.get(f"/api/v1/cases/{case_id}/notes").status_code in (401, 403)
    assert secret not in client.get("/api/v1/posts/np").text
    with db.session() as s:
        assert s.scalar(select(func.count(ModerationNote.id))) == 2
        payloads = [
            str(a.payload) for a in s.scalars(select(AuditRecord).where(AuditRecord.event == "note.added"))
        ]
        assert len(payloads) == 2 and not any("SECRET" in p or "troll" in p for p in payloads)
        file = accounts.account_file(s, "bob")
        assert {n["text"] for n in file["notes"]} == {secret, "known troll"}
        with pytest.raises(Invalid):
            notes.add_note(s, subject_type="post", subject_id="np", author="m", text="x")


def test_search_filters_and_saved_views(db: Database, post: Post) -> None:
    post("fr1", text="un texte en français sur le marché", author="carol")
    post("en1", text="an english text about the market", author="dave")
    for pid in ("fr1", "en1"):
        report_post(db, "u1", pid, reason="spam")
    report_post(db, "u2", "en1", reason="spam")
    with db.session() as s:
        found = search.find_cases(s, search.Filters.parse({"q": "MARCHÉ"}), moderator="m")
        assert [c.post_id for c in found] == ["fr1"]
        assert [
            c.post_id for c in search.find_cases(s, search.Filters.parse({"q": "dave"}), moderator="m")
        ] == ["en1"]
        two = search.find_cases(s, search.Filters.parse({"min_reports": "2"}), moderator="m")
        assert [c.post_id for c in two] == ["en1"]
        assert search.find_cases(s, search.Filters.parse({"reason": "hate"}), moderator="m") == []
        for bad in ({"post_lang": "de"}, {"min_reports": "-1"}, {"reason": "nope"}, {"queue": "nope"}):
            with pytest.raises((Invalid, NotFound)):
                search.Filters.parse(bad)
        v = search.save_view(s, moderator="m", name="two+", query="min_reports=2&post_lang=en")
        assert v.query == "post_lang=en&min_reports=2"
        search.save_view(s, moderator="m", name="two+", query="min_reports=3")
        assert [x.query for x in search.views_of(s, "m")] == ["min_reports=3"]
        assert search.views_of(s, "other") == []
        with pytest.raises(Invalid):
            search.save_view(s, moderator="m", name="bad", query="post_lang=de")
        with pytest.raises(NotFound):
            search.delete_view(s, moderator="other", view_id=v.id)


def test_bulk_decides_each_case_through_enforcement(db: Database, post: Post) -> None:
    ids = [report_post(db, "u1", post(f"b{i}", author=f"a{i}")) for i in range(3)]
    with db.session() as s:
        claims.claim(s, case_id=ids[2], moderator="someone-else")
    with db.session() as s:
        with pytest.raises(Invalid):
            bulk.bulk_decide(s, case_ids=ids, moderator="mod-a", action="remove", rule_id="hate.derogation")
        results = bulk.bulk_decide(
            s,
            case_ids=ids,
            moderator="mod-a",
            action="remove",
            rule_id="hate.derogation",
            explanation="Derogatory speech about a group.",
            private_note="batch of the same campaign",
        )
    assert [r["ok"] for r in results] == [True, True, False] and results[2]["status"] == 409
    with db.session() as s:
        acts = list(s.scalars(select(Action).where(Action.case_id.in_(ids[:2]))))
        assert len(acts) == 2 and len({a.puid for a in acts}) == 2
        assert all(a.statement and a.explanation == "Derogatory speech about a group." for a in acts)
        assert s.get(Case, ids[2]).status == "claimed"


def test_account_file_and_actions(db: Database, post: Post) -> None:
    post("e1", author="erin")
    report_post(db, "u1", "e1")
    with db.session() as s:
        with pytest.raises(Invalid):
            accounts.act_on_account(
                s,
                account_id="erin",
                moderator="m",
                action="permanent_ban",
                rule_id="account.warning",
                explanation="no",
            )
        with pytest.raises(Invalid):
            accounts.act_on_account(
                s,
                account_id="erin",
                moderator="m",
                action="suspend",
                rule_id="account.warning",
                explanation="x",
            )
        warn = accounts.act_on_account(
            s,
            account_id="erin",
            moderator="m",
            action="warn",
            rule_id="account.warning",
            explanation="Please stop.",
            private_note="first contact",
        )
        sus = accounts.act_on_account(
            s,
            account_id="erin",
            moderator="m",
            action="suspend",
            rule_id="account.warning",
            explanation="Repeated.",
            days=3,
        )
        file = accounts.account_file(s, "erin")
        assert file["account"]["status"] == "suspended"
        assert {a["id"] for a in file["actions"]} >= {warn.id, sus.id}
        assert file["posts"][0]["id"] == "e1" and file["reports_about"][0]["subject_id"] == "e1"
        accounts.lift_action(
            s, account_id="erin", action_id=sus.id, moderator="m2", reason="Served elsewhere."
        )
        assert accounts.account_file(s, "erin")["account"]["status"] == "warned"  # the warning stays
        with pytest.raises(NotFound):
            accounts.lift_action(s, account_id="someone", action_id=warn.id, moderator="m", reason="x")
        with pytest.raises(NotFound):
            accounts.account_file(s, "nobody")


def test_demo_hateful_post_gets_a_hateful_precedent_not_the_stadium_one(db: Database) -> None:
    """The issue's case on the real demo data and the real classifier: a French post calling migrants parasites
    is shown the English "immigrants are vermin" removal as its precedent, never the dismissed match comment."""
    from townsquare.demo import loader
    from townsquare.moderation import reports

    with db.session() as s:
        loader.load(s, with_keys=False)

    def reported(pid: str, reason: str) -> int:
        with db.session() as s:
            r, _ = reports.submit_report(
                s, reporter_id=f"u-{pid}", subject_type="post", subject_id=pid, reason=reason, text="bad"
            )
            return int(r.case_id or 0)

    for pid, reason, action, rule, why in (
        ("demo-016", "violence", "none", "violence.threat", "A comment on a football match, no threat."),
        ("demo-007", "hate", "remove", "hate.derogation", "Dehumanises immigrants."),
    ):
        case_id = reported(pid, reason)
        with db.session() as s:
            claims.claim(s, case_id=case_id, moderator="m1")
            decisions.decide(s, case_id=case_id, moderator="m1", action=action, rule_id=rule, explanation=why)
    with db.session() as s:
        found = view.case_view(s, case_id=reported("demo-008", "hate"))["similar_decisions"]
    assert [p["post_id"] for p in found][:1] == ["demo-007"]
    assert "demo-016" not in [p["post_id"] for p in found]
