"""Transparency outputs: DSA statements of reasons (export, validation, author notices)."""
