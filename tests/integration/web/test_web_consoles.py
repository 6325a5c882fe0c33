"""The consoles through the real app and database: every form goes through the domain services, and what the
API forbids the pages forbid too."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

HTML = {"accept": "text/html"}
POST = {
    "id": "web-p1",
    "author": "web-a1",
    "lang": "en",
    "text": "You are a pathetic loser and everyone laughs at you, just disappear from this site.",
}


def _token(client: Any, path: str, csrf: Callable[[str], str]) -> str:
    return csrf(client.get(path, headers=HTML).text)


def test_moderator_claims_and_decides_through_the_forms(
    client: Any,
    auth: Callable[..., dict[str, str]],
    web_login: Callable[..., str],
    csrf: Callable[[str], str],
) -> None:
    ingest = auth("ingest")
    assert client.post("/api/v1/posts", json=POST, headers=ingest).status_code in (200, 201)
    report = client.post(
        "/api/v1/reports",
        headers=ingest,
        json={"subject_type": "post", "subject_id": POST["id"], "reason": "harassment", "reporter_id": "u1"},
    )
    case_id = report.json()["case_id"]
    web_login("moderator", "web-mod")
    page = client.get(f"/moderation/cases/{case_id}", headers=HTML)
    assert page.status_code == 200 and 'id="decide-form"' not in page.text
    token = csrf(page.text)
    # a decision without a claim is refused by the domain and changes nothing
    r = client.post(
        f"/moderation/cases/{case_id}/decide",
        data={"csrf_token": token, "action": "remove", "rule_id": "harassment.targeted"},
        follow_redirects=False,
    )
    assert r.status_code == 303
    assert "claim" in client.get(f"/moderation/cases/{case_id}", headers=HTML).text.lower()
    assert client.get(f"/api/v1/posts/{POST['id']}").json()["visibility"] != "removed"

    client.post(f"/moderation/cases/{case_id}/claim", data={"csrf_token": token})
    page = client.get(f"/moderation/cases/{case_id}", headers=HTML)
    assert 'id="decide-form"' in page.text
    r = client.post(
        f"/moderation/cases/{case_id}/decide",
        follow_redirects=False,
        data={
            "csrf_token": token,
            "action": "remove",
            "rule_id": "harassment.targeted",
            "explanation": "Bullying a named person.",
            "note": "bullying",
        },
    )
    assert r.status_code == 303 and r.headers["location"].startswith("/moderation?queue=")
    assert client.get(f"/api/v1/posts/{POST['id']}").json()["visibility"] == "removed"
    status = client.get(f"/posts/{POST['id']}", headers=HTML).text
    assert "harassment.targeted" in status and "decided by a person" in status


def test_admin_creates_a_key_shown_once_and_revokes_it(
    client: Any, web_login: Callable[..., str], csrf: Callable[[str], str]
) -> None:
    web_login("admin", "web-admin")
    token = _token(client, "/admin", csrf)
    page = client.post("/admin/keys", data={"csrf_token": token, "name": "web-made", "role": "moderator"})
    raw = re.search(r'id="new-key">(ts_[^<]+)<', page.text)
    assert raw, page.text[:500]
    assert (
        client.get("/api/v1/queues", headers={"Authorization": f"Bearer {raw.group(1)}"}).status_code == 200
    )
    assert raw.group(1) not in client.get("/admin", headers=HTML).text  # shown once
    bad = client.post("/admin/keys", data={"csrf_token": token, "name": "x", "role": "public"}, headers=HTML)
    assert "public role needs no key" in bad.text
    client.post("/admin/keys/web-made/revoke", data={"csrf_token": token})
    assert (
        client.get("/api/v1/queues", headers={"Authorization": f"Bearer {raw.group(1)}"}).status_code == 401
    )


def test_advertiser_profile_preview_and_scope(
    client: Any,
    auth: Callable[..., dict[str, str]],
    web_login: Callable[..., str],
    csrf: Callable[[str], str],
) -> None:
    post = {"id": "web-jazz", "author": "web-a2", "lang": "fr", "text": "Concert de jazz ce soir au parc !"}
    assert client.post("/api/v1/posts", json=post, headers=auth("ingest")).status_code in (200, 201)
    web_login("advertiser", "web-adv", "adv-web")
    token = _token(client, "/advertiser", csrf)
    form = {"csrf_token": token, "preset": "standard", "keywords": "", "post_ids": "web-jazz"}
    fragment = client.post("/advertiser/preview", data=form, headers={"x-csrf-token": token})
    assert fragment.status_code == 200 and "<html" not in fragment.text
    assert 'data-post="web-jazz"' in fragment.text and "✔" in fragment.text
    tightened = client.post(
        "/advertiser/preview", data={**form, "keywords": "JAZZ"}, headers={"x-csrf-token": token}
    )
    assert "excluded keyword" in tightened.text
    bad = client.post("/advertiser/profiles", data={**form, "tier_terrorism": "extreme"}, headers=HTML)
    assert bad.status_code == 422 and "category_tiers" in bad.text
    saved = client.post(
        "/advertiser/profiles", data={**form, "name": "p", "keywords": "jazz"}, follow_redirects=False
    )
    assert saved.status_code == 303
    profile_id = int(saved.headers["location"].rsplit("=", 1)[1])
    page = client.get(saved.headers["location"], headers=HTML).text
    assert ">jazz</textarea>" in page
    assert client.get("/api/v1/posts/web-jazz").json()["visibility"] == "visible"
    # another advertiser cannot edit this profile through the page
    client.cookies.clear()
    web_login("advertiser", "web-adv-2", "adv-other")
    token2 = _token(client, "/advertiser", csrf)
    other = client.post(
        "/advertiser/profiles",
        data={**form, "csrf_token": token2, "profile_id": str(profile_id), "keywords": "hijack"},
        headers=HTML,
    )
    assert other.status_code == 422
    client.cookies.clear()
    web_login("advertiser", "web-adv-3", "adv-web")
    assert ">jazz</textarea>" in client.get(f"/advertiser?profile={profile_id}", headers=HTML).text


def test_transparency_counts_actions_and_refused_demands(
    client: Any,
    auth: Callable[..., dict[str, str]],
    web_login: Callable[..., str],
    csrf: Callable[[str], str],
    db: Any,
) -> None:
    from townsquare.transparency.report import build_report

    post = {
        "id": "web-mis",
        "author": "web-a3",
        "lang": "en",
        "text": "The moon landing never happened, wake up.",
    }
    assert client.post("/api/v1/posts", json=post, headers=auth("ingest")).status_code in (200, 201)
    with db.session() as s:
        before = build_report(s)
    r = client.post(
        "/api/v1/actions",
        headers=auth("moderator"),
        json={
            "subject_type": "post",
            "subject_id": "web-mis",
            "action": "label",
            "rule_id": "misinfo.harmful",
            "explanation": "disputed",
        },
    )
    assert r.status_code == 201, r.text
    web_login("advertiser", "web-adv", "adv-web")
    token = _token(client, "/advertiser", csrf)
    refused = client.post(
        "/advertiser/feedback",
        data={"csrf_token": token, "action": "remove", "target_id": "web-mis"},
        follow_redirects=False,
    )
    assert refused.status_code == 303
    assert client.get("/api/v1/posts/web-mis").json()["visibility"] == "labelled"
    with db.session() as s:
        after = build_report(s)
    assert after.actions.total == before.actions.total + 1
    assert (
        after.actions.by_rule.get("misinfo.harmful", 0)
        == before.actions.by_rule.get("misinfo.harmful", 0) + 1
    )
    assert after.demands.total == before.demands.total + 1
    data = after.to_dict()
    assert data["demands"]["by_demand"]["remove"] >= 1
    page = client.get("/transparency?period=30", headers=HTML).text
    assert f'id="kpi-actions">{after.actions.total}<' in page
    assert f'id="kpi-demands">{after.demands.total}<' in page


def test_unknown_council_decision_is_404(client: Any) -> None:
    r = client.get("/council/decisions/999", headers=HTML)
    assert r.status_code == 404 and "text/html" in r.headers["content-type"]


def test_appeal_is_reviewed_by_another_moderator_in_the_console(
    client: Any,
    auth: Callable[..., dict[str, str]],
    web_login: Callable[..., str],
    csrf: Callable[[str], str],
    api_key: Callable[..., str],
) -> None:
    ingest = auth("ingest")
    post = {
        "id": "web-ap1",
        "author": "web-a4",
        "lang": "en",
        "text": "The council meeting is at 7pm tonight.",
    }
    assert client.post("/api/v1/posts", json=post, headers=ingest).status_code in (200, 201)
    first = {"Authorization": f"Bearer {api_key('moderator', 'web-mod-a')}"}
    action = client.post(
        "/api/v1/actions",
        headers=first,
        json={
            "subject_type": "post",
            "subject_id": "web-ap1",
            "action": "label",
            "rule_id": "misinfo.harmful",
            "explanation": "looked misleading",
        },
    )
    assert action.status_code == 201, action.text
    appeal = client.post(
        "/api/v1/appeals",
        headers=ingest,
        json={
            "action_id": action.json()["id"],
            "appellant_id": "web-a4",
            "text": "It is a plain meeting time.",
        },
    )
    assert appeal.status_code == 201, appeal.text
    case_id = appeal.json()["case_id"]
    web_login("moderator", "web-mod-b")
    token = csrf(client.get("/moderation?queue=appeals", headers=HTML).text)
    assert f"/moderation/cases/{case_id}" in client.get("/moderation?queue=appeals", headers=HTML).text
    client.post(f"/moderation/cases/{case_id}/claim", data={"csrf_token": token})
    page = client.get(f"/moderation/cases/{case_id}", headers=HTML).text
    assert f"/moderation/appeals/{appeal.json()['id']}/decide" in page
    r = client.post(
        f"/moderation/appeals/{appeal.json()['id']}/decide",
        follow_redirects=False,
        data={
            "csrf_token": token,
            "outcome": "overturn",
            "statement": "A meeting time is not misinformation.",
        },
    )
    assert r.status_code == 303 and r.headers["location"] == "/moderation?queue=appeals"
    assert client.get("/api/v1/posts/web-ap1").json()["visibility"] == "visible"
    assert "reversed" in client.get("/posts/web-ap1", headers=HTML).text
