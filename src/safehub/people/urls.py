from django.urls import path

from safehub.people import views

app_name = "people"
urlpatterns = [
    path("", views.person_search_view, name="person-search"),
    path("new/", views.person_create_view, name="person-create"),
    path("<int:person_id>/", views.person_detail_view, name="person-detail"),
    path("<int:person_id>/edit/", views.person_edit_view, name="person-edit"),
    path("<int:person_id>/names/new/", views.person_name_add_view, name="person-name-add"),
    path("<int:person_id>/move/", views.person_move_view, name="person-move"),
    path(
        "<int:person_id>/relationships/new/", views.relationship_add_view, name="relationship-add"
    ),
    path(
        "<int:person_id>/relationships/<int:relationship_id>/end/",
        views.relationship_end_view,
        name="relationship-end",
    ),
    path("<int:person_id>/export/", views.person_export_view, name="person-export"),
    path("<int:person_id>/restricted/", views.person_break_glass_view, name="person-break-glass"),
]
