"""Validation of one incoming post, before any storage."""

from __future__ import annotations

import unicodedata

import pytest

from townsquare.posts.ingest import ItemError, parse_item


def test_nfc_and_exact_text() -> None:
    decomposed = "Cafe\u0301  avec   espaces "
    item = parse_item({"id": "p1", "author": "a", "text": decomposed})
    assert item.text == unicodedata.normalize("NFC", decomposed)
    assert item.text.endswith("espaces ")  # stored exactly, only NFC applied


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"author": "a", "text": "x"}, "id: field required"),
        ({"id": "p", "text": "x"}, "author: field required"),
        ({"id": "p", "author": "a", "text": "   "}, "text: must not be empty"),
        ({"id": "p", "author": "a", "text": "x" * 10_001}, "longer than 10000"),
        ({"id": "p", "author": "a", "text": 5}, "text: must be a string"),
        ({"id": "p", "author": "a", "text": "x", "created_at": "yesterday"}, "created_at"),
        ("not an object", "JSON object"),
    ],
)
def test_rejections_name_the_field(raw: object, message: str) -> None:
    with pytest.raises(ItemError, match=message):
        parse_item(raw)


def test_content_hash_ignores_optional_metadata() -> None:
    a = parse_item({"id": "p", "author": "a", "text": "hello"})
    b = parse_item(
        {"id": "p", "author": "a", "text": "hello", "lang": "en", "created_at": "2026-01-01T00:00:00Z"}
    )
    c = parse_item({"id": "p", "author": "a", "text": "hello!"})
    assert a.content_hash == b.content_hash != c.content_hash
