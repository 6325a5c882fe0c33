"""Tamper-evident audit log: every action, reversal, settings or policy change and vote, hash-chained."""

from townsquare.audit.chain import GENESIS, AuditProblem, Entry, append, append_many, verify

__all__ = ["GENESIS", "AuditProblem", "Entry", "append", "append_many", "verify"]
