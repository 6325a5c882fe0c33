"""Past capacity on loopback: graceful 429/503, and no accepted record lost. Never a test; prints figures.

Starts the served app (uvicorn on 127.0.0.1, a fresh SQLite database in a temp dir, a small
`TOWNSQUARE_MAX_CONCURRENT_REQUESTS` so that overload is shed with 503 + Retry-After instead of queueing without
end, a small report rate limit so that 429 shows) and drives
it with asyncio + httpx in two phases, each bounded in requests and seconds:

1. baseline: a few concurrent clients (well under capacity);
2. overload: many concurrent clients posting posts and filing reports as fast as they can.

Then it counts, per phase, answers by status, medians and throughput (overload vs baseline ratios), and checks
the invariant that matters: every post answered 201 (accepted) is in the database, and nothing else answered 5xx
except a 503 with Retry-After. Run: `.venv/bin/python bench/load.py [--requests 1500] [--seconds 40]`.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import httpx

TEXTS = [
    "Bonjour à tous, belle journée au marché ce matin.",
    "The council meeting is tonight at seven, everyone is welcome.",
    "Quel match hier soir, l'équipe a enfin gagné !",
    "Does anyone know a good bakery near the station?",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def seed(url: str) -> str:
    """Migrate and create an ingest key; returns the raw token."""
    from townsquare.access.keys import create_key
    from townsquare.storage import migrate
    from townsquare.storage.db import Database

    migrate.upgrade(url)
    db = Database(url)
    with db.session() as s:
        _, token = create_key(s, role="ingest", name="load")
    db.dispose()
    return token


@dataclass
class Phase:
    name: str
    statuses: Counter[int] = field(default_factory=Counter)
    latencies: list[float] = field(default_factory=list)
    accepted: set[str] = field(default_factory=set)
    retry_after_missing: int = 0
    transport_errors: int = 0
    seconds: float = 0.0

    @property
    def requests(self) -> int:
        return sum(self.statuses.values()) + self.transport_errors

    def line(self) -> str:
        med = statistics.median(self.latencies) * 1000 if self.latencies else 0.0
        rate = self.requests / self.seconds if self.seconds else 0.0
        codes = ", ".join(f"{k}: {v}" for k, v in sorted(self.statuses.items()))
        return (
            f"{self.name:9s} {self.requests:5d} requests in {self.seconds:5.1f} s ({rate:6.1f}/s), "
            f"median {med:7.1f} ms; {codes}; transport errors {self.transport_errors}"
        )


async def drive(base: str, token: str, phase: Phase, clients: int, total: int, seconds: float) -> None:
    counter = itertools.count()
    deadline = time.monotonic() + seconds
    headers = {"Authorization": f"Bearer {token}"}
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)

    async def worker(client: httpx.AsyncClient) -> None:
        while time.monotonic() < deadline:
            n = next(counter)
            if n >= total:
                return
            if n % 5 == 4:
                path, body = (
                    "/api/v1/reports",
                    {"subject_id": "seed-post", "reason": "spam", "reporter_id": f"r{n}"},
                )
            else:
                pid = f"{phase.name}-{n}"
                path, body = (
                    "/api/v1/posts",
                    {"id": pid, "author": f"a{n % 97}", "text": TEXTS[n % len(TEXTS)]},
                )
            started = time.monotonic()
            try:
                r = await client.post(path, json=body, headers=headers)
            except httpx.HTTPError:
                phase.transport_errors += 1
                continue
            phase.latencies.append(time.monotonic() - started)
            phase.statuses[r.status_code] += 1
            if r.status_code in (429, 503) and "retry-after" not in r.headers:
                phase.retry_after_missing += 1
            if path == "/api/v1/posts" and r.status_code == 201:
                phase.accepted.add(body["id"])

    began = time.monotonic()
    async with httpx.AsyncClient(base_url=base, timeout=60, limits=limits) as client:
        await asyncio.gather(*(worker(client) for _ in range(clients)))
    phase.seconds = time.monotonic() - began


def stored_ids(url: str) -> set[str]:
    from sqlalchemy import select

    from townsquare.storage.db import Database
    from townsquare.storage.models import Post

    db = Database(url)
    with db.read_session() as s:
        ids = set(s.scalars(select(Post.id)))
    db.dispose()
    return ids


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--requests", type=int, default=1500, help="overload phase: at most this many requests"
    )
    parser.add_argument("--seconds", type=float, default=40, help="overload phase: at most this long")
    parser.add_argument("--clients", type=int, default=96, help="overload phase: concurrent clients")
    parser.add_argument("--max-in-flight", type=int, default=16, help="TOWNSQUARE_MAX_CONCURRENT_REQUESTS")
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="ts-load-"))
    url = f"sqlite:///{tmp / 'load.db'}"
    token = seed(url)
    port = free_port()
    env = {
        **os.environ,
        "TOWNSQUARE_DATABASE_URL": url,
        "TOWNSQUARE_DEV_MODE": "true",
        "TOWNSQUARE_RATE_LIMIT_REPORTS": "40/minute",
        "TOWNSQUARE_MAX_CONCURRENT_REQUESTS": str(args.max_in_flight),
        "TOWNSQUARE_REPORT_RATE_LIMIT": "1000",
    }
    cmd = [
        sys.executable, "-m", "uvicorn", "townsquare.api.asgi:app", "--host", "127.0.0.1", "--port", str(port),
        "--log-level", "warning", "--no-access-log",
    ]  # fmt: skip
    server = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):  # the model loads first: bounded wait, not a timing assertion
            try:
                if httpx.get(f"{base}/readyz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        else:
            print("server did not become ready")
            return 1
        r = httpx.post(
            f"{base}/api/v1/posts",
            json={"id": "seed-post", "author": "seed", "text": "a post to report"},
            headers={"Authorization": f"Bearer {token}"},
            timeout=60,
        )
        assert r.status_code in (200, 201), r.text
        baseline = Phase("baseline")
        asyncio.run(
            drive(base, token, baseline, clients=2, total=min(200, args.requests), seconds=args.seconds / 2)
        )
        overload = Phase("overload")
        asyncio.run(
            drive(base, token, overload, clients=args.clients, total=args.requests, seconds=args.seconds)
        )
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
    stored = stored_ids(url)
    shutil.rmtree(tmp, ignore_errors=True)

    print(
        f"load on 127.0.0.1 (uvicorn, TOWNSQUARE_MAX_CONCURRENT_REQUESTS={args.max_in_flight}, "
        "reports 40/minute per key, SQLite, classifier in the request)"
    )
    for phase in (baseline, overload):
        print("  " + phase.line())
    b_med = statistics.median(baseline.latencies) if baseline.latencies else 0.0
    o_med = statistics.median(overload.latencies) if overload.latencies else 0.0
    b_ok = sum(n for s, n in baseline.statuses.items() if s < 400) / max(baseline.seconds, 1e-9)
    o_ok = sum(n for s, n in overload.statuses.items() if s < 400) / max(overload.seconds, 1e-9)
    print(
        f"  overload/baseline: median latency {o_med / max(b_med, 1e-9):.1f}x, successful throughput {o_ok / max(b_ok, 1e-9):.2f}x"
    )
    accepted = baseline.accepted | overload.accepted
    lost = accepted - stored
    bad_5xx = sum(n for p in (baseline, overload) for s, n in p.statuses.items() if s >= 500 and s != 503)
    shed = sum(p.statuses[429] + p.statuses[503] for p in (baseline, overload))
    no_retry = baseline.retry_after_missing + overload.retry_after_missing
    print(f"  posts accepted (201): {len(accepted)}; stored: {len(stored & accepted)}; lost: {len(lost)}")
    print(f"  shed gracefully (429/503): {shed}, without Retry-After: {no_retry}; other 5xx: {bad_5xx}")
    ok = not lost and bad_5xx == 0 and no_retry == 0
    print("  verdict: " + ("graceful, nothing accepted was lost" if ok else "NOT graceful"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
