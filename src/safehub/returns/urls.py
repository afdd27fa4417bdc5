from django.urls import path

from safehub.returns import views

app_name = "returns"

urlpatterns = [
    path("returns/cin/", views.cin_view, name="cin"),
    path("returns/cin/census/", views.cin_census_view, name="cin-census"),
    path("returns/cin/validate/", views.cin_validate_view, name="cin-validate"),
    path("returns/validation/", views.validation_view, name="validation"),
    path("returns/validation/run/", views.validation_run_view, name="validation-run"),
    path(
        "returns/validation/<slug:by>/<slug:key>/",
        views.validation_drill_view,
        name="validation-drill",
    ),
]
