"""Placement-decision speed: in process and over HTTP. Never a test; prints medians, percentiles and ratios.

1. In process: `decide_many` for one post against 20 candidate campaigns (compiled profiles: presets, tier
   overrides, 20 keywords each, account lists), over 2,000 synthetic post risk vectors. Prints p50/p99 per
   request and decisions/s, beside a baseline measured in the same run (20 dict look-ups: the cheapest possible
   per-campaign pass). Goal: p99 ≤ 100 µs.
2. The embeddable client (`townsquare.ads.client`): the same decision through its warm local copy, in this
   process, wall and on-CPU p50/p99 (goal on-CPU p99 <= 20 µs), and the database reads while timed (0 expected).
3. Over HTTP: a uvicorn server started here on 127.0.0.1 (fresh SQLite database in a temp dir, 20 campaigns,
   2,000 assessed posts), driven at a fixed 1,000 requests/s by `wrk` (paced with a Lua `delay()`), or — when wrk
   is not installed — by an open-loop asyncio generator in a separate process. `POST /api/v1/ads/decisions` (one
   random post, 20 candidates) is printed beside the same server's `/healthz` as the ceiling. Goal: p99 ≤ 5 ms.
   The route decides from the server's in-memory copy (`ads.client`); the database is read only on a miss; a warm
   request is answered before FastAPI's routing (`api/fastlane.py`, docs/decisions/072).
   The server and both load generators live in `bench/loadgen.py`.

Bounded: each HTTP phase runs `--seconds` (default 8) and everything stops by itself.
Run: `.venv/bin/python bench/ads.py [--seconds 8] [--rate 1000] [--skip-http]`.
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import shutil
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from loadgen import pct, run_python_generator, run_wrk, uvicorn_server

from townsquare.ads.compiled import compile_profile, post_risk
from townsquare.ads.decide import decide_many
from townsquare.ads.spec import ProfileSpec
from townsquare.classify.taxonomy import GARM_CATEGORIES, TIERS

N_CAMPAIGNS = 20
N_POSTS = 2000
WORDS = [
    "casino",
    "crypto",
    "guerre",
    "war",
    "gun",
    "haine",
    "hate",
    "sexe",
    "drug",
    "beer",
    "vin",
    "match",
    "lyon",
    "paris",
    "news",
    "vote",
    "covid",
    "vaccin",
    "bonjour",
    "hello",
    "weather",
    "market",
    "football",
    "election",
    "climate",
    "police",
    "immigration",
]


def synthetic_specs(rng: random.Random) -> list[ProfileSpec]:
    specs = []
    for i in range(N_CAMPAIGNS):
        specs.append(
            ProfileSpec(
                preset=("relaxed", "standard", "conservative")[i % 3],
                category_tiers={
                    c: rng.choice(("low", "medium", "high")) for c in rng.sample(GARM_CATEGORIES, 3)
                },
                keywords=[f"{rng.choice(WORDS)}{j}" for j in range(18)] + ["free money", "g3n0cide"],
                excluded_accounts=[f"acct{rng.randrange(500)}" for _ in range(50)],
                languages=["fr", "en"] if i % 4 == 0 else [],
            )
        )
    return specs


def synthetic_garm(rng: random.Random) -> dict[str, str]:
    """Most posts touch nothing; some touch one or two categories at low..high; a few reach the floor."""
    r = rng.random()
    if r < 0.6:
        return {}
    k = 1 if r < 0.9 else 2
    return {
        c: rng.choice(TIERS[1:4] if rng.random() > 0.03 else ("floor",))
        for c in rng.sample(GARM_CATEGORIES, k)
    }


def synthetic_text(rng: random.Random) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 40)))


def bench_in_process(n_calls: int) -> dict[str, float]:
    rng = random.Random(1)
    compiled = [compile_profile(s, profile_id=i, version=1) for i, s in enumerate(synthetic_specs(rng))]
    cands = [(f"c{i}", p, True) for i, p in enumerate(compiled)]
    posts = [
        post_risk(
            post_id=f"p{i}",
            author_id=f"acct{rng.randrange(2000)}",
            lang=rng.choice(("fr", "en", "de")),
            visibility="visible" if rng.random() > 0.05 else "labelled",
            garm=synthetic_garm(rng),
            text=synthetic_text(rng),
        )
        for i in range(N_POSTS)
    ]
    table = {f"c{i}": i for i in range(N_CAMPAIGNS)}
    keys = list(table)
    for p in posts[:200]:  # warm-up
        decide_many(p, cands)
    lat: list[float] = []
    base: list[float] = []
    gc.collect()
    gc.freeze()  # the long-lived fixtures above are not garbage; keep the collector off them while timing
    eligible = 0
    clock = time.perf_counter_ns
    t_all = clock()
    for i in range(n_calls):
        p = posts[i % N_POSTS]
        t0 = clock()
        out = decide_many(p, cands)
        t1 = clock()
        lat.append((t1 - t0) / 1000)
        eligible += sum(d.eligible for d in out)
    total_s = (clock() - t_all) / 1e9
    # the same requests timed on this thread's CPU clock: the decision's own cost, without the time the
    # scheduler gave to other processes on a shared machine (printed beside the wall-clock figures)
    cpu: list[float] = []
    cpu_clock = time.thread_time_ns
    for i in range(n_calls):
        p = posts[i % N_POSTS]
        t0 = cpu_clock()
        decide_many(p, cands)
        cpu.append((cpu_clock() - t0) / 1000)
    for _ in range(n_calls):
        t0 = clock()
        for k in keys:
            table.get(k)
        base.append((clock() - t0) / 1000)
    return {
        "p50_us": pct(lat, 50),
        "p99_us": pct(lat, 99),
        "mean_us": statistics.fmean(lat),
        "decisions_per_s": n_calls * N_CAMPAIGNS / total_s,
        "eligible_share": eligible / (n_calls * N_CAMPAIGNS),
        "cpu_p50_us": pct(cpu, 50),
        "cpu_p99_us": pct(cpu, 99),
        "baseline_p50_us": pct(base, 50),
        "baseline_p99_us": pct(base, 99),
    }


def bench_embedded_client(n_calls: int) -> dict[str, float]:
    """`townsquare.ads.client.AdsClient.decide_post` in this process, warm copy: what an ad server embedding the
    client pays per decision (look-ups in the local copy + the decision), no network, no database."""
    from townsquare.ads.client import AdsClient
    from townsquare.storage.db import Database

    tmp = Path(tempfile.mkdtemp(prefix="ts-bench-ads-client-"))
    url = f"sqlite:///{tmp / 'bench.db'}"
    seed_database(url)
    db = Database(url)
    client = AdsClient(db)
    cands = [f"c{i}" for i in range(N_CAMPAIGNS)]
    ids = [f"p{i}" for i in range(N_POSTS)]
    try:
        for pid in ids:  # warm: every post and campaign read once from the database
            client.decide_post(pid, cands)
        misses = client.misses
        gc.collect()
        gc.freeze()
        lat: list[float] = []
        cpu: list[float] = []
        clock, cpu_clock = time.perf_counter_ns, time.thread_time_ns
        for i in range(n_calls):
            t0 = clock()
            client.decide_post(ids[i % N_POSTS], cands)
            lat.append((clock() - t0) / 1000)
        for i in range(n_calls):
            t0 = cpu_clock()
            client.decide_post(ids[i % N_POSTS], cands)
            cpu.append((cpu_clock() - t0) / 1000)
        return {
            "p50_us": pct(lat, 50),
            "p99_us": pct(lat, 99),
            "cpu_p50_us": pct(cpu, 50),
            "cpu_p99_us": pct(cpu, 99),
            "db_reads_while_timed": float(client.misses - misses),
        }
    finally:
        client.close()
        db.dispose()
        shutil.rmtree(tmp, ignore_errors=True)


# -- HTTP (the server and load generators: bench/loadgen.py) --------------------------------------------------


def seed_database(url: str) -> str:
    """Migrate, create 20 campaigns and N_POSTS assessed posts; returns an ingest API token."""
    from townsquare.access.keys import create_key
    from townsquare.ads import store
    from townsquare.classify.normalize import normalize
    from townsquare.storage import migrate
    from townsquare.storage.db import Database
    from townsquare.storage.models import Account, Assessment, Post

    migrate.upgrade(url)
    db = Database(url)
    rng = random.Random(2)
    with db.session() as s:
        store.create_advertiser(s, advertiser_id="bench", name="Bench")
        for i, spec in enumerate(synthetic_specs(rng)):
            prof = store.create_profile(s, advertiser_id="bench", name=f"p{i}", spec=spec)
            store.create_campaign(
                s, campaign_id=f"c{i}", advertiser_id="bench", name=f"c{i}", profile_id=prof.id
            )
        for a in range(200):
            s.add(Account(id=f"acct{a}", handle=f"acct{a}"))
        s.flush()
        for i in range(N_POSTS):
            text = synthetic_text(rng)
            s.add(
                Post(
                    id=f"p{i}",
                    author_id=f"acct{rng.randrange(200)}",
                    text=text,
                    lang="en",
                    content_hash=str(i),
                    visibility="visible" if rng.random() > 0.05 else "labelled",
                )
            )
            s.flush()
            s.add(
                Assessment(
                    post_id=f"p{i}",
                    model="bench",
                    lang="en",
                    risk="none",
                    labels=[],
                    scores={},
                    tiers={},
                    garm=synthetic_garm(rng),
                    evidence=[],
                    normalized=normalize(text).text,
                )
            )
        _, token = create_key(s, role="ingest", name="bench-ingest")
    db.dispose()
    return token


def bench_http(seconds: int, rate: int, tool: str = "auto") -> dict[str, Any]:
    import httpx

    tmp = Path(tempfile.mkdtemp(prefix="ts-bench-ads-"))
    url = f"sqlite:///{tmp / 'bench.db'}"
    token = seed_database(url)
    env = {
        **os.environ,
        "TOWNSQUARE_DATABASE_URL": url,
        "TOWNSQUARE_DEV_MODE": "true",
        "TOWNSQUARE_SECRET_KEY": "bench-secret-not-default",
    }
    sizes = {"n_posts": N_POSTS, "n_campaigns": N_CAMPAIGNS}
    try:
        with uvicorn_server(env, tmp) as port:
            body = {"post_id": "p1", "campaign_ids": [f"c{i}" for i in range(N_CAMPAIGNS)]}
            check = httpx.post(
                f"http://127.0.0.1:{port}/api/v1/ads/decisions",
                json=body,
                headers={"Authorization": f"Bearer {token}"},
                timeout=5,
            )
            check.raise_for_status()
            # The hot path is the warm copy (in distributed mode workers put every vector as posts are assessed):
            # read each post once, so the measured run counts no first-sight miss; misses are a separate cost.
            with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=5) as warm:
                for i in range(N_POSTS):
                    warm.post(
                        "/api/v1/ads/decisions",
                        json={**body, "post_id": f"p{i}"},
                        headers={"Authorization": f"Bearer {token}"},
                    ).raise_for_status()
            if tool == "auto":
                tool = "wrk" if shutil.which("wrk") else "python"
            results: dict[str, Any] = {"tool": tool}

            def measure(port: int, path: str) -> dict[str, Any]:
                """A warm-up, then the measured run, with the chosen generator."""
                if tool == "wrk":
                    run_wrk(port, path, token, rate, 2, tmp, **sizes)
                    return run_wrk(port, path, token, rate, seconds, tmp, **sizes)
                run_python_generator(port, path, token, rate, 2, **sizes)
                return run_python_generator(port, path, token, rate, seconds, **sizes)

            for name, path in (("healthz", "/healthz"), ("decisions", "/api/v1/ads/decisions")):
                results[name] = measure(port, path)
        with uvicorn_server(env, tmp, app="loadgen:bare_app") as port:
            results["floor"] = measure(port, "/healthz")
        return results
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--calls", type=int, default=20_000)
    ap.add_argument("--seconds", type=int, default=8)
    ap.add_argument("--rate", type=int, default=1000)
    ap.add_argument("--skip-http", action="store_true")
    ap.add_argument("--tool", choices=("auto", "wrk", "python"), default="auto")
    args = ap.parse_args()
    load = os.getloadavg()
    print(
        f"machine: {os.cpu_count()} CPUs, load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} "
        "(shared machine: percentiles include other processes' noise)"
    )
    r = bench_in_process(args.calls)
    print(f"in-process decision, {N_CAMPAIGNS} candidate campaigns, {args.calls} requests:")
    print(
        f"  p50 {r['p50_us']:.1f} µs   p99 {r['p99_us']:.1f} µs   mean {r['mean_us']:.1f} µs   "
        f"{r['decisions_per_s']:,.0f} decisions/s   (eligible share {r['eligible_share']:.0%})"
    )
    print(
        f"  baseline (20 dict look-ups): p50 {r['baseline_p50_us']:.2f} µs  p99 {r['baseline_p99_us']:.2f} µs  "
        f"-> decision/baseline p50 ratio {r['p50_us'] / max(r['baseline_p50_us'], 1e-3):.0f}x"
    )
    print(
        "  on-CPU time of the same requests (thread CPU clock, excludes time given to other processes): "
        f"p50 {r['cpu_p50_us']:.1f} µs   p99 {r['cpu_p99_us']:.1f} µs"
    )
    print(
        f"  goal p99 <= 100 µs: wall clock {'met' if r['p99_us'] <= 100 else 'NOT met'}, "
        f"on-CPU {'met' if r['cpu_p99_us'] <= 100 else 'NOT met'}"
    )
    e = bench_embedded_client(args.calls)
    print(f"embedded client (townsquare.ads.client, warm local copy), {args.calls} requests:")
    print(
        f"  p50 {e['p50_us']:.1f} µs   p99 {e['p99_us']:.1f} µs   on-CPU p50 {e['cpu_p50_us']:.1f} µs   "
        f"on-CPU p99 {e['cpu_p99_us']:.1f} µs   database reads while timed: {e['db_reads_while_timed']:.0f}"
    )
    print(
        f"  client/pure-decision on-CPU p50 ratio {e['cpu_p50_us'] / max(r['cpu_p50_us'], 1e-3):.2f}x; "
        f"goal on-CPU p99 <= 20 µs: {'met' if e['cpu_p99_us'] <= 20 else 'NOT met'}"
    )
    if args.skip_http:
        return
    h = bench_http(args.seconds, args.rate, args.tool)
    print(
        f"over HTTP (uvicorn, 1 worker, SQLite, loopback), {args.rate} req/s target for {args.seconds} s, "
        f"load generator: {h['tool']}:"
    )
    for name in ("healthz", "decisions", "floor"):
        x = h[name]
        print(
            f"  {name:<10} achieved {x['rate']:7.1f} req/s   p50 {x['p50_ms']:.2f} ms   p90 {x['p90_ms']:.2f} ms   "
            f"p99 {x['p99_ms']:.2f} ms   max {x['max_ms']:.2f} ms   errors {x['errors']} non-2xx {x['non2xx']}"
        )
    d, c, f = h["decisions"], h["healthz"], h["floor"]
    print("  floor: a bare ASGI app answering 200 under the same uvicorn and generator (no application code)")
    print(
        f"  decisions/healthz p99 ratio {d['p99_ms'] / max(c['p99_ms'], 1e-6):.1f}x, "
        f"decisions/floor {d['p99_ms'] / max(f['p99_ms'], 1e-6):.1f}x "
        f"(application's share of p99: {max(d['p99_ms'] - f['p99_ms'], 0):.2f} ms); "
        f"goal p99 <= 5 ms: {'met' if d['p99_ms'] <= 5 else 'NOT met'}, "
        f"<= 2 ms: {'met' if d['p99_ms'] <= 2 else 'NOT met'}"
    )


if __name__ == "__main__":
    main()
