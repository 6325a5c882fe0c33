"""Regenerate the initial migration 0001 from the models (pre-release only: nothing has shipped yet).

Later migrations (0002 …) are hand-written and kept. Once a release ships, add new migrations instead.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

VERSIONS = Path(__file__).resolve().parents[1] / "src/townsquare/storage/migrations/versions"


def main() -> None:
    from alembic import command

    from townsquare.storage.migrate import alembic_config

    later = [p for p in VERSIONS.glob("0*.py") if not p.name.startswith("0001")]
    with tempfile.TemporaryDirectory() as tmp:
        for p in later:
            shutil.move(str(p), Path(tmp) / p.name)
        try:
            for old in VERSIONS.glob("0001*.py"):
                old.unlink()
            db = Path(tmp) / "gen.db"
            command.revision(
                alembic_config(f"sqlite:///{db}"),
                message="initial domain schema",
                autogenerate=True,
                rev_id="0001",
            )
        finally:
            for p in later:
                shutil.move(str(Path(tmp) / p.name), VERSIONS / p.name)
    subprocess.run([sys.executable, "-m", "ruff", "format", str(VERSIONS)], check=False, capture_output=True)
    subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--fix", "-q", str(VERSIONS)],
        check=False,
        capture_output=True,
    )


if __name__ == "__main__":
    main()
