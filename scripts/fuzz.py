"""`make fuzz`: schemathesis over the whole API, every identity, on SQLite and on PostgreSQL.

Runs passes over every (identity, operation, valid/invalid input) until at least `--requests` requests were sent to
a database or `--seconds` ran out, then prints the counts and every finding (5xx, or an answer contradicting
/openapi.json) with a curl line. Exit status 1 on any finding or when the request target was not reached.
PostgreSQL: `TOWNSQUARE_TEST_PG` (default postgresql+psycopg://postgres@127.0.0.1:5432/test), in a private schema
dropped afterwards.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "fuzz"))
os.environ.setdefault("TOWNSQUARE_DEV_MODE", "true")

import fuzz_harness  # noqa: E402

PG = os.environ.get("TOWNSQUARE_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def _database(kind: str) -> tuple[str, object]:
    """A fresh migrated database URL and a cleanup callable."""
    from townsquare.storage import migrate

    if kind == "sqlite":
        path = Path(tempfile.mkdtemp(prefix="ts-fuzz-")) / "fuzz.db"
        url = f"sqlite:///{path}"
        migrate.upgrade(url)
        return url, lambda: None
    import psycopg

    schema = f"ts_fuzz_{os.getpid()}"
    raw = PG.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(raw, autocommit=True) as conn:
        conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        conn.execute(f'CREATE SCHEMA "{schema}"')
    url = f"{PG}?options=-csearch_path%3D{schema}"
    migrate.upgrade(url)

    def drop() -> None:
        with psycopg.connect(raw, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')

    return url, drop


def fuzz_database(kind: str, target: int, seconds: float, examples: int) -> fuzz_harness.FuzzReport:
    from pydantic import SecretStr

    from townsquare.api.app import create_app
    from townsquare.settings import Settings
    from townsquare.storage.db import Database

    url, cleanup = _database(kind)
    db = Database(url)
    try:
        headers = fuzz_harness.seed(db)
        settings = Settings(
            database_url=url, dev_mode=True, secret_key=SecretStr("fuzz"), rate_limits_enabled=False
        )
        app = create_app(settings, db)
        total = fuzz_harness.FuzzReport()
        passes = 0
        while total.requests < target and total.seconds < seconds:
            part = fuzz_harness.run(
                app,
                headers,
                examples=examples,
                budget_seconds=seconds - total.seconds,
                seed_value=passes * 7919,
                shuffle=passes > 0,
            )
            passes += 1
            total.requests += part.requests
            total.by_identity.update(part.by_identity)
            total.by_status.update(part.by_status)
            total.findings.extend(part.findings)
            total.operations = part.operations
            total.seconds += part.seconds
            print(f"  [{kind}] pass {passes}: {part.requests} requests ({total.requests} so far)", flush=True)
        return total
    finally:
        db.dispose()
        cleanup()  # type: ignore[operator]


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--requests", type=int, default=10_000, help="target requests per database")
    parser.add_argument("--seconds", type=float, default=1800, help="time budget per database")
    parser.add_argument(
        "--examples", type=int, default=8, help="cases per operation, identity and mode, per pass"
    )
    args = parser.parse_args()
    kinds = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    failed = False
    for kind in kinds:
        print(f"fuzzing on {kind}: target {args.requests} requests, budget {args.seconds:.0f} s", flush=True)
        report = fuzz_database(kind, args.requests, args.seconds, args.examples)
        print(f"{kind}: {report.summary()}")
        if report.findings:
            print(fuzz_harness.describe(report.findings, limit=50))
            failed = True
        if report.requests < args.requests:
            print(f"{kind}: only {report.requests} of {args.requests} requests within the budget")
            failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
