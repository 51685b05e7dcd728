"""Competitions and their entries (being written by the competitions helper)."""


def record_attempt(attempt) -> None:
    """Update the competition entry and branch rows for a just-finalised competition attempt."""
