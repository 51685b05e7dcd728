"""The rules of the application: plain functions taking models and values, never `request`.

One package per domain (people, bank, quizzes, progress, competitions, quality; each __init__ says what
it owns); at the top, what every domain uses: clock, upserts, audit, downloads, and the errors below.
"""


class ServiceError(Exception):
    """A rule was broken; the message is Chinese and safe to show to the user."""


class AccountError(ServiceError):
    pass


class GroupError(ServiceError):
    pass
