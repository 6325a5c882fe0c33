"""The auditor console through the real app (SQLite and PostgreSQL): read only — every write method on every
/auditor route is refused and changes nothing; the sample is re-drawable from its seed; each public figure's
recount agrees; only auditors (and admins) may open it; the exports are what they say."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from sqlalchemy import func, select

from townsquare.auditor import sample
from townsquare.storage.db import Database
from townsquare.storage.models import AuditRecord

HTML = {"accept": "text/html"}
POSTS = [
    {"id": f"aud-{i}", "author": f"aud-author-{i % 3}", "lang": "en", "text": text}
    for i, text in enumerate(
        [
            "Those people are vermin and should be exterminated from our country.",
            "Buy cheap followers now, click this link, guaranteed crypto returns 1000%!",
            "Lovely afternoon at the market, the strawberries were perfect.",
            "You are a pathetic loser and everyone laughs at you, just disappear.",
        ]
    )
]


def _seed_data(client: Any, auth: Callable[..., dict[str, str]]) -> None:
    ingest = auth("ingest")
    for post in POSTS:
        assert client.post("/api/v1/posts", json=post, headers=ingest).status_code in (200, 201)
    moderator = auth("moderator")
    act = client.post(
        "/api/v1/actions",
        headers=moderator,
        json={
            "subject_type": "post",
            "subject_id": "aud-3",
            "action": "label",
            "rule_id": "harassment.targeted",
            "explanation": "Targeted insult.",
            "reason": "private: repeat pattern",
        },
    )
    assert act.status_code == 201, act.text


def _auditor_routes() -> list[Any]:
    from townsquare.web.routes import auditor

    return [r for r in auditor.router.routes if r.path.startswith("/auditor")]


def test_every_auditor_route_refuses_writes(
    client: Any, auth: Callable[..., dict[str, str]], db: Database
) -> None:
    _seed_data(client, auth)
    auditor = {**auth("auditor"), **HTML}
    routes = _auditor_routes()
    paths = sorted({r.path for r in routes})
    assert len(paths) >= 6
    for route in routes:
        assert set(route.methods) <= {"GET", "HEAD"}, route.path
    with db.session() as s:
        before = s.scalar(select(func.count()).select_from(AuditRecord))
    for path in paths:
        for method in ("POST", "PUT", "PATCH", "DELETE"):
            response = client.request(method, path, headers=auditor)
            assert response.status_code in (403, 405), (method, path, response.status_code)
        assert client.get(path.replace("{", "").replace("}", ""), headers=auditor).status_code in (200, 303)
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(AuditRecord)) == before


def test_only_auditors_and_admins_open_it(client: Any, auth: Callable[..., dict[str, str]]) -> None:
    for role in ("moderator", "council", "ingest"):
        assert client.get("/auditor", headers={**auth(role), **HTML}).status_code == 403
    advertiser = auth("advertiser", advertiser_id="aud-adv")
    assert client.get("/auditor/sources", headers={**advertiser, **HTML}).status_code == 403
    assert client.get("/auditor", headers=HTML, follow_redirects=False).status_code in (302, 303, 401)
    assert client.get("/auditor", headers={**auth("admin"), **HTML}).status_code == 200


def test_sample_is_redrawn_from_its_seed_with_evidence_and_statement(
    client: Any, auth: Callable[..., dict[str, str]], db: Database
) -> None:
    _seed_data(client, auth)
    auditor = {**auth("auditor"), **HTML}
    first = client.get("/auditor/sample?seed=42&n=3", headers=auditor)
    again = client.get("/auditor/sample?seed=42&n=3", headers=auditor)
    assert first.status_code == 200 and "seed 42" in first.text

    def ids(html: str) -> list[str]:
        return [part.split('"')[0] for part in html.split('id="action-')[1:]]

    assert ids(first.text) and ids(first.text) == ids(again.text)
    with db.session() as s:
        files = sample.sample_decisions(s, seed=42, n=3)
    assert [str(f["action"].id) for f in files] == ids(first.text)
    human = client.get("/auditor/sample?seed=1&n=50&kind=human", headers=auditor).text
    assert "private: repeat pattern" in human  # auditors read the private note
    assert "Targeted insult." in human  # and the statement of reasons
    assert client.get("/auditor/sample?seed=-1", headers=auditor).status_code == 422
    assert client.get("/auditor/sample?n=999&seed=1", headers=auditor).status_code == 422
    redirect = client.get("/auditor/sample", headers=auditor, follow_redirects=False)
    assert redirect.status_code == 303 and "seed=" in redirect.headers["location"]
    assert sample.draw([5, 1, 9, 3], seed=7, n=2) == sample.draw([9, 3, 1, 5], seed=7, n=2)


def test_figures_recount_and_exports(client: Any, auth: Callable[..., dict[str, str]]) -> None:
    _seed_data(client, auth)
    auditor = {**auth("auditor"), **HTML}
    page = client.get("/auditor/sources", headers=auditor).text
    assert "differs" not in page and page.count("agrees") >= 6
    status = client.get("/auditor", headers=auditor).text
    assert status.count("badge good") == 3
    lines = client.get("/auditor/exports/statements.jsonl", headers=auditor).text.splitlines()
    assert lines and all(json.loads(line)["decision_ground"] for line in lines)
    assert "private: repeat pattern" not in "\n".join(lines)  # the DSA export withholds private notes
    decisions = client.get("/auditor/exports/decisions.json", headers=auditor)
    assert decisions.status_code == 200 and isinstance(decisions.json(), list)
    csv_head = client.get("/auditor/exports/brand-safety.csv?seed=5", headers=auditor).text.splitlines()[0]
    assert csv_head.startswith("advertiser,seed,impression_id")
