"""Regenerate the wave-2 migration 0003 from the models.

0001 (initial schema) and 0002 (append-only audit triggers) have shipped with `make run` databases and are frozen.
While wave 2 is in development every schema change lands in one migration, 0003, regenerated here as the
autogenerate diff between the models and a database upgraded to 0002. Once wave 2 ships, freeze 0003 too and
add 0004 by hand.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

VERSIONS = Path(__file__).resolve().parents[1] / "src/townsquare/storage/migrations/versions"
REV_ID = "0003"


def main() -> None:
    from alembic import command

    from townsquare.storage.migrate import alembic_config

    for old in VERSIONS.glob(f"{REV_ID}_*.py"):
        old.unlink()
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'gen.db'}"
        cfg = alembic_config(url)
        command.upgrade(cfg, "0002")
        command.revision(
            cfg,
            message="wave 2 schema",
            autogenerate=True,
            rev_id=REV_ID,
            head="0002",
        )
    subprocess.run([sys.executable, "-m", "ruff", "format", str(VERSIONS)], check=False, capture_output=True)
    subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--fix", "-q", str(VERSIONS)],
        check=False,
        capture_output=True,
    )


if __name__ == "__main__":
    main()
