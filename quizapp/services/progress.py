"""Summary rows of study progress (being written by the progress helper)."""


def record_attempt(attempt) -> None:
    """Update the member/group/category summary rows for a just-finalised attempt (same transaction)."""
