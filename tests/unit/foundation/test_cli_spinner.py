"""The dispatch spinner: visible on a terminal until the first output, never in a pipe."""

from __future__ import annotations

import os
import pty
import subprocess
import sys


def _env(tmp_path: object) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "TOWNSQUARE_NO_SPINNER"}
    env["TOWNSQUARE_DATABASE_URL"] = f"sqlite:///{tmp_path}/spin.db"
    env["TOWNSQUARE_DEV_MODE"] = "true"
    return env


def _run_on_terminal(argv: list[str], env: dict[str, str]) -> bytes:
    master, slave = pty.openpty()
    proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=slave, stderr=slave, env=env)
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 4096)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    proc.wait(timeout=60)
    os.close(master)
    return b"".join(chunks)


CMD = [sys.executable, "-m", "townsquare.cli.main", "config", "show"]


def test_terminal_sees_the_spinner_erased_before_the_answer(tmp_path: object) -> None:
    out = _run_on_terminal(CMD, _env(tmp_path))
    erase = out.find(b"\r\x1b[K")
    assert b"townsquare config" in out[: max(erase, 0)], out[:200]
    answer = out.find(b"DATABASE_URL")
    assert 0 <= erase < answer, out[:300]


def test_pipes_never_see_it(tmp_path: object) -> None:
    done = subprocess.run(CMD, capture_output=True, env=_env(tmp_path), timeout=60, check=True)
    assert b"\r" not in done.stdout + done.stderr
    assert b"DATABASE_URL" in done.stdout


def test_it_can_be_turned_off(tmp_path: object) -> None:
    env = {**_env(tmp_path), "TOWNSQUARE_NO_SPINNER": "1"}
    out = _run_on_terminal(CMD, env)
    assert b"\x1b[K" not in out
