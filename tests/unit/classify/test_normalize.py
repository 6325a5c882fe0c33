"""Normalisation against evasion keeps a map back to the original text."""

from __future__ import annotations

import pytest

from townsquare.classify import normalize


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("H4T3", "hate"),
        ("sh!t", "shit"),
        ("r@ts", "rats"),
        ("k i l l them", "kill them"),
        ("f.u.c.k you", "fuck you"),
        ("fuuuuuck", "fuuck"),
        ("m\u200bu\u0455lims", "muslims"),  # zero-width space + Cyrillic dze
        ("\u0440\u0430r\u0430sites", "parasites"),  # Cyrillic er/a
        ("Ｆｕｌｌ ｗｉｄｔｈ", "full width"),
        ("émigrés", "emigres"),
        ("they 🐀", "they emoji_rat"),
        ("a  \t b", "a b"),
    ],
)
def test_evasions_are_undone(raw: str, expected: str) -> None:
    assert normalize(raw).text == expected


@pytest.mark.parametrize("text", ["covid19", "2nd", "10am", "$100", "il y a un chat", "user123"])
def test_ordinary_tokens_survive(text: str) -> None:
    assert normalize(text).text == text.lower()


@pytest.mark.parametrize(
    "raw",
    [
        "I h4te   y\u200bou 🔪 all",
        "Les \u00e9migr\u00e9s sont des r@ts!!!",
        "k i l l",
        "",
        "\u202eabc\u202c",
        "a" * 50,
    ],
)
def test_offsets_point_into_the_original(raw: str) -> None:
    n = normalize(raw)
    assert len(n.offsets) == len(n.text)
    assert all(0 <= o < len(raw) for o in n.offsets)
    assert list(n.offsets) == sorted(n.offsets)


def test_span_maps_back() -> None:
    raw = "You are a p\u0430r4site, really"
    n = normalize(raw)
    start = n.text.index("parasite")
    s, e = n.to_original(start, start + len("parasite"))
    assert raw[s:e] == "p\u0430r4site"
