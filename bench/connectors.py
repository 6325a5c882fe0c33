"""Connector speed: label signing and the labeler's query. Never a test; prints medians and ratios.

1. Signing one label (DAG-CBOR of the unsigned label + ECDSA/SHA-256 + low-S), secp256k1 and P-256, beside a
   baseline measured in the same run: the DAG-CBOR encoding alone.
2. `labels.query` on a fresh SQLite database holding N signed labels over N/2 posts: one exact URI and one prefix
   pattern (`at://<did>/*`, 100 results), beside the baseline `head_seq` (one MAX over the table).

Run: `.venv/bin/python bench/connectors.py [--labels 5000]`.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import libipld

from townsquare.connectors.atproto import keys, labels
from townsquare.storage import migrate
from townsquare.storage.db import Database


def median_us(fn: Callable[[], object], n: int) -> float:
    samples = []
    for _ in range(n):
        t0 = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t0) * 1e6)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--labels", type=int, default=5000)
    args = parser.parse_args()
    label = labels.Label(
        src="did:web:labeler.example", uri="at://did:plc:abc/app.bsky.feed.post/3k", val="spam-scam",
        cts="2026-12-01T10:00:00.000Z",
    )  # fmt: skip
    base = median_us(lambda: libipld.encode_dag_cbor(label.unsigned()), 2000)
    print(f"sign: baseline DAG-CBOR encode p50 {base:.1f} µs")
    for curve in ("secp256k1", "p256"):
        key = keys.generate(curve)
        t = median_us(lambda key=key: labels.sign_label(key, label), 2000)  # type: ignore[misc]
        print(f"sign: {curve:9s} p50 {t:.1f} µs  ({t / base:.0f}x baseline, {1e6 / t:,.0f} labels/s)")
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench.db'}"
        migrate.upgrade(url)
        db = Database(url)
        key = keys.generate()
        did = "did:plc:ewvi7nxzyoun6zhxrhs64oiz"
        t0 = time.perf_counter()
        with db.session() as s:
            for i in range(args.labels):
                uri = f"at://{did if i % 10 == 0 else f'did:plc:other{i % 97}'}/app.bsky.feed.post/{i // 2}"
                labels.emit(s, key, src="did:web:l", uri=uri, val=f"v-{'ab'[i % 2]}", idempotency_key=f"k{i}")
        emit = (time.perf_counter() - t0) / args.labels * 1e6
        print(f"emit: {args.labels} labels signed and stored, {emit:.0f} µs each")
        with db.read_session() as s:
            head = median_us(lambda: labels.head_seq(s), 200)
            exact = median_us(
                lambda: labels.query(
                    s, uri_patterns=[f"at://{did}/app.bsky.feed.post/0"], sources=None, own_did="d"
                ),
                200,
            )
            prefix = median_us(
                lambda: labels.query(s, uri_patterns=[f"at://{did}/*"], sources=None, own_did="d", limit=100),
                200,
            )
        print(f"query: baseline head_seq p50 {head:.0f} µs")
        print(f"query: exact uri p50 {exact:.0f} µs ({exact / head:.1f}x); prefix, 100 labels p50 {prefix:.0f} µs "
              f"({prefix / head:.1f}x)")  # fmt: skip
        db.dispose()


if __name__ == "__main__":
    main()
