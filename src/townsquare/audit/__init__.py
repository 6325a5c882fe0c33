"""Tamper-evident audit log: every action, reversal, settings or policy change and vote, hash-chained."""

from townsquare.audit.chain import GENESIS, AuditProblem, append, verify

__all__ = ["GENESIS", "AuditProblem", "append", "verify"]
