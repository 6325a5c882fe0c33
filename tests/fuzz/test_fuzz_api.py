"""A bounded part of the API fuzzing in every test run, on SQLite and PostgreSQL (issue 13).

Each run fuzzes a different shuffled slice of (identity, operation, valid/invalid input) for at most
`TOWNSQUARE_FUZZ_SECONDS` (default 40 s per database) and fails on any 5xx or any answer that contradicts
`/openapi.json`. The seed is printed so a failing slice can be replayed with `TOWNSQUARE_FUZZ_SEED`.
`make fuzz` runs the large version (≥ 10,000 requests per database).
"""

from __future__ import annotations

import os
import random
from typing import Any

import fuzz_harness
from pydantic import SecretStr

import report_sections
from townsquare.api.app import create_app
from townsquare.settings import Settings


def test_fuzz_slice_has_no_server_error_nor_schema_violation(db: Any, db_url: str) -> None:
    seed = int(os.environ.get("TOWNSQUARE_FUZZ_SEED", random.randrange(1_000_000)))
    budget = float(os.environ.get("TOWNSQUARE_FUZZ_SECONDS", "40"))
    headers = fuzz_harness.seed(db)
    settings = Settings(
        database_url=db_url, dev_mode=True, secret_key=SecretStr("fuzz"), rate_limits_enabled=False
    )
    app = create_app(settings, db)
    report = fuzz_harness.run(app, headers, examples=4, budget_seconds=budget, seed_value=seed, shuffle=True)
    dialect = db.dialect
    report_sections.SECTIONS.append(
        (f"API fuzz slice ({dialect}, seed {seed})", report.summary().splitlines())
    )
    assert report.requests >= 20, report.summary()
    assert not report.findings, f"seed {seed}\n{report.summary()}\n{fuzz_harness.describe(report.findings)}"
