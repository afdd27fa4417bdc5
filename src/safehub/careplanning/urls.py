from django.urls import path

from safehub.careplanning import views
from safehub.careplanning.models import PlanKind

app_name = "careplanning"

_C = "children/<int:person_id>/care-planning/"

urlpatterns = [
    path("reviewing/", views.iro_work_view, name="iro-work"),
    path(f"{_C}iro/", views.iro_allocate_view, name="iro"),
    path(f"{_C}iro-contact/", views.iro_contact_view, name="iro-contact"),
    path(f"{_C}care-plan/", views.plan_view, {"kind": PlanKind.CARE}, name="care-plan"),
    path(
        f"{_C}placement-plan/",
        views.plan_view,
        {"kind": PlanKind.PLACEMENT},
        name="placement-plan",
    ),
    path(
        f"{_C}permanence-plan/",
        views.plan_view,
        {"kind": PlanKind.PERMANENCE},
        name="permanence-plan",
    ),
    path(f"{_C}delegated/", views.delegated_decision_view, name="delegated"),
    path(
        f"{_C}delegated/<int:record_id>/withdraw/",
        views.delegated_withdraw_view,
        name="delegated-withdraw",
    ),
]
