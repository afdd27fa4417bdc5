from django.urls import path

from safehub.sharing import views

app_name = "sharing"

urlpatterns = [
    path("people/<int:person_id>/information-sharing/", views.log_view, name="person-log"),
    path(
        "people/<int:person_id>/information-sharing/record/",
        views.record_view,
        name="person-record",
    ),
]
