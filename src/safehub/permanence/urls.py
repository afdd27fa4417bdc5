from django.urls import path

from safehub.permanence import views

app_name = "permanence"

_C = "children/<int:person_id>/court/"
_A = "children/<int:person_id>/adoption/"

urlpatterns = [
    path(f"{_C}pre-proceedings/", views.pre_proceedings_view, name="pre-proceedings"),
    path(
        f"{_C}pre-proceedings/letter/",
        views.pre_proceedings_letter_view,
        name="pre-proceedings-letter",
    ),
    path(f"{_C}pre-proceedings/end/", views.pre_proceedings_end_view, name="pre-proceedings-end"),
    path(f"{_C}application/", views.issue_view, name="issue"),
    path(f"{_C}hearing/", views.hearing_view, name="hearing"),
    path(f"{_C}extension/", views.extend_view, name="extend"),
    path(f"{_C}final-order/", views.final_order_view, name="final-order"),
    path(f"{_C}liberty/", views.liberty_view, name="liberty"),
    path(f"{_C}liberty/review/", views.liberty_review_view, name="liberty-review"),
    path(f"{_C}liberty/end/", views.liberty_end_view, name="liberty-end"),
    path(f"{_A}match/", views.adoption_match_view, name="adoption-match"),
    path(f"{_A}reversed/", views.adoption_reverse_view, name="adoption-reverse"),
    path(f"{_A}previous-permanence/", views.previous_permanence_view, name="previous-permanence"),
    path(f"{_A}<slug:step>/", views.adoption_step_view, name="adoption-step"),
    path("adopters/", views.adopters_list_view, name="adopters"),
    path("adopters/new/", views.adopters_add_view, name="adopters-add"),
    path("adopters/<int:adopters_id>/", views.adopters_detail_view, name="adopters-detail"),
]
