from django.urls import path

from safehub.leaving_care import views

app_name = "leaving_care"

_YP = "children/<int:person_id>/leaving-care/"

urlpatterns = [
    path(f"{_YP}adviser/", views.adviser_view, name="adviser"),
    path(f"{_YP}pathway-plan/", views.pathway_plan_view, name="pathway-plan"),
    path(f"{_YP}staying-put/", views.staying_put_start_view, name="staying-put-start"),
    path(f"{_YP}staying-put/end/", views.staying_put_end_view, name="staying-put-end"),
    path(f"{_YP}birthday/", views.birthday_view, name="birthday"),
]
