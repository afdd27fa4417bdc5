"""Health and education of children in care: the statutory clocks (initial health assessment
20 working days after coming into care, then reviews six-monthly under five and yearly from
five; the first PEP in 20 days, then termly), the pages that record them, the chronology, my
work, and the SSDA903 OC2 rows for a year end."""

from datetime import date, timedelta
from typing import Any

import pytest
from conftest import allocate, make_person
from django.core.exceptions import ValidationError
from django.urls import reverse

from safehub.casework import selectors, services
from safehub.casework.models import CareReview, DueItem, HealthCheck, PeriodOfCare, UASCStatus
from safehub.chronology.models import ChronologyEntry
from safehub.core.workdays import add_working_days

pytestmark = pytest.mark.django_db

START = date(2025, 3, 3)  # a Monday
PLACEMENT = {
    "legal_status": "C2",
    "placement_type": "U4",
    "provider": "PR1",
    "carer_name": "",
    "home_postcode": "",
    "placement_postcode": "",
}


@pytest.fixture
def child(people: Any) -> Any:
    return people["involved"]  # born 3 April 2015; allocated to the social worker


@pytest.fixture
def sw(users: Any) -> Any:
    return users["social_worker"]


def _in_care(sw: Any, child: Any, start: date = START, placement: Any = None) -> PeriodOfCare:
    episode = services.episode_open(
        actor=sw, child=child, kind="cin", referral_date=start, primary_need="N1"
    )
    return services.care_start(
        actor=sw, episode=episode, start_date=start, placement=placement or PLACEMENT
    )


def _open_due(child: Any, kind: str) -> DueItem:
    return DueItem.objects.get(child=child, kind=kind, done_on__isnull=True)


def test_the_initial_health_assessment_is_due_in_20_working_days_then_yearly_from_five(
    sw: Any, child: Any
) -> None:
    period = _in_care(sw, child)
    # 20 working days from Monday 3 March 2025 (no bank holiday in between): 31 March.
    assert _open_due(child, "health_assessment").due_date == date(2025, 3, 31)
    assert add_working_days(START, 20) == date(2025, 3, 31)
    services.health_check_record(actor=sw, period=period, kind="initial", held_on=date(2025, 3, 20))
    done = DueItem.objects.get(child=child, kind="health_assessment", done_on__isnull=False)
    assert done.done_on == date(2025, 3, 20)
    # The child is 9: the review is a year later, 20 March 2026 (a Friday).
    assert _open_due(child, "health_assessment").due_date == date(2026, 3, 20)
    assert ChronologyEntry.objects.filter(
        event_type="HEALTH_ASSESSMENT", summary="Initial health assessment"
    ).exists()


def test_under_fives_have_review_health_assessments_every_six_months(sw: Any, users: Any) -> None:
    baby = make_person("Rosa", "Vale", born=date(2023, 5, 1))
    allocate(baby, sw)
    period = _in_care(sw, baby)
    services.health_check_record(actor=sw, period=period, kind="initial", held_on=date(2025, 3, 13))
    # Six months on is Saturday 13 September 2025: held by Friday 12 September.
    assert _open_due(baby, "health_assessment").due_date == date(2025, 9, 12)
    services.health_check_record(actor=sw, period=period, kind="review", held_on=date(2025, 9, 8))
    # Sunday 8 March 2026: held by Friday 6 March.
    assert _open_due(baby, "health_assessment").due_date == date(2026, 3, 6)
    # A developmental check is for an under-five, and lands on the chronology.
    services.health_check_record(
        actor=sw, period=period, kind="developmental", held_on=date(2025, 9, 8)
    )
    assert ChronologyEntry.objects.filter(event_type="HEALTH_CHECK").count() == 1


def test_a_child_of_school_age_has_a_pep_clock_and_a_baby_does_not(
    sw: Any, child: Any, users: Any
) -> None:
    period = _in_care(sw, child)
    assert _open_due(child, "pep").due_date == date(2025, 3, 31)
    services.education_plan_record(
        actor=sw, period=period, held_on=date(2025, 3, 25), virtual_school_involved=True
    )
    # The next a term later: 25 July 2025 (a Friday).
    assert _open_due(child, "pep").due_date == date(2025, 7, 25)

    baby = make_person("Rosa", "Vale", born=date(2023, 5, 1))
    allocate(baby, sw)
    _in_care(sw, baby)
    assert not DueItem.objects.filter(child=baby, kind="pep").exists()


def test_my_work_shows_the_health_assessment_due(
    client_for: Any, users: Any, sw: Any, child: Any
) -> None:
    _in_care(sw, child, start=date(2026, 11, 2))
    services.allocate(actor=users["team_manager"], child=child, worker=sw)
    page = client_for("social_worker").get(reverse("casework:my-work")).content.decode()
    assert "Hold the initial health assessment" in page


def test_the_pages_record_health_and_show_what_is_next(
    client_for: Any, sw: Any, child: Any
) -> None:
    period = _in_care(sw, child, start=date(2026, 10, 1))
    client = client_for("social_worker")
    url = reverse("casework:health-check", args=[child.pk, period.pk])
    form = {"kind": "initial", "held_on-day": "30", "held_on-month": "9", "held_on-year": "2026"}
    page = client.post(url, form).content.decode()
    assert "cannot be before the child came into care" in page
    assert not HealthCheck.objects.exists()
    response = client.post(url, {**form, "held_on-day": "20", "held_on-month": "10"})
    assert response.status_code == 302
    casework = client.get(reverse("casework:child-casework", args=[child.pk])).content.decode()
    assert "Next health assessment due" in casework
    assert "20 October 2027" in casework  # a year on: the child is 11

    sdq = reverse("casework:sdq", args=[child.pk, period.pk])
    day = {"completed_on-day": "2", "completed_on-month": "11", "completed_on-year": "2026"}
    page = client.post(sdq, {**day, "score": "41"}).content.decode()
    assert "The score must be a whole number from 0 to 40" in page
    assert client.post(sdq, {**day, "score": "17"}).status_code == 302
    casework = client.get(reverse("casework:child-casework", args=[child.pk])).content.decode()
    assert "Score 17" in casework


def test_the_uasc_page_does_not_overwrite_a_later_change(
    client_for: Any, sw: Any, child: Any
) -> None:
    _in_care(sw, child)
    client = client_for("social_worker")
    url = reverse("casework:uasc", args=[child.pk])
    began = {"started_on-day": "3", "started_on-month": "3", "started_on-year": "2025"}
    assert client.post(url, began).status_code == 302
    status = UASCStatus.objects.get(child=child)
    # Someone else saves first; a form opened at version 1 is then refused.
    services.uasc_record(
        actor=sw, child=child, started_on=date(2025, 3, 4), expected_version=status.version
    )
    page = client.post(url, {**began, "version": "1"}).content.decode()
    assert "Someone else changed this record" in page
    assert UASCStatus.objects.get(child=child).started_on == date(2025, 3, 4)


def test_oc2_rows_for_children_looked_after_all_year(sw: Any, child: Any, users: Any) -> None:
    year_end = date(2026, 3, 31)
    period = _in_care(sw, child, start=date(2025, 1, 6))  # all year: in OC2
    services.health_check_record(actor=sw, period=period, kind="initial", held_on=date(2025, 1, 20))
    services.health_check_record(actor=sw, period=period, kind="review", held_on=date(2025, 12, 1))
    services.health_check_record(actor=sw, period=period, kind="dental", held_on=date(2025, 6, 2))
    services.health_check_record(
        actor=sw, period=period, kind="immunisations", held_on=date(2025, 6, 2), up_to_date=True
    )
    services.sdq_record(actor=sw, period=period, completed_on=date(2025, 9, 1), score=22)
    services.substance_misuse_record(
        actor=sw,
        period=period,
        identified_on=date(2025, 10, 1),
        intervention_offered=True,
        intervention_received=False,
    )
    services.offence_record(
        actor=sw, period=period, outcome="conviction", outcome_on=date(2025, 11, 3)
    )
    late = make_person("Leo", "Marsh", born=date(2012, 2, 2))
    allocate(late, sw)
    _in_care(sw, late, start=date(2025, 4, 2))  # one day short of the year: not in OC2
    baby = make_person("Rosa", "Vale", born=date(2022, 5, 1))
    allocate(baby, sw)
    _in_care(sw, baby, start=date(2025, 2, 3))  # all year, no records: noughts

    rows = {row.child_id: row for row in selectors.oc2_rows(year_end=year_end)}
    assert set(rows) == {child.pk, baby.pk}
    row = rows[child.pk]
    assert (row.sdq_score, row.sdq_reason) == (22, "")
    assert (row.convicted, row.immunisations, row.teeth_check, row.health_assessment) == (
        1,
        1,
        1,
        1,
    )
    assert row.health_check is None  # the child is 10, not under five
    assert (row.substance_misuse, row.intervention_offered, row.intervention_received) == (
        1,
        1,
        0,
    )
    empty = rows[baby.pk]
    assert (empty.convicted, empty.teeth_check, empty.health_assessment, empty.health_check) == (
        0,
        0,
        0,
        0,
    )
    assert empty.intervention_offered is None
    assert empty.sdq_score is None
    # The year before, the first child had been looked after for under twelve months.
    assert child.pk not in {r.child_id for r in selectors.oc2_rows(year_end=date(2025, 3, 31))}
    # A year on, only that year's records count.
    services.health_check_record(
        actor=sw, period=period, kind="dental", held_on=year_end + timedelta(days=1)
    )
    later = {r.child_id: r for r in selectors.oc2_rows(year_end=date(2027, 3, 31))}
    assert later[child.pk].teeth_check == 1
    assert later[child.pk].health_assessment == 0


def test_review_recommendations_are_tracked_to_done(
    client_for: Any, users: Any, sw: Any, child: Any
) -> None:
    period = _in_care(sw, child, start=date(2026, 10, 1))
    chair = client_for("cp_chair_iro")
    url = reverse("casework:care-review", args=[child.pk, period.pk])
    held = {"held_on-day": "20", "held_on-month": "11", "held_on-year": "2026"}
    answers = {
        **held,
        "participation": "PN6",
        "recommendations": "Book a dental check\n\nFind a swimming club",
    }
    page = chair.post(url, answers).content.decode()
    assert "Enter the date the recommendations are to be done by" in page
    early = {"complete_by-day": "19", "complete_by-month": "11", "complete_by-year": "2026"}
    page = chair.post(url, {**answers, **early}).content.decode()
    assert "must be after the review" in page
    assert not CareReview.objects.exists()
    by = {"complete_by-day": "18", "complete_by-month": "12", "complete_by-year": "2026"}
    assert chair.post(url, {**answers, **by}).status_code == 302
    review = CareReview.objects.get()
    assert review.participation == "PN6"
    assert [r.text for r in review.recommendations.order_by("pk")] == [
        "Book a dental check",
        "Find a swimming club",
    ]
    open_items = DueItem.objects.filter(kind="review_action", done_on__isnull=True)
    assert sorted(open_items.values_list("label", flat=True)) == [
        "Review recommendation: Book a dental check",
        "Review recommendation: Find a swimming club",
    ]
    assert {i.due_date for i in open_items} == {date(2026, 12, 18)}

    worker = client_for("social_worker")
    casework = worker.get(reverse("casework:child-casework", args=[child.pk])).content.decode()
    assert "Review recommendations" in casework
    assert "Review recommendation: Book a dental check" in casework  # in what is due
    dental = review.recommendations.get(text="Book a dental check")
    done = reverse("casework:recommendation-done", args=[child.pk, dental.pk])
    today = {"done_on-day": "23", "done_on-month": "11", "done_on-year": "2026"}
    assert worker.post(done, today).status_code == 302
    dental.refresh_from_db()
    assert dental.done_on == date(2026, 11, 23)
    assert dental.done_by == sw
    assert list(open_items.values_list("label", flat=True)) == [
        "Review recommendation: Find a swimming club"
    ]
    assert ChronologyEntry.objects.filter(
        event_type="RECOMMENDATION_DONE", summary="Review recommendation done: Book a dental check"
    ).exists()
    with pytest.raises(ValidationError, match="was done on 23 November 2026"):
        services.recommendation_complete(
            actor=sw, recommendation=dental, done_on=date(2026, 11, 23)
        )
