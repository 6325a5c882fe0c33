"""Sections printed at the end of the run (e.g. the classifier's per-phenomenon table), also under xdist:
workers hand their sections to the controller through `workeroutput`."""

from __future__ import annotations

SECTIONS: list[tuple[str, list[str]]] = []


def add(title: str, lines: list[str]) -> None:
    SECTIONS.append((title, lines))
