"""What every page's template context needs from the request."""

from typing import Any

from django.http import HttpRequest
from django.template.backends.utils import csrf_input
from django.utils.functional import SimpleLazyObject


def csrf_once(request: HttpRequest) -> dict[str, Any]:
    """The CSRF field, worked out once per page. Django's Jinja2 backend gives templates a
    `csrf_input` that masks the token afresh wherever it is written, and a signed-in page
    writes it at least three times (sign out, and the timeout dialog's two forms); the
    same masked token serves every form on a page, as Django's own template tag does."""
    return {"csrf_input": SimpleLazyObject(lambda: csrf_input(request))}
