"""Evidence spans of the classifier, highlighted in the original text (escaped; overlapping spans merged)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from markupsafe import Markup, escape


def merge_spans(evidence: Iterable[Mapping[str, Any]], length: int) -> list[tuple[int, int, list[str]]]:
    """Sorted, non-overlapping (start, end, labels) spans clipped to the text; bad spans are dropped."""
    spans: list[tuple[int, int, str]] = []
    for item in evidence:
        try:
            start, end = int(item["start"]), int(item["end"])
        except (KeyError, TypeError, ValueError):
            continue
        start, end = max(0, start), min(length, end)
        if start < end:
            spans.append((start, end, str(item.get("label", ""))))
    spans.sort()
    merged: list[tuple[int, int, list[str]]] = []
    for start, end, label in spans:
        if merged and start <= merged[-1][1]:
            s, e, labels = merged[-1]
            merged[-1] = (s, max(e, end), labels if label in labels else [*labels, label])
        else:
            merged.append((start, end, [label]))
    return merged


def highlight(text: str, evidence: Iterable[Mapping[str, Any]] | None) -> Markup:
    out: list[str] = []
    cursor = 0
    for start, end, labels in merge_spans(evidence or (), len(text)):
        out.append(str(escape(text[cursor:start])))
        names = ", ".join(labels)
        out.append(f'<mark class="evidence" title="{escape(names)}">{escape(text[start:end])}</mark>')
        cursor = end
    out.append(str(escape(text[cursor:])))
    return Markup("".join(out))
