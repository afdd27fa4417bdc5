from django.urls import path

from safehub.organisations import views

app_name = "organisations"
urlpatterns = [
    path("", views.user_list_view, name="user-list"),
    path("new/", views.user_create_view, name="user-create"),
    path("end-all-sessions/", views.sessions_end_all_view, name="sessions-end-all"),
    path("<int:user_id>/", views.user_edit_view, name="user-edit"),
    path("<int:user_id>/unlock/", views.user_unlock_view, name="user-unlock"),
    path(
        "<int:user_id>/reset-second-factor/",
        views.user_reset_second_factor_view,
        name="user-reset-second-factor",
    ),
    path("<int:user_id>/end-sessions/", views.user_end_sessions_view, name="user-end-sessions"),
    path(
        "access-grants/<int:grant_id>/decide/",
        views.access_grant_decide_view,
        name="access-grant-decide",
    ),
]
