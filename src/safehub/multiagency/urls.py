from django.urls import path

from safehub.multiagency import views

app_name = "multiagency"
urlpatterns = [
    path("people/<int:person_id>/chronology/", views.chronology_view, name="chronology"),
    path(
        "people/<int:person_id>/chronology/household/",
        views.household_view,
        name="household",
    ),
    path(
        "people/<int:person_id>/chronology/court/",
        views.court_export_view,
        name="court-export",
    ),
    path(
        "people/<int:person_id>/chronology/entries/<int:entry_id>/note/",
        views.entry_note_view,
        name="entry-note",
    ),
]
