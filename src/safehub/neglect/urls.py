from django.urls import path

from safehub.neglect import views

app_name = "neglect"

_PROFILE = "neglect-profiles/<int:profile_id>/"

urlpatterns = [
    path("neglect/profiles/", views.work_view, name="work"),
    path("neglect/templates/", views.templates_view, name="templates"),
    path("neglect/training/", views.training_list_view, name="training-list"),
    path("neglect/training/new/", views.training_add_view, name="training-add"),
    path("neglect/training/import/", views.training_import_view, name="training-import"),
    path("neglect/training/import/confirm/", views.training_confirm_view, name="training-confirm"),
    path("neglect/training/template.csv", views.training_csv_view, name="training-csv"),
    path(
        "children/<int:person_id>/neglect-profiles/",
        views.child_profiles_view,
        name="child-profiles",
    ),
    path(
        "children/<int:person_id>/neglect-profiles/new/",
        views.profile_start_view,
        name="profile-start",
    ),
    path(_PROFILE, views.profile_detail_view, name="profile-detail"),
    path(f"{_PROFILE}areas/<int:position>/", views.profile_area_view, name="profile-area"),
    path(f"{_PROFILE}plan/", views.profile_plan_view, name="profile-plan"),
    path(f"{_PROFILE}complete/", views.profile_complete_view, name="profile-complete"),
    path(f"{_PROFILE}sign-off/", views.profile_sign_off_view, name="profile-sign-off"),
    path(f"{_PROFILE}profile.pdf", views.profile_pdf_view, name="profile-pdf"),
    path(f"{_PROFILE}draft/", views.profile_draft_view, name="profile-draft"),
    path("neglect/use/", views.use_view, name="use"),
    path("neglect/use.csv", views.use_csv_view, name="use-csv"),
    path("neglect/use/<slug:figure>/", views.use_children_view, name="use-children"),
]
