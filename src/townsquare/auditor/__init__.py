"""Read-only views for auditors: seeded samples of decisions with their evidence, the sources of each public figure,
and the chain's health. Nothing here writes (the auditor console has no state-changing route)."""
