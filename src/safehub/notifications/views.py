from django.http import HttpResponse
from django.shortcuts import render

from safehub.access.navigation import nav_for
from safehub.core.users import SignedInRequest
from safehub.notifications.selectors import notifications_for


def inbox_view(request: SignedInRequest) -> HttpResponse:
    """The signed-in user's messages (and their agency's): acknowledgements, outcomes,
    information requests and answers. Holds no record data beyond what was sent them."""
    return render(
        request,
        "notifications/inbox.html",
        {
            "notifications": notifications_for(actor=request.user),
            "nav_items": nav_for(request),
        },
    )
