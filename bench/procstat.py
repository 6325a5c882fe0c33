"""CPU seconds of processes, read from /proc (Linux): what one post costs each process of the pipeline.

Why: on a machine where the API, the workers, PostgreSQL, NATS and the load generator share two cores, posts/s
says more about the machine than about a worker. CPU seconds per post, per process, say what a worker would do
with cores of its own: its throughput is bounded by its busiest process (the worker and its classifier process
run side by side).
"""

from __future__ import annotations

import os
from pathlib import Path

_TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def available() -> bool:
    return Path("/proc/self/stat").exists()


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of one process (0 when it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / _TICK


def children(pid: int) -> list[int]:
    out: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        try:
            out += [int(x) for x in task.read_text().split()]
        except FileNotFoundError:
            continue
    return out


def named(prefix: str) -> list[int]:
    """Processes whose command name starts with `prefix` (e.g. every PostgreSQL backend)."""
    out: list[int] = []
    for comm in Path("/proc").glob("[0-9]*/comm"):
        try:
            if comm.read_text().startswith(prefix):
                out.append(int(comm.parent.name))
        except (FileNotFoundError, ProcessLookupError):
            continue
    return out


class CpuMeter:
    """CPU seconds spent by groups of processes between `__init__` and `per_post`."""

    def __init__(self, groups: dict[str, list[int]]) -> None:
        self.groups = groups
        self.start = {name: self._total(pids) for name, pids in groups.items()}

    @staticmethod
    def _total(pids: list[int]) -> float:
        return sum(cpu_seconds(p) for p in pids)

    def per_post(self, posts: int) -> dict[str, float]:
        """Milliseconds of CPU per post, per group."""
        return {
            name: 1000 * (self._total(pids) - self.start[name]) / max(1, posts)
            for name, pids in self.groups.items()
        }
