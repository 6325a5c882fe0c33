"""Mastodon: admin webhooks in (`inbound`, `signature`), admin API actions out through Mastodon.py (`outbound`)."""
