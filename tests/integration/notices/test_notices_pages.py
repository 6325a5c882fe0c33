"""Pages in the reader's language: the public post page and /transparency show names, never raw codes or rule
ids (outside the `<code>` references: PUID and rule id), and French pages carry French statements."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from typing import Any

from notices_helpers import add_post

from townsquare.core import clock
from townsquare.core.enums import ActionType, Visibility
from townsquare.moderation import reports
from townsquare.notices.expiry import expire_reports
from townsquare.notices.manual import take_manual_action
from townsquare.policy import enforce
from townsquare.storage.db import Database
from townsquare.storage.models import Action

CODES = {
    *(a.value for a in ActionType if "_" in a.value),
    *(v.value for v in Visibility if "_" in v.value),
    "other_violation_tc",
    "illegal_or_harmful_speech",
    "SOURCE_ARTICLE_16",
    "SOURCE_VOLUNTARY",
    "DECISION_GROUND_INCOMPATIBLE_CONTENT",
    "AUTOMATED_DECISION_FULLY",
    "STATEMENT_CATEGORY_",
    "DECISION_VISIBILITY_",
}
FRENCH_PAGES_NEVER = {
    "open",
    "suspended",
    "automation",
    "overturn",
    "floor",
    "reversed",
    "pending",
    "expired",
}
RULE_ID = re.compile(r"\b[a-z_]+\.[a-z_]+(@\d+)?\b")


def visible_text(page: str) -> str:
    """The text a reader sees in <main>, without `<code>` references, tags, attributes or scripts."""
    main = page.split("<main", 1)[-1].split("</main>", 1)[0]
    main = re.sub(r"<(script|style|code)\b.*?</\1>", " ", main, flags=re.S)
    main = re.sub(r"<[^>]+>", " ", main)
    return html.unescape(main)


def raw_codes(text: str, lang: str) -> list[str]:
    found = [c for c in CODES if c in text]
    found += [m.group(0) for m in RULE_ID.finditer(text)]
    if lang == "fr":
        found += [w for w in FRENCH_PAGES_NEVER if re.search(rf"\b{w}\b", text)]
    return found


def _seed(db: Database) -> None:
    with db.session() as s:
        add_post(
            s, "p1", author="alice", scores={"hate_speech": 0.99}
        )  # interim limit_reach, removal proposed
        add_post(s, "p2", author="bob", lang="fr")
        add_post(s, "p3", author="carol", lang="fr")
        reports.submit_report(
            s, reporter_id="u1", subject_type="post", subject_id="p2", reason="hate", text="x"
        )
        take_manual_action(
            s,
            subject_type="post",
            subject_id="p2",
            action="limit_reach",
            rule_id="hate.derogation",
            actor="mod",
            explanation="Ce message dénigre un groupe protégé.",
        )
        row = take_manual_action(
            s,
            subject_type="post",
            subject_id="p3",
            action="label",
            rule_id="hate.borderline",
            actor="mod",
            explanation="Étiquette.",
        )
        enforce.reverse_action(s, action_id=row.id, actor="mod-b", reason="erreur")
        reports.submit_report(
            s, reporter_id="u2", subject_type="post", subject_id="p1", reason="hate", text="y"
        )
    try:
        clock.advance(15 * 86400)
        with db.session() as s:
            assert expire_reports(s) == 1
    finally:
        clock.reset()


def test_pages_name_every_code_in_both_languages(db: Database, client: Any) -> None:
    _seed(db)
    pages = {}
    for lang in ("en", "fr"):
        for pid in ("p1", "p2", "p3"):
            pages[(f"/posts/{pid}", lang)] = client.get(f"/posts/{pid}?lang={lang}")
        pages[("/transparency", lang)] = client.get(f"/transparency?lang={lang}")
    problems = {}
    for (path, lang), r in pages.items():
        assert r.status_code == 200, (path, r.status_code)
        found = raw_codes(visible_text(r.text), lang)
        if found:
            problems[f"{path} [{lang}]"] = sorted(set(found))
    assert problems == {}


def test_french_statements_are_french(db: Database, client: Any) -> None:
    _seed(db)
    p1 = visible_text(client.get("/posts/p1?lang=fr").text)
    assert "Mesure provisoire pendant qu'une personne examine le contenu ; le retrait a été proposé" in p1
    assert "La diffusion du contenu a été limitée" in p1 and "Nous le retirons" not in p1
    assert "Diffusion limitée pendant qu'une personne examine cette publication" in p1
    en = visible_text(client.get("/posts/p1?lang=en").text)
    assert "Interim measure while a person reviews the content; removal was proposed" in en
    assert "We remove it" not in en
    p2 = visible_text(client.get("/posts/p2?lang=fr").text)
    assert "Ce message dénigre un groupe protégé." in p2 and "signalements d'utilisateurs (art. 16 DSA)" in p2
    page = client.get("/transparency?lang=fr").text
    tr = visible_text(page)
    api = client.get("/api/v1/posts/p1").json()
    assert api["in_force"]["interim"] is True and api["in_force"]["proposed"] == "remove"
    assert "Mesure provisoire" in api["statement_text"]["fr"]["what"]
    assert api["statement"]["decision_visibility"][0] == "DECISION_VISIBILITY_CONTENT_DEMOTED"
    assert "Signalements non examinés à temps" in tr and "Mesures provisoires" in tr
    assert 'id="kpi-interim">1<' in page and 'id="kpi-reports-expired">1<' in page


def test_author_notice_is_in_the_authors_language(
    db: Database, client: Any, auth: Callable[..., Any]
) -> None:
    _seed(db)
    with db.session() as s:
        action = s.query(Action).filter(Action.post_id == "p2").one()
        action_id = action.id
    notice = client.get(f"/api/v1/actions/{action_id}/notice", headers=auth("moderator")).json()
    assert notice["lang"] == "fr" and "nous avons limité la diffusion" in notice["text"]
    assert "Ce message dénigre un groupe protégé." in notice["text"]
