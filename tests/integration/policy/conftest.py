"""Policy integration tests import their helpers from `policy_helpers.py` beside this file.

Under `--import-mode=importlib` pytest does not put test directories on sys.path, so this directory is added
here (the helper module's name is unique across the suite).
"""

from __future__ import annotations

import sys
from pathlib import Path

_HERE = str(Path(__file__).resolve().parent)
if _HERE not in sys.path:
    sys.path.append(_HERE)
