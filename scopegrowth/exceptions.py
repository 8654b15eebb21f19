"""Failures a user should read (views turn them into a form error or a message)."""


class RuleError(Exception):
    """A business rule refused the change; `str(exc)` is written for the person who tried."""
