"""Fail CI when a PostgreSQL, NATS, Redis or browser test was skipped (they must run where the services exist)."""

from __future__ import annotations

import sys
import xml.etree.ElementTree as ET


def main(path: str) -> int:
    tree = ET.parse(path)
    bad: list[str] = []
    total = skipped = 0
    for case in tree.iter("testcase"):
        total += 1
        skip = case.find("skipped")
        if skip is None:
            continue
        skipped += 1
        name = f"{case.get('classname')}::{case.get('name')}"
        if (
            "postgres" in name
            or ".e2e." in name
            or name.startswith("tests.e2e")
            or "e2e" in (case.get("classname") or "")
            or ".stream." in name
            or "redis" in name.lower()
        ):
            bad.append(f"{name}: {skip.get('message', '')}")
    print(f"check_skips: {total} tests, {skipped} skipped, {len(bad)} forbidden skips")
    for line in bad:
        print(f"  FORBIDDEN SKIP {line}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "var/junit.xml"))
