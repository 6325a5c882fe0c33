"""French functional cases, written for the test suite only (never used for training). See cases_en.py.

The cases are data: ``cases_fr.jsonl`` (one ``{"phenomenon", "hateful", "text"}`` a line).
"""

from __future__ import annotations

import runpy
from pathlib import Path

_HERE = Path(__file__).resolve().parent
# by path, not import: load_suite executes this file outside pytest, where tests/functional is not on sys.path
PHENOMENA = runpy.run_path(str(_HERE / "functional_cases.py"))["phenomena"](_HERE / "cases_fr.jsonl")
