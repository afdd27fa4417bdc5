from django.urls import path

from safehub.partners import views

app_name = "partners"

urlpatterns = [
    # The MASH
    path("mash/partner-information/", views.queue_view, name="queue"),
    path("mash/partner-information/<int:event_id>/", views.event_detail_view, name="event-detail"),
    path(
        "mash/partner-information/<int:event_id>/attach/",
        views.event_attach_view,
        name="event-attach",
    ),
    path(
        "mash/partner-information/<int:event_id>/new-person/",
        views.event_new_person_view,
        name="event-new-person",
    ),
    path(
        "mash/partner-information/<int:event_id>/send-back/",
        views.event_send_back_view,
        name="event-send-back",
    ),
    # Partner agencies
    path("partner-information/", views.upload_view, name="upload"),
    path("partner-information/template.csv", views.template_view, name="template"),
    path("partner-information/uploads/<int:upload_id>/", views.preview_view, name="preview"),
    path(
        "partner-information/uploads/<int:upload_id>/confirm/",
        views.confirm_view,
        name="confirm",
    ),
]
