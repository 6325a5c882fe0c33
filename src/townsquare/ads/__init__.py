"""Brand safety: adjacency control for advertisers, never visibility control over posts.

This package reads posts, their latest classifier assessment and their visibility; it writes only its own
tables (advertisers, campaigns, profiles, decisions, impressions, refused demands). No enforcement code imports
it, and nothing here imports policy enforcement (tests check both directions).
"""
