"""English functional cases, written for the test suite only (never used for training).

The cases are data: ``cases_en.jsonl`` (one ``{"phenomenon", "hateful", "text"}`` a line, read by
``functional_cases.py``). They are built from test-only phrasings and test-only fillers; the suite must not share
sentences or templates with src/townsquare/classify/training (a unit test checks sentences).
"""

from __future__ import annotations

import runpy
from pathlib import Path

_HERE = Path(__file__).resolve().parent
# by path, not import: load_suite executes this file outside pytest, where tests/functional is not on sys.path
PHENOMENA = runpy.run_path(str(_HERE / "functional_cases.py"))["phenomena"](_HERE / "cases_en.jsonl")
