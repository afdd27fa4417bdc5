from django.urls import path

from safehub.returns import views

app_name = "returns"

urlpatterns = [
    path("returns/cin/", views.cin_view, name="cin"),
    path("returns/cin/census/", views.cin_census_view, name="cin-census"),
    path("returns/annex-a/", views.annex_a_view, name="annex-a"),
    path("returns/annex-a/workbook/", views.annex_a_workbook_view, name="annex-a-workbook"),
    path("returns/cin/validate/", views.cin_validate_view, name="cin-validate"),
    path("returns/903/", views.s903_view, name="903"),
    path("returns/903/files/", views.s903_files_view, name="903-files"),
    path("returns/903/validate/", views.s903_validate_view, name="903-validate"),
    path("returns/validation/", views.validation_view, name="validation"),
    path("returns/validation/run/", views.validation_run_view, name="validation-run"),
    path(
        "returns/validation/<slug:by>/<slug:key>/",
        views.validation_drill_view,
        name="validation-drill",
    ),
    path("returns/cin/import/", views.cin_import_view, name="cin-import"),
    path("returns/903/import/", views.s903_import_view, name="903-import"),
]
