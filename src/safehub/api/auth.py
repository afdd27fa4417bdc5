from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer

from safehub.access.services import api_token_user
from safehub.core.context import RequestOrigin, current_origin


class TokenAuth(HttpBearer):
    """`Authorization: Bearer <token>`; the request then acts as the token's user, under the
    same access policy as that user's pages."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = api_token_user(token)
        if user is None:
            return None
        request.user = user
        origin = current_origin.get()
        current_origin.set(
            RequestOrigin(ip_address=origin.ip_address, request_id=origin.request_id, channel="api")
        )
        return user
