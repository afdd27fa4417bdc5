from django.urls import path

from safehub.access import views_review as views

# Named "audit" as the pages always were: the data protection officer's review of access.
app_name = "audit"
urlpatterns = [
    path("", views.audit_home_view, name="audit-home"),
    path("break-glass/", views.break_glass_queue_view, name="break-glass-queue"),
    path("user-administration/", views.user_admin_log_view, name="user-admin-log"),
    path(
        "break-glass/<int:grant_id>/review/",
        views.break_glass_review_view,
        name="break-glass-review",
    ),
]
