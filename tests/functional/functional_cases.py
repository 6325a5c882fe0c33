"""Loader of the functional suite's data: ``cases_<lang>.jsonl``, one case a line, in suite order.

Each line is ``{"phenomenon": str, "hateful": bool, "text": str}``. The cases used to be Python (templates
expanded at import); as data they are reviewed line by line and cannot run code. ``cases_<lang>.py`` call
`phenomena` because ``townsquare.classify.evaluate.load_suite`` executes those files by path and reads their
``PHENOMENA`` (phenomenon -> (hateful, texts)); a malformed line fails loudly with its file and line number.
"""

from __future__ import annotations

import json
from pathlib import Path


def phenomena(path: Path) -> dict[str, tuple[bool, list[str]]]:
    out: dict[str, tuple[bool, list[str]]] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        row = json.loads(line)
        name, hateful, text = row.get("phenomenon"), row.get("hateful"), row.get("text")
        if not (isinstance(name, str) and isinstance(hateful, bool) and isinstance(text, str) and text):
            raise ValueError(f"{path.name}:{number}: want phenomenon (str), hateful (bool), text (str)")
        if out.setdefault(name, (hateful, []))[0] != hateful:
            raise ValueError(f"{path.name}:{number}: {name} is hateful in one line and not in another")
        out[name][1].append(text)
    return out
