"""What every endpoint module shares: the error shape, the statuses every operation can
answer, plain-text fields, DfE codes with their labels, and a page of a long list."""

from typing import Annotated, Any, Generic, TypeVar

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Field, Schema
from pydantic import AfterValidator

from safehub.core.text import check_characters


class Problem(Schema):
    """Every error has this shape: a plain-English message, and per-field messages for
    input that was refused."""

    message: str
    errors: dict[str, list[str]] = {}


def _plain_text(value: str) -> str:
    """Text fields allow what the pages allow (core.text): emoji and the joiners, never the
    bidirectional controls, other control characters (a NUL cannot be stored on PostgreSQL)
    or undecodable text."""
    try:
        check_characters(value, label="the text", allowed="\t\n\r")
    except ValidationError as error:
        raise ValueError(error.messages[0]) from None
    return value


Text = Annotated[str, AfterValidator(_plain_text)]
# Statuses every operation can answer, declared in the OpenAPI document.
# (413, a body over the size limit, is answered by core.middleware.RequestSizeLimitMiddleware.)
COMMON = {400: Problem, 401: Problem, 413: Problem, 422: Problem}


def responses(**extra: Any) -> dict[int, Any]:
    """COMMON plus the operation's own, written `s200=Out, s404=Problem`."""
    return {**COMMON, **{int(k.removeprefix("s")): v for k, v in extra.items()}}


IDEMPOTENCY = (
    "Send an Idempotency-Key header (up to 60 printable characters) so that a retry returns "
    "what the first request recorded (200) instead of recording it again; the same key with "
    "different content is refused (422)."
)


def idempotency_key(request: HttpRequest) -> str:
    """The request's Idempotency-Key header ("" if none), refused if it is not one."""
    key = request.headers.get("Idempotency-Key", "")
    if len(key) > 60 or any(ord(c) < 33 or ord(c) > 126 for c in key):
        raise ValidationError({"Idempotency-Key": ["Send up to 60 printable characters"]})
    return key


C = TypeVar("C")
T = TypeVar("T")


class Code(Schema, Generic[C]):
    """A code from one of the DfE code sets (CIN census, SSDA903), with what it means."""

    code: C
    label: str


class Page(Schema, Generic[T]):
    """One page of a long list, newest first. A page past the end answers with the last
    page (`page` says which was returned)."""

    items: list[T]
    page: int = Field(..., description="The page returned, from 1")
    pages: int = Field(..., description="How many pages there are (at least 1)")
    total: int = Field(..., description="How many items there are in all")
