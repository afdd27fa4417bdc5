from django.urls import path

from safehub.casework import views

app_name = "casework"

_CHILD = "children/<int:person_id>/casework/"

urlpatterns = [
    path("my-work/", views.my_work_view, name="my-work"),
    path("team/", views.team_work_view, name="team-work"),
    path(_CHILD, views.child_casework_view, name="child-casework"),
    path(f"{_CHILD}episodes/new/", views.episode_open_view, name="episode-open"),
    path(
        f"{_CHILD}episodes/<int:episode_id>/close/", views.episode_close_view, name="episode-close"
    ),
    path(
        f"{_CHILD}episodes/<int:episode_id>/primary-need/",
        views.primary_need_view,
        name="primary-need",
    ),
    path(
        f"{_CHILD}episodes/<int:episode_id>/assessment/new/",
        views.assessment_start_view,
        name="assessment-start",
    ),
    path(
        f"{_CHILD}assessments/<int:assessment_id>/seen/",
        views.assessment_seen_view,
        name="assessment-seen",
    ),
    path(
        f"{_CHILD}assessments/<int:assessment_id>/complete/",
        views.assessment_complete_view,
        name="assessment-complete",
    ),
    path(
        f"{_CHILD}assessments/<int:assessment_id>/authorise/",
        views.assessment_authorise_view,
        name="assessment-authorise",
    ),
    path(
        f"{_CHILD}episodes/<int:episode_id>/strategy/new/",
        views.strategy_record_view,
        name="strategy-record",
    ),
    path(
        f"{_CHILD}enquiries/<int:enquiry_id>/conclude/",
        views.section47_conclude_view,
        name="section47-conclude",
    ),
    path(
        f"{_CHILD}enquiries/<int:enquiry_id>/conference/",
        views.conference_initial_view,
        name="conference-initial",
    ),
    path(
        f"{_CHILD}cp-plans/<int:plan_id>/core-groups/new/",
        views.core_group_view,
        name="core-group-record",
    ),
    path(
        f"{_CHILD}cp-plans/<int:plan_id>/review/",
        views.conference_review_view,
        name="conference-review",
    ),
    path(
        f"{_CHILD}episodes/<int:episode_id>/cin-plan/new/",
        views.cin_plan_start_view,
        name="cin-plan-start",
    ),
    path(
        f"{_CHILD}cin-plans/<int:plan_id>/review/",
        views.cin_plan_review_view,
        name="cin-plan-review",
    ),
    path(f"{_CHILD}cin-plans/<int:plan_id>/end/", views.cin_plan_end_view, name="cin-plan-end"),
    path(f"{_CHILD}episodes/<int:episode_id>/care/new/", views.care_start_view, name="care-start"),
    path(f"{_CHILD}care/<int:period_id>/change/", views.care_change_view, name="care-change"),
    path(f"{_CHILD}care/<int:period_id>/review/", views.care_review_view, name="care-review"),
    path(f"{_CHILD}care/<int:period_id>/end/", views.care_end_view, name="care-end"),
    path(f"{_CHILD}care/<int:period_id>/plan/", views.care_plan_view, name="care-plan"),
    path(f"{_CHILD}care/<int:period_id>/health/new/", views.health_check_view, name="health-check"),
    path(f"{_CHILD}care/<int:period_id>/sdq/new/", views.sdq_view, name="sdq"),
    path(
        f"{_CHILD}care/<int:period_id>/substance-misuse/new/",
        views.substance_misuse_view,
        name="substance-misuse",
    ),
    path(f"{_CHILD}care/<int:period_id>/offences/new/", views.offence_view, name="offence"),
    path(
        f"{_CHILD}care/<int:period_id>/education-plans/new/",
        views.education_plan_view,
        name="education-plan",
    ),
    path(f"{_CHILD}uasc/", views.uasc_view, name="uasc"),
    path(
        f"{_CHILD}care/recommendations/<int:recommendation_id>/done/",
        views.recommendation_done_view,
        name="recommendation-done",
    ),
    path(f"{_CHILD}missing/new/", views.missing_record_view, name="missing-record"),
    path(f"{_CHILD}visits/new/", views.visit_record_view, name="visit-record"),
    path(f"{_CHILD}notes/new/", views.note_record_view, name="note-record"),
    path(f"{_CHILD}draft/", views.draft_save_view, name="draft-save"),
    path(f"{_CHILD}allocate/", views.allocate_view, name="allocate"),
    path(f"{_CHILD}oversight/new/", views.oversight_record_view, name="oversight-record"),
]
