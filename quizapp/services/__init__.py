"""The rules of the application: plain functions taking models and values, never `request`."""


class ServiceError(Exception):
    """A rule was broken; the message is Chinese and safe to show to the user."""


class AccountError(ServiceError):
    pass


class GroupError(ServiceError):
    pass
