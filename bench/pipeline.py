"""End-to-end pipeline speed: HTTP ingest to stored assessment, embedded vs distributed (1 and 2 workers).

Never a test; prints figures, medians and ratios measured in the same run. Needs PostgreSQL (a private schema
`bench_pipeline_<pid>`, dropped at the end) and NATS JetStream (a private stream prefix per phase).

1. Embedded: `townsquare serve` without NATS; batches of `--batch` posts through `POST /api/v1/posts`, which
   classifies, enforces and stores in the request. posts/s = posts / time to the last response.
2. Distributed, 1 worker then 2 workers: the same server with `TOWNSQUARE_NATS_URL`, `townsquare worker`
   processes; the posts are sent as fast as the API takes them (202 after the JetStream acks, 503 + Retry-After
   honoured), and the clock stops when every post has its `processed_posts` row (assessment stored, effects
   committed). Prints ingest-only posts/s and end-to-end posts/s; the 2/1 ratio is the scaling.
3. Worker drain, 1 then 2 workers: the posts are queued first (no worker running), then the workers start; the
   rate runs from the first committed batch to the last — worker throughput without the API's ingest speed. Use
   many more posts than the worker batch (`TOWNSQUARE_WORKER_BATCH_SIZE`, the shipped default of 500 unless set;
   the default `--posts 4000` spans eight batches) for a fair figure. Until 2026-12-02 this bench ran workers at
   100 posts a batch, where a worker spends ~1.9x the CPU per post (per-batch costs), so older figures are lower.
   With one worker, the CPU each process spends per post (`procstat`: the worker, its classifier process,
   PostgreSQL) and what that bounds a worker with two cores of its own to — the figure this shared machine
   cannot show end to end.
4. Lag under a fixed offered load (2 workers): `--offered` posts/s for `--lag-seconds`; the backlog (accepted,
   not yet processed) is sampled every 0.25 s: median, p90 and max, and the time to drain after the load stops.

The machine's load average is printed first: on a shared machine every figure includes others' noise.
Workers run with the settings' default, a classifier child process each (`TOWNSQUARE_WORKER_CLASSIFY_PROCESS`):
on a 2-core machine two workers are then four busy processes; set it to `false` to measure one process per worker.
Run: `.venv/bin/python bench/pipeline.py [--posts 4000] [--batch 250] [--offered 200] [--lag-seconds 10]`.
The corpus is held-out public tweets mixed like a firehose: `--risky-share` (default 10%) of them rated above `none`
by the classifier, the rest rated `none` (the held-out sets alone are ~80% abusive; every automated action costs a
statement, an audit record and state changes). The share of posts automation acted on is printed.
"""

from __future__ import annotations

import argparse
import os
import signal
import statistics
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import psycopg

from townsquare.settings import Settings

sys.path.insert(0, str(Path(__file__).resolve().parent))
import procstat  # noqa: E402  (CPU seconds per process, from /proc)
from classify import real_posts  # noqa: E402  (the classifier bench's held-out tweets)
from loadgen import free_port  # noqa: E402

PG_BASE = os.environ.get("TOWNSQUARE_BENCH_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
NATS = os.environ.get("TOWNSQUARE_BENCH_NATS", "nats://127.0.0.1:4222")
BIN = Path(sys.executable).parent
GUARD = 900.0  # a hang guard


def raw(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://")


class Schema:
    def __init__(self) -> None:
        self.name = f"bench_pipeline_{os.getpid()}"
        self.url = f"{PG_BASE}?options=-csearch_path%3D{self.name}"

    def create(self) -> None:
        from townsquare.storage import migrate

        with psycopg.connect(raw(PG_BASE), autocommit=True) as c:
            c.execute(f'DROP SCHEMA IF EXISTS "{self.name}" CASCADE')
            c.execute(f'CREATE SCHEMA "{self.name}"')
        migrate.upgrade(self.url)

    def reset(self) -> str:
        """Empty every table (keep the schema); returns a fresh ingest token."""
        from townsquare.access.keys import create_key
        from townsquare.storage.db import Database
        from townsquare.storage.models import Base

        tables = ", ".join(f'"{self.name}"."{t.name}"' for t in Base.metadata.sorted_tables)
        with psycopg.connect(raw(PG_BASE), autocommit=True) as c:
            c.execute(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")
        db = Database(self.url)
        with db.session() as s:
            _, token = create_key(s, role="ingest", name="bench")
        db.dispose()
        return token

    def processed(self) -> int:
        with psycopg.connect(raw(PG_BASE), autocommit=True) as c:
            row = c.execute(f'SELECT count(*) FROM "{self.name}".processed_posts').fetchone()
            return int(row[0]) if row else 0

    def action_share(self) -> float:
        """Share of processed posts on which automation acted (enforcement dominates the cost per post)."""
        with psycopg.connect(raw(PG_BASE), autocommit=True) as c:
            q = (
                f'SELECT (SELECT count(DISTINCT post_id) FROM "{self.name}".actions WHERE actor = %s), '
                f'(SELECT count(*) FROM "{self.name}".processed_posts)'
            )
            row = c.execute(q, ("automation",)).fetchone()
        return float(row[0]) / max(1, int(row[1])) if row else 0.0

    def drop(self) -> None:
        with psycopg.connect(raw(PG_BASE), autocommit=True) as c:
            c.execute(f'DROP SCHEMA IF EXISTS "{self.name}" CASCADE')


def env_for(schema: Schema, prefix: str | None) -> dict[str, str]:
    env = {
        **os.environ,
        "TOWNSQUARE_DATABASE_URL": schema.url,
        "TOWNSQUARE_DEV_MODE": "true",
        "TOWNSQUARE_SECRET_KEY": "bench-secret-not-default",
        # the shipped default (settings.worker_batch_size) unless set: the figure is what a deployed worker does
        "TOWNSQUARE_WORKER_BATCH_SIZE": os.environ.get(
            "TOWNSQUARE_WORKER_BATCH_SIZE", str(Settings.model_fields["worker_batch_size"].default)
        ),
    }
    env.pop("TOWNSQUARE_NATS_URL", None)
    if prefix:
        env["TOWNSQUARE_NATS_URL"] = NATS
        env["TOWNSQUARE_STREAM_PREFIX"] = prefix
    return env


def start_server(env: dict[str, str]) -> tuple[subprocess.Popen[bytes], int]:
    port = free_port()
    cmd = [str(BIN / "python"), "-m", "uvicorn", "townsquare.api.asgi:app", "--port", str(port)]
    proc = subprocess.Popen(
        [*cmd, "--log-level", "warning", "--no-access-log"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    while True:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return proc, port
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline or proc.poll() is not None:
            raise RuntimeError("the API server did not start")
        time.sleep(0.2)


def stop(procs: list[subprocess.Popen[bytes]]) -> None:
    for p in procs:
        p.send_signal(signal.SIGTERM)
    for p in procs:
        try:
            p.wait(timeout=20)
        except subprocess.TimeoutExpired:
            p.kill()


def make_posts(texts: list[str], tag: str) -> list[dict[str, Any]]:
    return [{"id": f"{tag}-{i}", "author": f"{tag}-a{i % 500}", "text": t} for i, t in enumerate(texts)]


def send(client: httpx.Client, port: int, token: str, batch: list[dict[str, Any]]) -> None:
    """One batch, retried on 503 after its Retry-After (back-pressure), never dropped."""
    while True:
        r = client.post(
            f"http://127.0.0.1:{port}/api/v1/posts", json=batch, headers={"Authorization": f"Bearer {token}"}
        )
        if r.status_code in (200, 202):
            return
        if r.status_code == 503:
            time.sleep(float(r.headers.get("retry-after", "1")))
            continue
        raise RuntimeError(f"ingest answered {r.status_code}: {r.text[:200]}")


def wait_processed(schema: Schema, n: int) -> float:
    deadline = time.monotonic() + GUARD
    while schema.processed() < n:
        if time.monotonic() > deadline:
            raise RuntimeError(f"only {schema.processed()} of {n} processed")
        time.sleep(0.05)
    return time.perf_counter()


@dataclass
class Stack:
    """One mode's processes: the API server (publishing to NATS under `prefix`, or embedded when None) and the
    workers started so far, with the ingest token of the freshly emptied schema."""

    token: str
    env: dict[str, str]
    port: int
    prefix: str | None
    workers: list[subprocess.Popen[bytes]] = field(default_factory=list)

    def start_workers(self, n: int) -> None:
        self.workers += [
            subprocess.Popen(
                [str(BIN / "townsquare"), "worker", "--quiet"],
                env=self.env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            for _ in range(n)
        ]


@contextmanager
def stack(schema: Schema, *, nats: bool, workers: int = 0) -> Iterator[Stack]:
    """Empty the schema, start the API server (and `workers` workers); on exit stop them all and, with NATS,
    delete this mode's private streams."""
    token = schema.reset()
    prefix = f"bench_{os.getpid()}_{uuid.uuid4().hex[:6]}" if nats else None
    env = env_for(schema, prefix)
    server, port = start_server(env)
    st = Stack(token, env, port, prefix)
    try:
        st.start_workers(workers)
        yield st
    finally:
        stop([*st.workers, server])
        if prefix:
            _delete_stream(prefix)


def send_timed(c: httpx.Client, st: Stack, posts: list[dict[str, Any]], batch: int) -> tuple[float, float]:
    """The timing loop every mode shares: `posts` in batches of `batch`; (start, end) on the perf_counter clock."""
    t0 = time.perf_counter()
    for i in range(0, len(posts), batch):
        send(c, st.port, st.token, posts[i : i + batch])
    return t0, time.perf_counter()


def warm_up(c: httpx.Client, st: Stack, schema: Schema, texts: list[str], *, wait: bool) -> None:
    """100 posts before the clock starts (model loaded; with `wait`, workers up and past their first batch)."""
    send(c, st.port, st.token, make_posts(texts[:100], "warm"))
    if wait:
        wait_processed(schema, 100)


def embedded(schema: Schema, texts: list[str], batch: int) -> dict[str, float]:
    with stack(schema, nats=False) as st, httpx.Client(timeout=900) as c:
        warm_up(c, st, schema, texts, wait=False)
        posts = make_posts(texts, "emb")
        t0, t1 = send_timed(c, st, posts, batch)
        assert schema.processed() == len(posts) + 100
        return {"e2e": len(posts) / (t1 - t0), "acted": schema.action_share()}


def distributed(schema: Schema, texts: list[str], batch: int, workers: int) -> dict[str, float]:
    with stack(schema, nats=True, workers=workers) as st:
        with httpx.Client(timeout=900) as c:
            warm_up(c, st, schema, texts, wait=True)  # workers up, model loaded
            posts = make_posts(texts, f"d{workers}")
            t0, t_ingested = send_timed(c, st, posts, batch)
        t_done = wait_processed(schema, len(posts) + 100)
        return {
            "ingest": len(posts) / (t_ingested - t0),
            "e2e": len(posts) / (t_done - t0),
            "acted": schema.action_share(),
        }


def drain(schema: Schema, texts: list[str], batch: int, workers: int) -> dict[str, float]:
    """Worker throughput alone: the posts are queued first, then the workers start; the clock runs from the
    first committed batch to the last (worker start-up and the API's ingest speed are excluded)."""
    with stack(schema, nats=True) as st:
        posts = make_posts(texts, f"q{workers}")
        with httpx.Client(timeout=900) as c:
            send_timed(c, st, posts, batch)
        st.start_workers(workers)
        deadline = time.monotonic() + GUARD
        while (first := schema.processed()) == 0:
            if time.monotonic() > deadline:
                raise RuntimeError("no worker processed anything")
            time.sleep(0.02)
        meter = procstat.CpuMeter(_process_groups(st.workers)) if procstat.available() else None
        t0 = time.perf_counter()
        t_done = wait_processed(schema, len(posts))
        done = len(posts) - first
        return {"drain": done / (t_done - t0), **(meter.per_post(done) if meter else {})}


def _process_groups(workers: list[subprocess.Popen[bytes]]) -> dict[str, list[int]]:
    """The workers' own processes, their classifier processes, and PostgreSQL (every backend)."""
    return {
        "worker": [w.pid for w in workers],
        "classifier": [c for w in workers for c in procstat.children(w.pid)],
        "postgres": procstat.named("postgres"),
    }


def lag_under_load(schema: Schema, texts: list[str], offered: int, seconds: float) -> dict[str, float]:
    with stack(schema, nats=True, workers=2) as st:
        with httpx.Client(timeout=900) as c:
            warm_up(c, st, schema, texts, wait=True)
            chunk = 100
            interval = chunk / offered
            posts = make_posts((texts * 50)[: int(offered * seconds)], "lag")
            samples: list[int] = []
            sent = 0
            start = time.perf_counter()
            next_sample = start
            for i in range(0, len(posts), chunk):
                due = start + (i // chunk) * interval
                while time.perf_counter() < due:
                    time.sleep(min(0.01, max(0.0, due - time.perf_counter())))
                send(c, st.port, st.token, posts[i : i + chunk])
                sent += len(posts[i : i + chunk])
                if time.perf_counter() >= next_sample:
                    samples.append(max(0, sent + 100 - schema.processed()))
                    next_sample += 0.25
            achieved = sent / (time.perf_counter() - start)
            t_stop = time.perf_counter()
        t_drained = wait_processed(schema, sent + 100)
        s = sorted(samples) or [0]
        return {
            "achieved": achieved,
            "median": statistics.median(s),
            "p90": s[min(len(s) - 1, int(0.9 * (len(s) - 1)))],
            "max": s[-1],
            "drain_s": t_drained - t_stop,
        }


def _delete_stream(prefix: str) -> None:
    import asyncio

    from townsquare.stream import jetstream
    from townsquare.stream.config import StreamConfig

    async def run() -> None:
        cfg = StreamConfig(NATS, prefix)
        nc, js = await jetstream.connect(cfg)
        await jetstream.delete_all(js, cfg)
        await nc.close()

    asyncio.run(run())


def corpus(n: int, risky_share: float) -> tuple[list[str], str]:
    """Held-out tweets, mixed like a firehose: `risky_share` of posts the classifier rates above `none`."""
    from townsquare.classify import classify

    pool, source = real_posts(4000)
    rated = classify(pool)
    calm = [t for t, r in zip(pool, rated, strict=True) if r.risk == "none"]
    risky = [t for t, r in zip(pool, rated, strict=True) if r.risk != "none"]
    if not calm or not risky:
        return (pool * (n // len(pool) + 1))[:n], source
    out = []
    for i in range(n):
        if (i * risky_share) % 1 + risky_share >= 1:  # spread evenly
            out.append(risky[i % len(risky)])
        else:
            out.append(calm[i % len(calm)])
    return out, f"{source}, {risky_share:.0%} rated above none"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--posts", type=int, default=4000)
    ap.add_argument("--batch", type=int, default=250)
    ap.add_argument("--offered", type=int, default=200)
    ap.add_argument("--lag-seconds", type=float, default=10.0)
    ap.add_argument("--skip-lag", action="store_true")
    ap.add_argument("--drain-only", action="store_true", help="only the worker drain rates (1 and 2 workers)")
    ap.add_argument("--risky-share", type=float, default=0.1, help="share of posts rated above none (0..1)")
    args = ap.parse_args()
    load = os.getloadavg()
    print(
        f"machine: {os.cpu_count()} CPUs, load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} "
        "(shared: API server, workers, load generator, PostgreSQL and NATS all on these cores, plus others' work)"
    )
    texts, source = corpus(args.posts, args.risky_share)
    print(f"{args.posts} posts ({source}), batches of {args.batch}, PostgreSQL on loopback")
    schema = Schema()
    schema.create()
    try:
        d1 = drain(schema, texts, args.batch, 1)
        d2 = drain(schema, texts, args.batch, 2)
        print(
            f"  worker drain (queued first; first to last commit): 1 worker {d1['drain']:8.0f} posts/s   "
            f"2 workers {d2['drain']:8.0f} posts/s   ratio {d2['drain'] / d1['drain']:.2f}x"
        )
        if "worker" in d1:
            bound = 1000 / max(d1["worker"], d1["classifier"], 1e-9)
            print(
                f"  CPU per post, 1 worker: worker process {d1['worker']:.3f} ms, its classifier process "
                f"{d1['classifier']:.3f} ms, PostgreSQL {d1['postgres']:.3f} ms -> a worker with two cores of its own "
                f"(PostgreSQL elsewhere) is bounded near {bound:,.0f} posts/s by its busiest process"
            )
        if args.drain_only:
            return
        emb = embedded(schema, texts, args.batch)
        print(
            f"  embedded (classify in the request):   end to end {emb['e2e']:8.0f} posts/s   "
            f"(automation acted on {emb['acted']:.0%} of the posts)"
        )
        one = distributed(schema, texts, args.batch, 1)
        print(
            f"  distributed, 1 worker:  ingest {one['ingest']:8.0f} posts/s   end to end {one['e2e']:8.0f} posts/s"
        )
        two = distributed(schema, texts, args.batch, 2)
        print(
            f"  distributed, 2 workers: ingest {two['ingest']:8.0f} posts/s   end to end {two['e2e']:8.0f} posts/s"
        )
        print(
            f"  scaling 2/1 workers: {two['e2e'] / one['e2e']:.2f}x   "
            f"distributed(2)/embedded: {two['e2e'] / emb['e2e']:.2f}x   "
            f"goal >= 2,000 posts/s per worker: {'met' if one['e2e'] >= 2000 else 'NOT met'}"
        )
        if not args.skip_lag:
            lag = lag_under_load(schema, texts, args.offered, args.lag_seconds)
            print(
                f"  lag at {args.offered} posts/s offered ({lag['achieved']:.0f} achieved) for {args.lag_seconds:.0f} s, "
                f"2 workers: backlog median {lag['median']:.0f}, p90 {lag['p90']:.0f}, max {lag['max']:.0f} posts; "
                f"drained {lag['drain_s']:.1f} s after the load stopped"
            )
    finally:
        schema.drop()
        load = os.getloadavg()
        print(f"load average at the end: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")


if __name__ == "__main__":
    main()
