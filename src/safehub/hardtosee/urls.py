from django.urls import path

from safehub.hardtosee import views

app_name = "hardtosee"

urlpatterns = [
    path("registers/", views.registers_view, name="registers"),
    path("registers/<slug:register>/", views.register_view, name="register"),
    path("registers/<slug:register>/export.csv", views.register_export_view, name="export"),
    path(
        "registers/elective-home-education/<int:person_id>/officer/",
        views.ehe_officer_view,
        name="ehe-officer",
    ),
]
