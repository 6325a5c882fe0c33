"""HTTP load generation for the benches: a local uvicorn server, `wrk` at a fixed rate, or a fallback generator.

Split from `bench/ads.py` so the placement bench reads as what it measures; this module knows nothing of ads
beyond the request it sends (`POST <path>` with one random post id `p<k>` and the candidate campaigns `c0..`).

- `uvicorn_server(env, tmp)`: the API in its own process on a free loopback port, ready when `/healthz` answers.
- `run_wrk(...)`: `wrk` paced with a Lua `delay()` (open loop at a fixed rate).
- `run_python_generator(...)`: when wrk is not installed, this file run as a script in its own process: an
  open-loop asyncio generator on raw HTTP/1.1 streams, latency measured from each request's due time (no
  coordinated omission).
Both print one `RESULT {json}` line (requests, errors, non2xx, seconds, p50/p90/p99/max in ms).

Run alone without arguments it only says what it is (`make bench` runs every file here).
Run: `.venv/bin/python bench/loadgen.py PORT PATH TOKEN RATE SECONDS N_POSTS N_CAMPAIGNS`.
"""

from __future__ import annotations

import json
import os
import random
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

MAX_CONNS = 256


def pct(values: list[float], q: float) -> float:
    s = sorted(values)
    if not s:
        return float("nan")
    return s[min(len(s) - 1, round(q / 100 * (len(s) - 1)))]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def uvicorn_server(env: dict[str, str], tmp: Path, app: str = "townsquare.api.asgi:app") -> Iterator[int]:
    """The API (`townsquare.api.asgi:app`, one worker) on a free port with this environment; yields the port
    once `/healthz` answers (60 s at most), stops the server on exit. Its log goes to `tmp/server.log`.
    `app="loadgen:bare_app"` serves the floor instead (see `bare_app`)."""
    import httpx

    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            app,
            *(["--app-dir", str(Path(__file__).parent)] if app.startswith("loadgen:") else []),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--log-level",
            "warning",
            "--no-access-log",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=(tmp / "server.log").open("wb"),  # a file, not a pipe: the JSON access log must never block
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline or server.poll() is not None:
                raise RuntimeError("server did not start: " + (tmp / "server.log").read_text()[-2000:])
            time.sleep(0.2)
        yield port
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()


WRK_LUA = """
local rate, conns, posts, cands, token = %(rate)f, %(conns)d, %(posts)d, '%(cands)s', '%(token)s'
local path = '%(path)s'
function setup(thread) end
function init(args) math.randomseed(os.time() + math.floor(os.clock() * 1e6)) end
function delay() return math.floor(1000 * conns / rate) end
function request()
  if path == '/healthz' then return wrk.format('GET', path) end
  local body = '{"post_id": "p' .. math.random(0, posts - 1) .. '", "campaign_ids": [' .. cands .. ']}'
  return wrk.format('POST', path, {['Content-Type'] = 'application/json',
                                   ['Authorization'] = 'Bearer ' .. token}, body)
end
function done(summary, latency, requests)
  io.write(string.format('RESULT {"requests": %%d, "errors": %%d, "non2xx": %%d, "seconds": %%f, ' ..
    '"p50_ms": %%f, "p90_ms": %%f, "p99_ms": %%f, "max_ms": %%f}\\n', summary.requests,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status, summary.duration / 1e6, latency:percentile(50) / 1000,
    latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
"""


async def bare_app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    """The floor: the smallest ASGI app (200 "ok", body unread) under the same uvicorn and load generator, so
    the figures show what the server, the generator and the shared cores cost before any application code."""
    if scope["type"] != "http":
        return
    await send({"type": "http.response.start", "status": 200, "headers": [(b"content-length", b"2")]})
    await send({"type": "http.response.body", "body": b"ok"})


def run_wrk(
    port: int, path: str, token: str, rate: int, seconds: int, tmp: Path, *, n_posts: int, n_campaigns: int
) -> dict[str, Any]:
    conns = max(4, rate // 100)
    cands = ",".join(f'"c{i}"' for i in range(n_campaigns))
    script = tmp / f"wrk{abs(hash(path))}.lua"
    script.write_text(
        WRK_LUA
        % {"rate": rate, "conns": conns, "posts": n_posts, "cands": cands, "token": token, "path": path}
    )
    out = subprocess.run(
        [
            "wrk",
            "-t1",
            f"-c{conns}",
            f"-d{seconds}s",
            "--timeout",
            "2s",
            "-s",
            str(script),
            f"http://127.0.0.1:{port}{path}",
        ],
        capture_output=True,
        text=True,
        timeout=seconds + 30,
        check=False,
    )
    res = _result(out, "wrk")
    res["rate"] = res["requests"] / res["seconds"]
    return res


def run_python_generator(
    port: int, path: str, token: str, rate: int, seconds: int, *, n_posts: int, n_campaigns: int
) -> dict[str, Any]:
    """Fallback load generator: this file as a script in its own process (open loop, fixed schedule)."""
    args = [str(port), path, token, str(rate), str(seconds), str(n_posts), str(n_campaigns)]
    out = subprocess.run(
        [sys.executable, __file__, *args],
        capture_output=True,
        text=True,
        timeout=seconds + 60,
        check=False,
    )
    return _result(out, "load generator")


def _result(out: subprocess.CompletedProcess[str], tool: str) -> dict[str, Any]:
    """The JSON after ``RESULT `` that both load generators (wrk's Lua script, `loadgen`) print last."""
    line = next((ln for ln in out.stdout.splitlines() if ln.startswith("RESULT ")), None)
    if line is None:
        raise RuntimeError(f"{tool} failed: {out.stdout}\n{out.stderr}")
    if os.environ.get("ADS_BENCH_DEBUG") and out.stderr:
        print(out.stderr, file=sys.stderr, end="")  # the generator's per-error lines
    res: dict[str, Any] = json.loads(line[7:])
    return res


def loadgen(
    port: int, path: str, token: str, rate: int, seconds: int, n_posts: int, n_campaigns: int
) -> None:
    """Open-loop HTTP/1.1 keep-alive generator on raw asyncio streams (no client library in the hot loop).

    Request i is due at start + i/rate; latency is measured from that due time (so a stalled server cannot hide
    its queueing — no coordinated omission). Connections come from a pool; a new one opens if all are busy.
    """
    import asyncio

    cands = ",".join(f'"c{i}"' for i in range(n_campaigns))
    rng = random.Random(5)

    def raw() -> bytes:
        if path == "/healthz":
            return b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
        body = f'{{"post_id": "p{rng.randrange(n_posts)}", "campaign_ids": [{cands}]}}'.encode()
        head = (
            f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            f"Authorization: Bearer {token}\r\nContent-Length: {len(body)}\r\n\r\n"
        )
        return head.encode() + body

    async def main() -> None:
        idle: list[tuple[asyncio.StreamReader, asyncio.StreamWriter]] = []
        lat: list[float] = []
        errors = 0
        non2xx = 0
        open_conns = 0

        async def one(due: float) -> None:
            nonlocal errors, non2xx, open_conns
            if not idle and open_conns >= MAX_CONNS:
                errors += 1  # the server is this far behind: count the request as failed, do not queue it
                return
            reused = bool(idle)
            if idle:
                conn = idle.pop()
            else:
                open_conns += 1
                conn = await asyncio.open_connection("127.0.0.1", port)
            reader, writer = conn
            try:
                payload = raw()
                writer.write(payload)
                status = await reader.readline()
                if not status and reused:
                    # the server closed this idle keep-alive connection as we wrote (its keep-alive timeout):
                    # what any HTTP client does, retry once on a new connection, the latency still counted
                    # from the request's due time
                    writer.close()
                    reader, writer = conn = await asyncio.open_connection("127.0.0.1", port)
                    writer.write(payload)
                    status = await reader.readline()
                length = 0
                while True:
                    line = await reader.readline()
                    if line in (b"\r\n", b""):
                        break
                    if line.lower().startswith(b"content-length:"):
                        length = int(line.split(b":")[1])
                await reader.readexactly(length)
                lat.append((loop.time() - due) * 1000)
                if not status.split()[1].startswith(b"2"):
                    non2xx += 1
                idle.append(conn)
            except (OSError, asyncio.IncompleteReadError, IndexError, ValueError) as exc:
                if os.environ.get("ADS_BENCH_DEBUG"):
                    print("error", repr(exc), file=sys.stderr)
                errors += 1
                writer.close()

        loop = asyncio.get_running_loop()
        start = loop.time() + 0.05
        n = rate * seconds
        tasks = []
        for i in range(n):
            due = start + i / rate
            delay = due - loop.time()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.ensure_future(one(due)))
        _done, pending = await asyncio.wait(tasks, timeout=5.0)  # bounded drain
        for t in pending:
            t.cancel()
        errors += len(pending)
        took = loop.time() - start
        lat.sort()
        print(
            "RESULT "
            + json.dumps(
                {
                    "requests": len(lat),
                    "errors": errors,
                    "non2xx": non2xx,
                    "seconds": took,
                    "rate": len(lat) / took,
                    "p50_ms": pct(lat, 50),
                    "p90_ms": pct(lat, 90),
                    "p99_ms": pct(lat, 99),
                    "max_ms": lat[-1] if lat else 0,
                }
            )
        )

    asyncio.run(main())


if __name__ == "__main__":
    if len(sys.argv) == 8:
        port, path, token, rate, seconds, n_posts, n_campaigns = sys.argv[1:]
        loadgen(int(port), path, token, int(rate), int(seconds), int(n_posts), int(n_campaigns))
    else:
        print("loadgen: the HTTP load generator of bench/ads.py (nothing to measure on its own)")
