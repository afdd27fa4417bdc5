from django.urls import path

from safehub.access import views_auth
from safehub.access import views_service as pages

# The service's own pages keep the "ui" namespace they always had.
app_name = "ui"
urlpatterns = [
    path("", pages.home_view, name="home"),
    path("account/", pages.account_view, name="account"),
    path("accessibility/", pages.accessibility_view, name="accessibility"),
    path("help/", pages.help_view, name="help"),
    path("help/<slug:role>/", pages.help_view, name="help-role"),
    path("sign-in/", views_auth.sign_in, name="sign-in"),
    path("sign-in/code/", views_auth.sign_in_verify, name="sign-in-verify"),
    path("sign-in/set-up-authenticator/", views_auth.sign_in_setup, name="sign-in-setup"),
    path("sign-out/", views_auth.sign_out, name="sign-out"),
    path("session/", views_auth.session_status, name="session-status"),
    path("session/extend/", views_auth.session_extend_view, name="session-extend"),
]
