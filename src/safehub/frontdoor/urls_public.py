"""The public "report a worry about a child" form (no account needed)."""

from django.urls import path

from safehub.frontdoor import views_public

app_name = "report"

urlpatterns = [
    path("", views_public.start_view, name="start"),
    *[
        path(f"{page}/", views_public.question_view, {"page": page}, name=page)
        for page in views_public.PAGES
    ],
    path("call-999/", views_public.emergency_view, name="call-999"),
    path("check-your-answers/", views_public.check_view, name="check"),
    path("send/", views_public.submit_view, name="submit"),
    path("sent/", views_public.sent_view, name="sent"),
]
