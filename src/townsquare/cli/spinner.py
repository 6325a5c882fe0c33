"""A spinner on the terminal from the moment a command is dispatched until it writes its first byte.

A database command pays ~0.3 s for SQLAlchemy and ~0.2 s for the models before it can say anything, and
`classify` loads a model: a person at a terminal should see within a tenth of a second that the command is
working, not a frozen prompt. The spinner draws on stderr only when stderr is a terminal (scripts and pipes never
see it), and disappears — line erased — the instant the command writes to stdout or stderr, or exits.
Set `TOWNSQUARE_NO_SPINNER=1` to turn it off.
"""

from __future__ import annotations

import atexit
import os
import sys
import threading
from typing import Any, TextIO

FRAMES = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏"


class _Spinner:
    def __init__(self, label: str, tty: TextIO) -> None:
        self._label = label
        self._tty = tty
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._drawn = False
        self._thread = threading.Thread(target=self._run, name="townsquare-spinner", daemon=True)

    def start(self) -> None:
        self._draw(0)
        self._thread.start()

    def _draw(self, i: int) -> None:
        with self._lock:
            if self._stop.is_set():
                return
            self._tty.write(f"\r{FRAMES[i % len(FRAMES)]} {self._label}…")
            self._tty.flush()
            self._drawn = True

    def _run(self) -> None:
        i = 1
        while not self._stop.wait(0.1):
            self._draw(i)
            i += 1

    def stop(self) -> None:
        with self._lock:
            if self._stop.is_set():
                return
            self._stop.set()
            if self._drawn:
                self._tty.write("\r\033[K")
                self._tty.flush()


class _StopOnWrite:
    """Stands for sys.stdout / sys.stderr: the first write clears the spinner, then writes go straight through."""

    def __init__(self, stream: TextIO, spinner: _Spinner) -> None:
        self._stream = stream
        self._spinner = spinner

    def write(self, data: str) -> int:
        self._spinner.stop()
        return self._stream.write(data)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def start(label: str) -> None:
    """Show the spinner for `label` on an interactive terminal; a no-op anywhere else."""
    err = sys.stderr
    if os.environ.get("TOWNSQUARE_NO_SPINNER") or not hasattr(err, "isatty") or not err.isatty():
        return
    spinner = _Spinner(label, err)
    sys.stdout = _StopOnWrite(sys.stdout, spinner)
    sys.stderr = _StopOnWrite(err, spinner)
    atexit.register(spinner.stop)
    spinner.start()
