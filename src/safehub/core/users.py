"""The user model as a type, for the apps `organisations` is built on, and the request of a
signed-in user.

`AUTH_USER_MODEL` is `organisations.User`, but `core`, `audit`, `ui` and `access` sit below
`organisations` and never import it (the import contracts in pyproject.toml). django-stubs
names the configured user model without an import: its `_User` alias, which the mypy plugin
resolves from `AUTH_USER_MODEL` (as it does for `request.user`). So to mypy `User` here *is*
`organisations.User`, role, team and agency included, and no import of it runs at all.

Import `User` under `typing.TYPE_CHECKING`, in a module that starts with
`from __future__ import annotations`: it exists for the type checker, not at run time. Apps
above `organisations` import `safehub.organisations.models.User` itself.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeAlias

from django.http import HttpRequest

if TYPE_CHECKING:
    from django.contrib.auth.models import _User

    User: TypeAlias = _User


class SignedInRequest(HttpRequest):
    """The request of every view that is not `login_not_required`: Django's
    `LoginRequiredMiddleware` lets it through only with a signed-in user (and, outside the
    two sign-in steps, `SecondFactorRequiredMiddleware` only once the code is verified); on
    the API, `TokenAuth` sets the token's user or answers 401. Only an annotation: Django
    still passes its own request, and this tells mypy `request.user` is never anonymous."""

    user: User
