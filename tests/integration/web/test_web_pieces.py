"""Pure pieces of the web layer: strings in both languages, the signed cookie, evidence highlighting, SVG charts,
transparency figures' shapes. No database; kept here because tests/unit belongs to the domain areas."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from townsquare.transparency.report import bucket_start, category_name
from townsquare.web import charts
from townsquare.web.highlight import highlight, merge_spans
from townsquare.web.i18n import STRINGS, negotiate, pick, translate
from townsquare.web.rendering import TEMPLATES_DIR
from townsquare.web.session import WebSession, decode_anon, encode_anon

KEY_USE = re.compile(r"""\bt\(\s*'([a-z_]+\.[a-z0-9_]*[a-z0-9])'""")


def test_every_string_exists_in_both_languages() -> None:
    assert set(STRINGS["en"]) == set(STRINGS["fr"])
    for lang in ("en", "fr"):
        assert all(v.strip() for v in STRINGS[lang].values())


def test_every_key_used_by_a_template_exists() -> None:
    used = set()
    for path in Path(TEMPLATES_DIR).rglob("*.html"):
        used |= set(KEY_USE.findall(path.read_text(encoding="utf-8")))
    assert len(used) > 80
    missing = sorted(k for k in used if k not in STRINGS["en"])
    assert not missing, missing


def test_language_negotiation_and_pick() -> None:
    assert negotiate("fr", "en", "en") == "fr"
    assert negotiate("xx", "fr", "en") == "fr"
    assert negotiate(None, None, "de-DE,fr;q=0.8") == "fr"
    assert negotiate(None, None, None) == "en"
    assert translate("fr", "login.ok", name="x") == "Connecté·e en tant que x."
    assert translate("fr", "no.such.key") == "no.such.key"
    assert pick({"en": "a", "fr": "b"}, "fr") == "b"
    assert pick({"en": "a"}, "fr") == "a"
    assert pick(None, "fr") is None


def test_anonymous_cookie_carries_only_a_csrf_token_and_a_flash() -> None:
    """Sessions are server-side (issue 13): nothing signed is handed out, the anonymous cookie is plain data."""
    value = encode_anon({"csrf": "x" * 30, "flash": ["ok", "hello"]})
    assert decode_anon(value) == {"csrf": "x" * 30, "flash": ["ok", "hello"]}
    assert decode_anon(encode_anon({"kid": 1, "role": "admin", "csrf": "short"})) == {}
    assert decode_anon("garbage!") == {}
    assert decode_anon(encode_anon({"flash": ["ok", "y" * 5000]}))["flash"][1] == "y" * 500


def test_sign_in_renews_the_csrf_token() -> None:
    sess = WebSession()
    before = sess.csrf_token()
    sess.sign_in(7)
    assert sess.key_id == 7 and sess.csrf_token() != before
    sess.sign_out()
    assert sess.key_id is None and sess.cleared


def test_highlight_escapes_and_merges_overlaps() -> None:
    text = "<b>you</b> vermin and parasites"
    spans = [
        {"label": "hate", "start": 11, "end": 17},
        {"label": "hate", "start": 14, "end": 17},
        {"label": "insult", "start": 22, "end": 31},
        {"label": "x", "start": 50, "end": 60},
        {"label": "bad"},
    ]
    assert merge_spans(spans, len(text)) == [(11, 17, ["hate"]), (22, 31, ["insult"])]
    html = str(highlight(text, spans))
    assert html.startswith("&lt;b&gt;you&lt;/b&gt; ")
    assert '<mark class="evidence" title="hate">vermin</mark>' in html
    assert html.count("<mark") == 2


@pytest.mark.parametrize(
    "svg",
    [
        charts.bar_chart([("a<b", 3), ("c", 1)], title="T & t"),
        charts.bar_chart([], title="empty"),
        charts.stacked_columns(
            [
                {"start": "2026-01-05", "counts": {"x": 2, "y": 1}},
                {"start": "2026-01-12", "counts": {"y": 4}},
            ],
            title="time",
        ),
        charts.viewpoint_strip(
            [("A", -1.2, "uphold"), ("B", 0.8, "overturn"), ("C", None, "abstain")], title="axis"
        ),
        charts.rate_intervals([("rate", 0.9, 0.8, 0.95), ("none", None, None, None)], title="rates"),
    ],
)
def test_charts_are_well_formed_accessible_svg(svg: str) -> None:
    root = ET.fromstring(str(svg))
    assert root.tag.endswith("svg") and root.get("role") == "img" and root.get("aria-label")
    assert root.find("{http://www.w3.org/2000/svg}title") is not None
    assert "style=" not in str(svg)  # the pages' CSP forbids inline styles


def test_report_helpers() -> None:
    from datetime import UTC, datetime

    assert category_name({"category": "STATEMENT_CATEGORY_VIOLENCE"}, "x.y@1") == "violence"
    assert category_name({}, "hate.derogation") == "hate"
    monday = bucket_start(datetime(2026, 11, 19, 15, tzinfo=UTC), 7)
    assert monday == datetime(2026, 11, 16, tzinfo=UTC)
    assert bucket_start(datetime(2026, 11, 19, 15, tzinfo=UTC), 1) == datetime(2026, 11, 19, tzinfo=UTC)
