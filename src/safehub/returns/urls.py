from django.urls import path

from safehub.returns import views

app_name = "returns"

urlpatterns = [
    path("returns/cin/", views.cin_view, name="cin"),
    path("returns/cin/census/", views.cin_census_view, name="cin-census"),
    path("returns/cin/validate/", views.cin_validate_view, name="cin-validate"),
    path("returns/cin/import/", views.cin_import_view, name="cin-import"),
]
