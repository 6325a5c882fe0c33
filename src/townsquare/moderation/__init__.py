"""Human moderation: user reports, prioritised queues, claims, decisions, appeals and reporter notifications.

Domain code only: every function takes a SQLAlchemy ``Session`` plus keyword arguments and raises
``townsquare.core.errors``; the API (``api/routes/moderation.py``) and CLI (``cli/moderation_cmd.py``) are thin.
Enforcement itself is delegated to ``townsquare.policy.enforce`` (actions, statements of reasons, audit).
"""
