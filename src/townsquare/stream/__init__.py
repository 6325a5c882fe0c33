"""Distributed mode: posts flow through a NATS JetStream stream to any number of `townsquare worker` processes.

Embedded mode (no `TOWNSQUARE_NATS_URL`) runs the same `process.assess_posts` inside the ingest request. See
docs/streaming.md.
"""
