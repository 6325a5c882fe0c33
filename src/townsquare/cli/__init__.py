"""Command line: thin Typer commands over the domain services."""
