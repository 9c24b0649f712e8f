"""Errors that services raise and views/API turn into clear, translated responses."""

from typing import Any


class ValidationFailed(Exception):
    """Input the service refuses: {field: [messages]} shown next to the fields (400)."""

    def __init__(self, errors: dict[str, list[Any]]) -> None:
        super().__init__(errors)
        self.errors = errors


class StaleEdit(Exception):
    """Someone else changed the record since it was read (409)."""


class TransitionNotAllowed(Exception):
    """The workflow does not allow this step from the current status (409)."""

    def __init__(self, message: Any) -> None:
        super().__init__(message)
        self.message = message
