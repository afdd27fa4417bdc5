from django.urls import path

from safehub.subjectaccess import views

app_name = "subjectaccess"

urlpatterns = [
    path("subject-access/", views.list_view, name="list"),
    path("subject-access/new/", views.create_view, name="create"),
    path("subject-access/<int:request_id>/", views.detail_view, name="detail"),
    path("subject-access/<int:request_id>/extend/", views.extend_view, name="extend"),
    path("subject-access/<int:request_id>/compile/", views.compile_view, name="compile"),
    path(
        "subject-access/<int:request_id>/redactions/<int:redaction_id>/",
        views.decide_view,
        name="decide",
    ),
    path(
        "subject-access/<int:request_id>/redactions/add/",
        views.redaction_add_view,
        name="redaction-add",
    ),
    path("subject-access/<int:request_id>/bundle.pdf", views.export_view, name="export"),
    path("subject-access/<int:request_id>/sent/", views.sent_view, name="sent"),
]
