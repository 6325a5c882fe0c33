"""Posts coming in from the platform: validation, idempotent storage, lookup."""
