"""The casework pages through Django's test client: every form's happy path and one way it
refuses input (in plain English, through the GOV.UK error summary), manager-only pages,
drafts, and a casework page whose query count does not grow with the child's history."""

import re
from datetime import date, timedelta
from typing import Any

import pytest
from conftest import TEST_TODAY, sign_in
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from safehub.audit.models import AuditEvent
from safehub.casework import services
from safehub.casework.models import (
    Allocation,
    Assessment,
    CareEpisode,
    CareReview,
    CaseNote,
    CINPlan,
    Conference,
    CoreGroup,
    CPPlan,
    DueItem,
    Episode,
    MissingEpisode,
    NoteDraft,
    Oversight,
    PeriodOfCare,
    Section47,
    Visit,
)
from safehub.chronology.models import ChronologyLink

pytestmark = pytest.mark.django_db

TODAY = TEST_TODAY
REFERRAL = TODAY - timedelta(days=120)
PLACEMENT = {
    "legal_status": "C1",
    "placement_type": "U6",
    "provider": "PR1",
    "carer_name": "Mr and Mrs Oak",
    "home_postcode": "",
    "placement_postcode": "",
}


def _d(name: str, value: date) -> dict[str, str]:
    """A GOV.UK date input as the browser sends it."""
    return {
        f"{name}-day": str(value.day),
        f"{name}-month": str(value.month),
        f"{name}-year": str(value.year),
    }


@pytest.fixture
def child(people: Any) -> Any:
    return people["involved"]  # the social worker's; North's team; the chair chairs


@pytest.fixture
def sw(client_for: Any) -> Any:
    return client_for("social_worker")


@pytest.fixture
def tm(client_for: Any) -> Any:
    return client_for("team_manager")


@pytest.fixture
def episode(users: Any, child: Any) -> Episode:
    return services.episode_open(
        actor=users["social_worker"],
        child=child,
        kind="cin",
        referral_date=REFERRAL,
        referral_source="2A",
        primary_need="N1",
    )


@pytest.fixture
def assessment(users: Any, episode: Episode) -> Assessment:
    return services.assessment_start(
        actor=users["social_worker"], episode=episode, start_date=REFERRAL
    )


def _seen_and_completed(users: Any, assessment: Assessment) -> Assessment:
    sw = users["social_worker"]
    services.assessment_record_seen(
        actor=sw, assessment=assessment, seen_date=REFERRAL, seen_alone=True
    )
    return services.assessment_complete(
        actor=sw,
        assessment=assessment,
        completed_date=REFERRAL + timedelta(days=10),
        factors=["16A"],
        summary="Neglect",
    )


def _enquiry(users: Any, episode: Episode, concluded: bool = True) -> Section47:
    sw = users["social_worker"]
    services.strategy_record(
        actor=sw,
        episode=episode,
        held_on=REFERRAL + timedelta(days=1),
        participants="Police, health",
        outcome="s47",
    )
    enquiry = episode.enquiries.get(end_date__isnull=True)
    if concluded:
        services.section47_conclude(
            actor=sw, enquiry=enquiry, end_date=REFERRAL + timedelta(days=5), outcome="icpc"
        )
    return enquiry


def _plan(users: Any, episode: Episode) -> CPPlan:
    enquiry = _enquiry(users, episode)
    conference = services.conference_initial(
        actor=users["cp_chair_iro"],
        enquiry=enquiry,
        held_on=REFERRAL + timedelta(days=15),  # a Monday
        outcome="plan",
        category="NEG",
    )
    assert conference.plan is not None
    return conference.plan


def _care(users: Any, episode: Episode) -> PeriodOfCare:
    return services.care_start(
        actor=users["social_worker"],
        episode=episode,
        start_date=REFERRAL + timedelta(days=20),
        placement=PLACEMENT,
    )


def _url(name: str, child: Any, *ids: int) -> str:
    return reverse(f"casework:{name}", args=[child.pk, *ids])


def _errors(response: Any) -> str:
    assert response.status_code == 200, response.status_code
    page = response.content.decode()
    assert "There is a problem" in page
    assert "<title>Error: " in page
    return page


def _saved(response: Any, child: Any) -> None:
    assert response.status_code == 302, response.content.decode()[:2000]
    assert response["Location"].startswith(reverse("casework:child-casework", args=[child.pk]))


# --- The casework page -------------------------------------------------------------------


def test_casework_page_shows_where_things_stand_what_is_due_and_the_actions(
    sw: Any, child: Any, assessment: Assessment
) -> None:
    DueItem.objects.create(
        child=child,
        kind="x",
        label="Something long overdue",
        due_date=TODAY - timedelta(days=100),
        source_type="t",
        source_id="1",
    )
    response = sw.get(reverse("casework:child-casework", args=[child.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Amelia Hart" in page
    assert "Child in need since the referral" in page
    assert "Overdue by 100 days" in page
    assert "Complete the child and family assessment" in page
    assert page.index("Something long overdue") < page.index(
        "Complete the child and family assessment"
    )  # worst first
    for action in (
        "Record a visit",
        "Add a case note",
        "Complete the assessment",
        "Record a strategy discussion",
        "Record a missing episode",
    ):
        assert action in page
    assert "Authorise the assessment" not in page  # not a manager
    assert "Allocate a social worker" not in page
    assert AuditEvent.objects.filter(action="view", person_id=child.pk).exists()


def _more_history(
    users: Any, child: Any, period: PeriodOfCare, cp: CPPlan, n: int, offset: int
) -> None:
    """n more of every record that repeats."""
    worker, manager = users["social_worker"], users["team_manager"]
    for i in range(n):
        day = REFERRAL + timedelta(days=offset + i)
        services.visit_record(
            actor=worker, child=child, visited_on=day, child_seen=True, note=f"Visit {offset + i}"
        )
        services.note_record(actor=worker, child=child, text=f"Note {offset + i}")
        services.core_group_record(actor=worker, plan=cp, held_on=day)
        review = services.care_review_record(
            actor=worker,
            period=period,
            held_on=day,
            participation="PN1",
            recommendations=f"Action {offset + i}\nAnother action",
            complete_by=day + timedelta(days=30),
        )
        services.recommendation_complete(
            actor=worker, recommendation=review.recommendations.order_by("pk")[0], done_on=day
        )
        for kind in ("review", "dental", "immunisations"):
            services.health_check_record(
                actor=worker, period=period, kind=kind, held_on=day, up_to_date=True
            )
        services.sdq_record(actor=worker, period=period, completed_on=day, score=i % 41)
        services.substance_misuse_record(
            actor=worker,
            period=period,
            identified_on=day,
            intervention_offered=True,
            intervention_received=False,
        )
        services.offence_record(actor=worker, period=period, outcome="reprimand", outcome_on=day)
        services.education_plan_record(
            actor=worker, period=period, held_on=day, virtual_school_involved=True
        )
        services.oversight_record(
            actor=manager,
            child=child,
            kind="oversight",
            held_on=day,
            discussion=f"Discussed {offset + i}",
        )
        services.missing_record(actor=worker, child=child, kind="M", start_date=day, end_date=day)
        early = services.episode_open(
            actor=worker, child=child, kind="early_help", referral_date=day, primary_need="N1"
        )
        services.episode_close(actor=worker, episode=early, closure_date=day, reason="met")


def test_casework_page_query_count_does_not_grow_with_history(
    users: Any, sw: Any, child: Any, episode: Episode, assessment: Assessment
) -> None:
    url = reverse("casework:child-casework", args=[child.pk])

    def count() -> int:
        # Opened once first: the session is saved at most once a minute, and building a long
        # history on a slow database can take longer than that, so a cold count would
        # include the session's write, which is not the page's.
        assert sw.get(url).status_code == 200
        with CaptureQueriesContext(connection) as queries:
            assert sw.get(url).status_code == 200
        return len(queries)

    worker = users["social_worker"]
    # One of everything (an empty list skips its related queries, so start from one).
    _seen_and_completed(users, assessment)
    services.assessment_authorise(
        actor=users["team_manager"],
        assessment=assessment,
        authorised_date=REFERRAL + timedelta(days=11),
    )
    cin = services.cin_plan_start(
        actor=worker, episode=episode, start_date=REFERRAL + timedelta(days=12)
    )
    services.cin_plan_review(actor=worker, plan=cin, held_on=REFERRAL + timedelta(days=13))
    cp = _plan(users, episode)  # ends the CIN plan
    period = _care(users, episode)
    services.care_change(
        actor=worker,
        period=period,
        change_date=REFERRAL + timedelta(days=21),
        placement={**PLACEMENT, "carer_name": "Ms Birch"},
        reason_place_change="CREQB",
    )
    services.allocate(actor=users["team_manager"], child=child, worker=worker)
    services.health_check_record(
        actor=worker, period=period, kind="initial", held_on=period.start_date
    )
    services.uasc_record(actor=worker, child=child, started_on=period.start_date)
    _more_history(users, child, period, cp, 1, offset=30)
    few = count()
    _more_history(users, child, period, cp, 40, offset=31)
    services.care_change(
        actor=worker,
        period=period,
        change_date=REFERRAL + timedelta(days=80),
        placement={**PLACEMENT, "carer_name": "Mr Ash"},
        reason_place_change="CHILD",
    )
    services.allocate(
        actor=users["team_manager"], child=child, worker=users["colleague"], reason="MANAGE"
    )
    many = count()
    assert many == few
    page = sw.get(url).content.decode()
    assert "Latest 10 of 41 visits" in page
    assert "Latest 10 of 41 notes" in page


def test_casework_page_reads_only_what_it_shows_of_staff_and_records(
    users: Any, sw: Any, child: Any, episode: Episode, assessment: Assessment
) -> None:
    """ADR 0062: the page never reads a record's stamps (created, last changed), nor more of
    a member of staff than their name, nor who recorded the rows it shows only dates of
    (strategy discussions, core groups, reviews) or who opened an episode; the names it
    does show are still there."""
    url = reverse("casework:child-casework", args=[child.pk])
    worker = users["social_worker"]
    _seen_and_completed(users, assessment)
    cin = services.cin_plan_start(
        actor=worker, episode=episode, start_date=REFERRAL + timedelta(days=12)
    )
    services.cin_plan_review(actor=worker, plan=cin, held_on=REFERRAL + timedelta(days=13))
    cp = _plan(users, episode)
    period = _care(users, episode)
    services.allocate(actor=users["team_manager"], child=child, worker=worker)
    services.health_check_record(
        actor=worker, period=period, kind="initial", held_on=period.start_date
    )
    _more_history(users, child, period, cp, 1, offset=30)
    assert sw.get(url).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        page = sw.get(url).content.decode()
    # The casework app's own reads (the sections other apps add read their own way).
    selects = [q["sql"] for q in queries if q["sql"].startswith('SELECT "casework_')]
    assert len(selects) > 15
    stamps = re.compile(r'"casework_\w+"\."(created_at|updated_at)"')
    assert not [sql for sql in selects if stamps.search(sql)]
    assert not [sql for sql in selects if '"password"' in sql or '"email"' in sql]
    for table in (
        "casework_episode",
        "casework_strategydiscussion",
        "casework_coregroup",
        "casework_cinplanreview",
        "casework_carereview",
    ):
        (sql,) = [q for q in selects if q.startswith(f'SELECT "{table}"."id"')]
        assert "organisations_user" not in sql, table
    # Who recorded the visit and note, and the allocated worker, are still named.
    assert str(worker) in page
    assert page.count(str(worker)) >= 3


def _rows_read(client: Any, url: str) -> set[str]:
    """The tables whose rows the page reads (a probe's EXISTS inside a query not counted);
    asked a second time, so the session's first-request writes are not counted."""
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return {q["sql"].split(".", 1)[0].removeprefix("SELECT ").strip('"') for q in queries}


def test_casework_page_reads_care_records_only_for_a_child_who_holds_them(
    users: Any, sw: Any, child: Any, episode: Episode
) -> None:
    """ADR 0058: no read of periods of care for a child never in care; in care, each kind
    of record most periods have none of (SDQs, substance misuse, offences, PEPs) read only
    once the period holds one."""
    url = reverse("casework:child-casework", args=[child.pk])
    occasional = {
        "casework_strengthsanddifficulties",
        "casework_substancemisuse",
        "casework_offence",
        "casework_educationplan",
    }
    assert "casework_periodofcare" not in _rows_read(sw, url)
    period = _care(users, episode)
    read = _rows_read(sw, url)
    assert "casework_periodofcare" in read
    assert not read & occasional
    worker = users["social_worker"]
    day = period.start_date + timedelta(days=3)
    services.sdq_record(actor=worker, period=period, completed_on=day, score=17)
    services.offence_record(actor=worker, period=period, outcome="reprimand", outcome_on=day)
    assert _rows_read(sw, url) & occasional == {
        "casework_strengthsanddifficulties",
        "casework_offence",
    }
    page = sw.get(url).content.decode()
    assert "Score 17" in page


# --- Episodes ----------------------------------------------------------------------------


def test_open_an_episode(sw: Any, child: Any) -> None:
    url = _url("episode-open", child)
    form = sw.get(url).content.decode()
    assert f'name="referral_date-day" type="text" value="{TODAY.day}"' in form  # today
    page = _errors(sw.post(url, _d("referral_date", REFERRAL)))
    assert "Select early help or child in need" in page
    _saved(
        sw.post(url, {"kind": "cin", **_d("referral_date", REFERRAL), "primary_need": "N1"}), child
    )
    assert Episode.objects.get(child=child).primary_need == "N1"


def test_close_an_episode(
    sw: Any, users: Any, child: Any, episode: Episode, assessment: Assessment
) -> None:
    url = _url("episode-close", child, episode.pk)
    page = _errors(sw.post(url, {"reason": "RC7", **_d("closure_date", TODAY)}))
    assert "You cannot close the case while it has an assessment that is not authorised" in page
    early = services.episode_open(
        actor=users["social_worker"],
        child=child,
        kind="early_help",
        referral_date=REFERRAL,
        primary_need="N1",
    )
    form = sw.get(_url("episode-close", child, early.pk)).content.decode()
    assert "Outcomes achieved" in form
    assert 'value="RC8"' not in form  # early help closes for its own reasons
    _saved(
        sw.post(
            _url("episode-close", child, early.pk), {"reason": "met", **_d("closure_date", TODAY)}
        ),
        child,
    )
    early.refresh_from_db()
    assert early.closure_reason == "met"


def test_another_childs_record_is_not_found(
    sw: Any, users: Any, people: Any, episode: Episode
) -> None:
    other = people["same_team"]
    assert sw.get(_url("episode-close", other, episode.pk)).status_code == 404


# --- Assessment --------------------------------------------------------------------------


def test_start_an_assessment(sw: Any, child: Any, episode: Episode) -> None:
    url = _url("assessment-start", child, episode.pk)
    page = _errors(sw.post(url, _d("start_date", REFERRAL - timedelta(days=1))))
    assert "cannot be before the referral" in page
    _saved(sw.post(url, _d("start_date", REFERRAL)), child)
    assert episode.assessments.count() == 1


def test_record_the_child_seen(sw: Any, child: Any, assessment: Assessment) -> None:
    url = _url("assessment-seen", child, assessment.pk)
    page = _errors(sw.post(url, {"seen_date-day": "", "seen_date-month": "", "seen_date-year": ""}))
    assert "Enter the date the child was seen" in page
    _saved(sw.post(url, {**_d("seen_date", REFERRAL), "seen_alone": "true"}), child)
    assessment.refresh_from_db()
    assert assessment.child_seen_alone


def test_complete_an_assessment(sw: Any, users: Any, child: Any, assessment: Assessment) -> None:
    services.assessment_record_seen(
        actor=users["social_worker"], assessment=assessment, seen_date=REFERRAL, seen_alone=False
    )
    url = _url("assessment-complete", child, assessment.pk)
    form = sw.get(url).content.decode()
    assert "No factors identified (21)" in form
    assert "Neglect (16A)" in form
    page = _errors(
        sw.post(
            url, {**_d("completed_date", TODAY), "factors": ["21", "16A"], "summary": "Summary"}
        )
    )
    assert "&#39;No factors identified&#39; cannot be chosen with other factors" in page
    _saved(
        sw.post(
            url,
            {
                **_d("completed_date", TODAY),
                "factors": ["16A", "3B"],
                "summary": "Neglect and domestic abuse",
            },
        ),
        child,
    )
    assessment.refresh_from_db()
    assert assessment.factors == ["16A", "3B"]


def test_only_a_manager_authorises(
    sw: Any, tm: Any, users: Any, child: Any, assessment: Assessment
) -> None:
    _seen_and_completed(users, assessment)
    url = _url("assessment-authorise", child, assessment.pk)
    assert sw.get(url).status_code == 403
    assert sw.post(url, _d("authorised_date", TODAY)).status_code == 403
    page = _errors(tm.post(url, _d("authorised_date", TODAY + timedelta(days=2))))
    assert "must be today or in the past" in page
    _saved(tm.post(url, _d("authorised_date", TODAY)), child)
    assessment.refresh_from_db()
    assert assessment.authorised_by == users["team_manager"]


def test_a_manager_does_not_authorise_an_assessment_they_completed(
    tm: Any, users: Any, council: Any, child: Any, assessment: Assessment
) -> None:
    """The review: a manager completed and then authorised their own assessment."""
    from conftest import make_user

    manager = users["team_manager"]
    services.assessment_record_seen(
        actor=manager, assessment=assessment, seen_date=REFERRAL, seen_alone=True
    )
    services.assessment_complete(
        actor=manager,
        assessment=assessment,
        completed_date=REFERRAL + timedelta(days=10),
        factors=["16A"],
        summary="Neglect",
    )
    url = _url("assessment-authorise", child, assessment.pk)
    casework = tm.get(reverse("casework:child-casework", args=[child.pk])).content.decode()
    assert f'href="{url}"' not in casework  # the action is not offered to them
    page = _errors(tm.post(url, _d("authorised_date", TODAY)))
    assert "Someone other than the person who did this must sign it off" in page
    assessment.refresh_from_db()
    assert assessment.authorised_date is None
    with pytest.raises(ValidationError):
        services.assessment_authorise(actor=manager, assessment=assessment, authorised_date=TODAY)
    # Another manager in the team signs it off.
    other = make_user("tm2", "team_manager", council["teams"]["North"])
    their_page = sign_in(Client(), other).get(reverse("casework:child-casework", args=[child.pk]))
    assert f'href="{url}"' in their_page.content.decode()
    services.assessment_authorise(actor=other, assessment=assessment, authorised_date=TODAY)
    assessment.refresh_from_db()
    assert (assessment.completed_by, assessment.authorised_by) == (manager, other)


# --- Child protection --------------------------------------------------------------------


def test_strategy_discussion_starts_a_section_47(sw: Any, child: Any, episode: Episode) -> None:
    url = _url("strategy-record", child, episode.pk)
    page = _errors(sw.post(url, {**_d("held_on", TODAY), "participants": "Police"}))
    assert "Select the outcome of the discussion" in page
    _saved(
        sw.post(url, {**_d("held_on", TODAY), "participants": "Police, school", "outcome": "s47"}),
        child,
    )
    assert Section47.objects.filter(episode=episode, end_date__isnull=True).exists()


def test_conclude_a_section_47(sw: Any, users: Any, child: Any, episode: Episode) -> None:
    enquiry = _enquiry(users, episode, concluded=False)
    url = _url("section47-conclude", child, enquiry.pk)
    page = _errors(sw.post(url, _d("end_date", TODAY)))
    assert "Select the outcome of the enquiry" in page
    _saved(sw.post(url, {**_d("end_date", TODAY), "outcome": "icpc"}), child)
    enquiry.refresh_from_db()
    assert enquiry.outcome == "icpc"


def test_the_chair_records_the_initial_conference(
    client_for: Any, users: Any, child: Any, episode: Episode
) -> None:
    enquiry = _enquiry(users, episode)
    chair = client_for("cp_chair_iro")
    url = _url("conference-initial", child, enquiry.pk)
    page = _errors(chair.post(url, {**_d("held_on", TODAY), "outcome": "plan"}))
    assert "Select the category of abuse" in page
    _saved(chair.post(url, {**_d("held_on", TODAY), "outcome": "plan", "category": "NEG"}), child)
    assert CPPlan.objects.get(child=child).initial_category == "NEG"
    # The chair reads the casework page but records nothing else.
    casework = chair.get(reverse("casework:child-casework", args=[child.pk])).content.decode()
    assert "Record a review conference" in casework
    assert "Record a core group meeting" not in casework
    assert chair.get(_url("visit-record", child)).status_code == 404


def test_core_group(sw: Any, users: Any, child: Any, episode: Episode) -> None:
    plan = _plan(users, episode)
    url = _url("core-group-record", child, plan.pk)
    page = _errors(sw.post(url, _d("held_on", plan.start_date - timedelta(days=1))))
    assert "cannot be before the plan started" in page
    _saved(sw.post(url, {**_d("held_on", TODAY), "notes": "Plan on track"}), child)
    assert CoreGroup.objects.filter(plan=plan).count() == 1


def test_review_conference(client_for: Any, users: Any, child: Any, episode: Episode) -> None:
    plan = _plan(users, episode)
    chair = client_for("cp_chair_iro")
    url = _url("conference-review", child, plan.pk)
    page = _errors(chair.post(url, {**_d("held_on", plan.start_date), "outcome": "continue"}))
    assert "A review must be after the plan started" in page
    _saved(
        chair.post(url, {**_d("held_on", TODAY), "outcome": "continue", "latest_category": "EMO"}),
        child,
    )
    plan.refresh_from_db()
    assert plan.latest_category == "EMO"
    assert Conference.objects.filter(plan=plan, kind="review").count() == 1


# --- Child in need plans -----------------------------------------------------------------


def test_start_review_and_end_a_cin_plan(sw: Any, users: Any, child: Any, episode: Episode) -> None:
    url = _url("cin-plan-start", child, episode.pk)
    page = _errors(sw.post(url, _d("start_date", REFERRAL - timedelta(days=3))))
    assert "cannot be before the referral" in page
    _saved(sw.post(url, _d("start_date", REFERRAL)), child)
    plan = CINPlan.objects.get(child=child)
    review = _url("cin-plan-review", child, plan.pk)
    page = _errors(
        sw.post(review, {"held_on-day": "31", "held_on-month": "2", "held_on-year": "2025"})
    )
    assert "The date of the review must be a real date" in page
    _saved(sw.post(review, _d("held_on", TODAY)), child)
    assert plan.reviews.count() == 1
    end = _url("cin-plan-end", child, plan.pk)
    page = _errors(sw.post(end, _d("end_date", REFERRAL - timedelta(days=1))))
    assert "cannot be before the plan started" in page
    _saved(sw.post(end, _d("end_date", TODAY)), child)
    plan.refresh_from_db()
    assert plan.end_date == TODAY


def test_no_cin_plan_beside_a_cp_plan(sw: Any, users: Any, child: Any, episode: Episode) -> None:
    _plan(users, episode)
    page = _errors(sw.post(_url("cin-plan-start", child, episode.pk), _d("start_date", TODAY)))
    assert "cannot start while the child has a child protection plan" in page


# --- Care --------------------------------------------------------------------------------


def test_care_start_change_review_and_end(
    sw: Any, users: Any, child: Any, episode: Episode
) -> None:
    url = _url("care-start", child, episode.pk)
    page = _errors(
        sw.post(url, {**_d("start_date", TODAY), "placement_type": "U6", "provider": "PR1"})
    )
    assert "Select the legal status" in page
    _saved(sw.post(url, {**_d("start_date", REFERRAL + timedelta(days=1)), **PLACEMENT}), child)
    period = PeriodOfCare.objects.get(child=child)

    change = _url("care-change", child, period.pk)
    form = sw.get(change).content.decode()
    assert 'value="Mr and Mrs Oak"' in form  # the current placement, ready to change
    moved = {**_d("change_date", TODAY), **PLACEMENT, "carer_name": "Ms Birch"}
    page = _errors(sw.post(change, moved))
    assert "Select why the placement changed" in page
    _saved(sw.post(change, {**moved, "reason_place_change": "CREQB"}), child)
    assert CareEpisode.objects.filter(period=period).count() == 2

    review = _url("care-review", child, period.pk)
    page = _errors(sw.post(review, {**_d("held_on", REFERRAL), "participation": "PN1"}))
    assert "cannot be before the child became looked after" in page
    page = _errors(sw.post(review, _d("held_on", TODAY)))
    assert "Select how the child took part in the review" in page
    _saved(sw.post(review, {**_d("held_on", TODAY), "participation": "PN1"}), child)
    assert CareReview.objects.get(period=period).participation == "PN1"

    end = _url("care-end", child, period.pk)
    assert 'value="X1"' not in sw.get(end).content.decode()
    page = _errors(sw.post(end, _d("end_date", TODAY)))
    assert "Select why the child left care" in page
    _saved(sw.post(end, {**_d("end_date", TODAY), "reason": "E4A"}), child)
    period.refresh_from_db()
    assert period.reason_ceased == "E4A"


# --- Missing, visits, notes, drafts ------------------------------------------------------


def test_missing_episode(sw: Any, child: Any) -> None:
    url = _url("missing-record", child)
    page = _errors(
        sw.post(
            url,
            {"kind": "M", **_d("start_date", TODAY), **_d("end_date", TODAY - timedelta(days=1))},
        )
    )
    assert "cannot be before they went missing" in page
    _saved(
        sw.post(
            url,
            {
                "kind": "M",
                **_d("start_date", TODAY - timedelta(days=2)),
                **_d("end_date", TODAY),
                "interview_offered": "yes",
                "interview_accepted": "no",
            },
        ),
        child,
    )
    missing = MissingEpisode.objects.get(child=child)
    assert (missing.return_interview_offered, missing.return_interview_accepted) == (True, False)


def test_visit_form_is_ready_to_save(sw: Any, users: Any, child: Any, episode: Episode) -> None:
    _plan(users, episode)
    page = sw.get(_url("visit-record", child)).content.decode()
    assert "recorded as a <strong>child protection visit</strong>" in page
    assert f'name="visited_on-day" type="text" value="{TODAY.day}"' in page
    assert "Did you see the child?" in page


def test_record_a_visit(sw: Any, users: Any, child: Any, episode: Episode) -> None:
    services.draft_save(
        actor=users["social_worker"], child=child, kind="visit", text="Half written"
    )
    url = _url("visit-record", child)
    page = _errors(sw.post(url, {**_d("visited_on", TODAY), "note": "Half written"}))
    assert "Select whether you saw the child" in page
    assert "Half written" in page  # nothing typed is lost
    response = sw.post(
        url,
        {**_d("visited_on", TODAY), "seen": "alone", "bedroom_seen": "true", "note": "All well"},
    )
    _saved(response, child)
    visit = Visit.objects.get(child=child)
    assert (visit.child_seen, visit.child_seen_alone, visit.bedroom_seen) == (True, True, True)
    assert not NoteDraft.objects.exists()
    casework = sw.get(response["Location"]).content.decode()
    assert "Visit recorded" in casework
    # The page after the save tells the draft script to drop its local copy.
    assert f'data-draft-saved="u{users["social_worker"].pk}:c{child.pk}:visit"' in casework


def test_no_visit_without_an_open_episode(sw: Any, child: Any) -> None:
    page = sw.get(_url("visit-record", child)).content.decode()
    assert "has no open episode" in page
    assert "Save visit" not in page


def test_case_note(sw: Any, child: Any) -> None:
    url = _url("note-record", child)
    page = _errors(sw.post(url, {"text": ""}))
    assert "Enter the note" in page
    _saved(
        sw.post(url, {"text": "Mother rang: new partner moved in", "significant": "true"}), child
    )
    assert CaseNote.objects.get(child=child).significant
    assert ChronologyLink.objects.filter(person=child, entry__event_type="CASE_NOTE").exists()


def test_draft_is_saved_and_restored(sw: Any, users: Any, child: Any) -> None:
    save = reverse("casework:draft-save", args=[child.pk])
    response = sw.post(save, {"kind": "note", "text": "Spoke to school about"})
    assert response.status_code == 200
    assert response.json()["saved"] is True
    page = sw.get(_url("note-record", child)).content.decode()
    assert "Draft restored" in page
    assert "Spoke to school about</textarea>" in page
    assert sw.post(save, {"kind": "secret", "text": "x"}).status_code == 400
    assert sw.post(save, {"kind": "note", "text": "y" * 20001}).status_code == 400


def test_drafts_are_refused_without_access(client_for: Any, child: Any) -> None:
    save = reverse("casework:draft-save", args=[child.pk])
    for role in ("south_worker", "partner_practitioner", "cp_chair_iro"):
        assert client_for(role).post(save, {"kind": "note", "text": "x"}).status_code == 404
    assert client_for("social_worker").get(save).status_code == 405
    assert not NoteDraft.objects.exists()


# --- Allocation and oversight ------------------------------------------------------------


def test_allocate_and_reallocate(
    sw: Any, tm: Any, users: Any, child: Any, episode: Episode
) -> None:
    url = _url("allocate", child)
    assert sw.get(url).status_code == 403
    page = _errors(tm.post(url, {"worker": ""}))
    assert "Select a social worker" in page
    _saved(tm.post(url, {"worker": users["social_worker"].pk}), child)
    form = tm.get(url).content.decode()
    assert "Why is the case moving?" in form
    page = _errors(tm.post(url, {"worker": users["colleague"].pk}))
    assert "Select why the case is being reallocated" in page
    _saved(tm.post(url, {"worker": users["colleague"].pk, "reason": "MANAGE"}), child)
    assert Allocation.objects.get(child=child, end_date__isnull=True).worker == users["colleague"]


def test_a_manager_takes_a_waiting_child_into_the_team(
    users: Any, people: Any, tm: Any, client_for: Any
) -> None:
    waiting = people["unrelated"]  # South's child: North's manager cannot see it ...
    services.episode_open(
        actor=users["south_worker"],
        child=waiting,
        kind="cin",
        referral_date=REFERRAL,
        primary_need="N1",
    )
    from safehub.access.models import Involvement

    Involvement.objects.filter(person=waiting).update(end_date=TODAY)  # ... until it waits
    url = _url("allocate", waiting)
    assert "Allocate a social worker" in tm.get(url).content.decode()
    _saved(tm.post(url, {"worker": users["social_worker"].pk}), waiting)
    assert tm.get(url).status_code == 200  # now in the team
    assert (
        client_for("south_worker")
        .get(reverse("casework:child-casework", args=[waiting.pk]))
        .status_code
        == 404
    )


def test_oversight(sw: Any, tm: Any, child: Any) -> None:
    url = _url("oversight-record", child)
    assert sw.get(url).status_code == 403
    page = _errors(tm.post(url, {"kind": "supervision", **_d("held_on", TODAY)}))
    assert "Enter what was discussed" in page
    _saved(
        tm.post(
            url,
            {
                "kind": "supervision",
                **_d("held_on", TODAY),
                "discussion": "Reviewed the plan",
                "actions": "Visit weekly",
            },
        ),
        child,
    )
    assert Oversight.objects.get(child=child).actions == "Visit weekly"


# --- My work and the team ----------------------------------------------------------------


def test_my_work_is_the_social_workers_start_page(
    sw: Any, tm: Any, users: Any, child: Any, episode: Episode
) -> None:
    services.allocate(actor=users["team_manager"], child=child, worker=users["social_worker"])
    assert sw.get("/")["Location"] == reverse("casework:my-work")
    page = sw.get(reverse("casework:my-work")).content.decode()
    assert "Amelia Hart" in page
    assert ">My work<" in page
    assert tm.get("/")["Location"] == reverse("casework:team-work")  # North: its caseloads
    team = tm.get(reverse("casework:team-work")).content.decode()
    assert ">Team<" in team
    assert "Caseloads" in team


def test_a_draft_saved_again_is_one_row_updated_in_one_statement(
    sw: Any, users: Any, child: Any
) -> None:
    """Autosave runs every few seconds while a worker types: each save after the first
    updates the one draft in a single statement (ADR 0061), keeping when it was begun."""
    worker = users["social_worker"]
    first = services.draft_save(actor=worker, child=child, kind="visit", text="Seen at")
    begun = NoteDraft.objects.get(pk=first.pk).created_at
    with CaptureQueriesContext(connection) as captured:
        again = services.draft_save(actor=worker, child=child, kind="visit", text="Seen at home")
    writes = [q["sql"] for q in captured.captured_queries if "casework_notedraft" in q["sql"]]
    assert len(writes) == 1
    assert writes[0].startswith("INSERT")
    assert not any("SAVEPOINT" in q["sql"] for q in captured.captured_queries)
    assert again.pk == first.pk
    row = NoteDraft.objects.get(author=worker, child=child, kind="visit")
    assert (row.text, row.created_at, row.updated_at) == ("Seen at home", begun, again.updated_at)
    services.draft_save(actor=worker, child=child, kind="note", text="Other")
    assert NoteDraft.objects.filter(author=worker, child=child).count() == 2
