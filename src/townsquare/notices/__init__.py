"""Notices: what townsquare tells people — authors, reporters, appellants — in their language.

A small domain of its own so that every producer of an outcome (moderation decisions, appeals, the council, manual
actions, report expiry) speaks through one place: events in (`reporters`, `authors`), rendered notices out from the
French/English templates (`texts`, data files under `templates/`), stored in the notifications table which is also
the webhook outbox (`outbox`), delivered by the existing worker (`moderation.webhooks`). Nothing here imports
`moderation` or `council`, so neither has to import the other to notify.
"""
