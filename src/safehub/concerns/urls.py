from django.urls import path

from safehub.concerns import views

app_name = "concerns"

urlpatterns = [
    path("concerns/alerts/", views.alert_list_view, name="alert-list"),
    path("concerns/alerts/mash/", views.mash_alert_list_view, name="mash-alert-list"),
    path("concerns/alerts/team/", views.team_alert_list_view, name="team-alert-list"),
    path("concerns/alerts/<int:alert_id>/", views.alert_detail_view, name="alert-detail"),
    path(
        "concerns/alerts/<int:alert_id>/acknowledge/",
        views.alert_acknowledge_view,
        name="alert-acknowledge",
    ),
    path("concerns/alerts/<int:alert_id>/act/", views.alert_act_view, name="alert-act"),
    path("concerns/alerts/<int:alert_id>/dismiss/", views.alert_dismiss_view, name="alert-dismiss"),
    path("concerns/rules/", views.rule_list_view, name="rule-list"),
    path("concerns/rules/<int:rule_id>/", views.rule_detail_view, name="rule-detail"),
    path("concerns/rules/<int:rule_id>/edit/", views.rule_edit_view, name="rule-edit"),
]
