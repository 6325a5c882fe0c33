"""CLI start-up: wall time from exec to the first byte of output, and to exit, for the commands people type most.

Goals (issue 16): `townsquare --help` under 0.5 s, any command under 1 s to its first output. Baselines measured in
the same run: a bare interpreter (`python -c pass`), `import typer` (the floor for any Typer CLI), and the eager
import of every command module (what each invocation paid before sub-commands loaded lazily). Prints medians of
`--runs` and the load average, since other work on a 2-core machine moves these figures.
Run: `.venv/bin/python bench/cli.py [--runs 7]`.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import pty
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BIN = Path(sys.executable).parent / "townsquare"
EAGER = (
    "import importlib, pathlib, townsquare.cli as c\n"
    "for p in sorted(pathlib.Path(c.__file__).parent.glob('*_cmd.py')):\n"
    "    importlib.import_module('townsquare.cli.' + p.stem)\n"
)


def first_output(argv: list[str], env: dict[str, str], stdin: bytes | None = None) -> tuple[float, float]:
    """Seconds to the first byte on stdout or stderr, and to exit."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        argv,
        stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env=env,
    )
    assert proc.stdout is not None
    if stdin is not None and proc.stdin is not None:
        proc.stdin.write(stdin)
        proc.stdin.close()
    proc.stdout.read(1)
    first = time.perf_counter() - start
    proc.stdout.read()
    proc.wait()
    return first, time.perf_counter() - start


def first_output_tty(argv: list[str], env: dict[str, str], stdin: bytes | None = None) -> float:
    """Seconds to the first byte a person sees at a terminal (stdout and stderr on a pseudo-terminal)."""
    master, slave = pty.openpty()
    start = time.perf_counter()
    proc = subprocess.Popen(
        argv,
        stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
        stdout=slave,
        stderr=slave,
        env=env,
    )
    os.close(slave)
    if stdin is not None and proc.stdin is not None:
        proc.stdin.write(stdin)
        proc.stdin.close()
    with contextlib.suppress(OSError):  # exited without a byte (`python -c pass`): its exit is its first sign
        os.read(master, 1)
    first = time.perf_counter() - start
    while True:
        try:
            if not os.read(master, 4096):
                break
        except OSError:  # the child closed the terminal
            break
    proc.wait()
    os.close(master)
    return first


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        env = {
            **os.environ,
            "TOWNSQUARE_DATABASE_URL": f"sqlite:///{tmp}/bench.db",
            "TOWNSQUARE_DEV_MODE": "true",
        }
        subprocess.run([str(BIN), "db", "upgrade"], env=env, check=True, capture_output=True)
        cases: list[tuple[str, list[str], bytes | None]] = [
            ("baseline: python -c pass", [sys.executable, "-c", "pass"], None),
            ("baseline: import typer", [sys.executable, "-c", "import typer"], None),
            (
                "baseline: eager import of every command module",
                [sys.executable, "-c", EAGER + "print()"],
                None,
            ),
            ("townsquare --help", [str(BIN), "--help"], None),
            ("townsquare council --help", [str(BIN), "council", "--help"], None),
            ("townsquare config show", [str(BIN), "config", "show"], None),
            ("townsquare council cases", [str(BIN), "council", "cases"], None),
            ("townsquare audit verify", [str(BIN), "audit", "verify"], None),
            (
                "townsquare classify - (one post)",
                [str(BIN), "classify", "-"],
                b'{"id": "1", "text": "hello"}\n',
            ),
        ]
        rows = []
        for label, argv, stdin in cases:
            ttys, firsts, totals = [], [], []
            for _ in range(args.runs):
                ttys.append(first_output_tty(argv, env, stdin))
                f, t = first_output(argv, env, stdin)
                firsts.append(f)
                totals.append(t)
            rows.append(
                (label, statistics.median(ttys), statistics.median(firsts), statistics.median(totals))
            )
    eager = rows[2][2]
    print(f"load average {os.getloadavg()[0]:.2f}; median of {args.runs} runs")
    print("terminal = first byte on a terminal (the spinner, for a command that works before it can answer);")
    print("result = first byte of the answer through a pipe; vs eager = result / eager-import baseline")
    print(f"{'command':50} {'terminal':>9} {'result':>9} {'exit':>8} {'vs eager':>9}")
    for label, tty, first, total in rows:
        print(
            f"{label:50} {tty * 1000:6.0f} ms {first * 1000:6.0f} ms {total * 1000:5.0f} ms {first / eager:8.2f}x"
        )


if __name__ == "__main__":
    main()
