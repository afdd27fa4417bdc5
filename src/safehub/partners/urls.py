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

urlpatterns += [
    # Watching the feeds: the MASH's managers and the partnership
    path("mash/partner-feeds/", views.feeds_view, name="feeds"),
    path(
        "mash/partner-feeds/<int:agency_id>/<str:type>/",
        views.feed_threshold_view,
        name="feed-threshold",
    ),
    # Operation Encompass: schools' safeguarding leads and the MASH
    path("encompass/", views.notices_view, name="notices"),
    path("encompass/<int:notice_id>/", views.notice_detail_view, name="notice-detail"),
    path(
        "encompass/<int:notice_id>/acknowledge/",
        views.notice_acknowledge_view,
        name="notice-acknowledge",
    ),
    path("encompass/<int:notice_id>/send/", views.notice_send_view, name="notice-send"),
]
