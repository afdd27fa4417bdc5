from django.contrib.auth.decorators import login_not_required
from django.db import transaction
from django.urls import URLPattern, include, path

from safehub.api.api import api
from safehub.ui import views as ui_views

# The API authenticates each call with its own bearer token, so the session sign-in
# redirect must not apply to it.
api_urls, api_app, api_namespace = api.urls
for pattern in api_urls:
    assert isinstance(pattern, URLPattern)  # ninja routes each operation with path()
    pattern.callback = login_not_required(pattern.callback)
    # A referral, and each partner event, commits durably inside its service, so nothing
    # after it can roll it back.
    if pattern.name in ("contact_submit_api", "partner_events_submit_api"):
        pattern.callback = transaction.non_atomic_requests(pattern.callback)

urlpatterns = [
    path("", include("safehub.access.urls_service")),
    path("healthz", ui_views.healthz_view, name="healthz"),
    path("readyz", ui_views.readyz_view, name="readyz"),
    path("people/", include("safehub.people.urls")),
    path("audit/", include("safehub.access.urls_review")),
    path("users/api-tokens/", include("safehub.access.urls_tokens")),
    path("users/", include("safehub.organisations.urls")),
    path("report/", include("safehub.frontdoor.urls_public")),
    path("inbox/", include("safehub.notifications.urls")),
    path("", include("safehub.frontdoor.urls")),
    path("", include("safehub.casework.urls")),
    path("", include("safehub.leaving_care.urls")),
    path("", include("safehub.permanence.urls")),
    path("", include("safehub.careplanning.urls")),
    path("", include("safehub.partners.urls")),
    path("", include("safehub.multiagency.urls")),
    path("", include("safehub.hardtosee.urls")),
    path("", include("safehub.concerns.urls")),
    path("", include("safehub.neglect.urls")),
    path("", include("safehub.insight.urls")),
    path("", include("safehub.sharing.urls")),
    path("", include("safehub.subjectaccess.urls")),
    path("", include("safehub.retention.urls")),
    path("", include("safehub.returns.urls")),
    path("api/v1/", include((api_urls, api_app), namespace=api_namespace)),
]

handler404 = "safehub.ui.views.page_not_found"
handler400 = "safehub.ui.views.bad_request"
handler403 = "safehub.ui.views.permission_denied"
handler500 = "safehub.ui.views.server_error"
