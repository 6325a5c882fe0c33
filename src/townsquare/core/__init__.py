"""Vocabulary shared by every domain: roles, states, errors, clock."""
