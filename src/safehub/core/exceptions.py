"""The errors services raise. Views and the API map them onto pages and one JSON shape."""

from typing import Any


class ApplicationError(Exception):
    """A request that cannot be carried out, with a message fit to show the user."""

    def __init__(self, message: str, extra: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.extra = extra or {}


class NotFound(ApplicationError):
    """The record does not exist *or* the actor may not know it exists: one answer for both."""

    def __init__(self, message: str = "The record you asked for could not be found.") -> None:
        super().__init__(message)


class PermissionDeniedError(ApplicationError):
    """The actor may see the record but may not do this to it."""

    def __init__(self, message: str = "You do not have permission to do that.") -> None:
        super().__init__(message)


class BreakGlassRequired(ApplicationError):
    """The record is restricted; the actor may open it only by recording a reason."""

    def __init__(self, person_id: int) -> None:
        super().__init__("This record is restricted.")
        self.person_id = person_id


class ConcurrentEditError(ApplicationError):
    """Someone else saved the record after the actor loaded it; the save was refused."""

    def __init__(self, current: Any) -> None:
        super().__init__(
            "Someone else changed this record after you opened it. Your changes were not saved."
        )
        self.current = current
