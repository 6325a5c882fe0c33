"""Connections to the platforms our users run: Mastodon (admin webhooks in, admin API out) and Bluesky/atproto
(a labeler: signed labels out over XRPC, posts in from the Jetstream).

Layering: enforcement code (`policy`, `moderation`, `council`) never imports this package (a test enforces it).
Outcomes reach the platforms because the connectors *read* what enforcement wrote — the append-only audit chain —
from their own cursor (`connectors.cursor`), and queue what they owe a platform in their own outbox.
"""
