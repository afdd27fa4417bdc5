from django.urls import path

from safehub.returns import views

app_name = "returns"

urlpatterns = [
    path("returns/cin/", views.cin_view, name="cin"),
    path("returns/cin/census/", views.cin_census_view, name="cin-census"),
    path("returns/annex-a/", views.annex_a_view, name="annex-a"),
    path("returns/annex-a/workbook/", views.annex_a_workbook_view, name="annex-a-workbook"),
    path("returns/cin/validate/", views.cin_validate_view, name="cin-validate"),
]
