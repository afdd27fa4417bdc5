"""The casework API over real HTTP requests: a child's records one kind at a time, the
chronology a page at a time, and recording a visit or a case note, as a partner system
calling with the allocated social worker's token would."""

import json
from datetime import timedelta
from typing import Any

import pytest
from conftest import TEST_TODAY
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from safehub.access.services import break_glass_open
from safehub.audit.models import AuditEvent
from safehub.casework import services
from safehub.casework.models import CaseNote, MissingEpisode, Visit
from safehub.chronology.models import ChronologyEntry
from safehub.chronology.selectors import chronology_page_for_person
from safehub.people.services import relationship_create
from tests.api.test_api import Api, assert_problem, make_token

pytestmark = pytest.mark.django_db

TODAY = TEST_TODAY
REFERRAL = TODAY - timedelta(days=90)

READS = [
    "episodes",
    "assessments",
    "strategy-discussions",
    "section-47-enquiries",
    "conferences",
    "cp-plans",
    "cin-plans",
    "care-periods",
    "allocations",
    "visits",
    "missing-episodes",
    # Children in care and care leavers (ADR 0028, 0030, 0035).
    "health-checks",
    "sdq-scores",
    "substance-misuse",
    "offences",
    "education-plans",
    "uasc-status",
    "care-reviews",
    "care-leaver",
    "care-plans",
    "reviewing-officers",
    "iro-contacts",
    "delegated-decisions",
]
PAGED = {"visits", "missing-episodes"}


@pytest.fixture
def sw_api(users) -> Api:
    return Api(make_token(users["social_worker"]))


def api_for(users: dict[str, Any], role: str) -> Api:
    return Api(make_token(users[role]))


@pytest.fixture
def history(users: Any, people: Any) -> dict[str, Any]:
    """The involved child (allocated to the social worker) with a record of every kind."""
    child = people["involved"]
    sw, tm, chair = users["social_worker"], users["team_manager"], users["cp_chair_iro"]
    episode = services.episode_open(
        actor=sw,
        child=child,
        kind="cin",
        referral_date=REFERRAL,
        referral_source="2A",
        primary_need="N1",
    )
    assessment = services.assessment_start(actor=sw, episode=episode, start_date=REFERRAL)
    services.assessment_record_seen(
        actor=sw, assessment=assessment, seen_date=REFERRAL, seen_alone=True
    )
    services.assessment_complete(
        actor=sw,
        assessment=assessment,
        completed_date=REFERRAL + timedelta(days=3),
        factors=["16A", "3B"],
        summary="Neglect and domestic abuse",
    )
    services.assessment_authorise(
        actor=tm, assessment=assessment, authorised_date=REFERRAL + timedelta(days=4)
    )
    cin = services.cin_plan_start(actor=sw, episode=episode, start_date=REFERRAL)
    services.cin_plan_review(actor=sw, plan=cin, held_on=REFERRAL + timedelta(days=1))
    strategy = services.strategy_record(
        actor=sw, episode=episode, held_on=REFERRAL, participants="Police, school", outcome="s47"
    )
    enquiry = episode.enquiries.get()
    services.section47_conclude(actor=sw, enquiry=enquiry, end_date=REFERRAL, outcome="icpc")
    period = services.care_start(
        actor=sw,
        episode=episode,
        start_date=REFERRAL,
        placement={
            "legal_status": "V2",
            "placement_type": "U6",
            "provider": "PR1",
            "carer_name": "Mr and Mrs Field",
        },
    )
    conference = services.conference_initial(
        actor=chair,
        enquiry=enquiry,
        held_on=REFERRAL + timedelta(days=6),  # a Monday: no conference at a weekend
        outcome="plan",
        category="NEG",
    )
    plan = conference.plan
    assert plan is not None
    services.core_group_record(
        actor=sw, plan=plan, held_on=REFERRAL + timedelta(days=12), notes="Core group met"
    )
    # A looked-after review with a recommendation (so its list has one to carry).
    services.care_review_record(
        actor=chair,
        period=period,
        held_on=REFERRAL + timedelta(days=7),
        participation="PN1",
        recommendations="Book a dental check",
        complete_by=REFERRAL + timedelta(days=40),
    )
    allocation = services.allocate(actor=tm, child=child, worker=sw, reason="NEW")
    visit = services.visit_record(
        actor=sw, child=child, visited_on=REFERRAL + timedelta(days=20), child_seen=True
    )
    missing = services.missing_record(
        actor=sw,
        child=child,
        kind="M",
        start_date=REFERRAL + timedelta(days=30),
        end_date=REFERRAL + timedelta(days=31),
        interview_offered=True,
    )
    return {
        "missing": missing,
        "child": child,
        "episode": episode,
        "assessment": assessment,
        "strategy": strategy,
        "enquiry": enquiry,
        "conference": conference,
        "cp_plan": plan,
        "cin_plan": cin,
        "period": period,
        "allocation": allocation,
        "visit": visit,
    }


def read(api: Api, child: Any, what: str, query: str = "") -> Any:
    return api.call("get", f"/children/{child.pk}/{what}{query}")


# --- Each kind of record -----------------------------------------------------------------


def test_episodes_come_with_their_census_codes_and_labels(sw_api, history, users):
    response = read(sw_api, history["child"], "episodes")
    assert response.status_code == 200, response.content
    assert response.json() == [
        {
            "id": history["episode"].pk,
            "kind": {"code": "cin", "label": "Child in need (children's social care)"},
            "referral_date": REFERRAL.isoformat(),
            "referral_source": {"code": "2A", "label": "School"},
            "primary_need": {"code": "N1", "label": "Abuse or neglect"},
            "closure_date": None,
            "closure_reason": None,
            "open": True,
            "opened_by": str(users["social_worker"]),
        }
    ]


def test_a_closed_early_help_episode_names_its_closure_in_early_helps_own_codes(
    sw_api, users, people
):
    child = people["involved"]
    episode = services.episode_open(
        actor=users["social_worker"], child=child, kind="early_help", referral_date=REFERRAL
    )
    services.episode_close(
        actor=users["social_worker"], episode=episode, closure_date=TODAY, reason="met"
    )
    [shown] = read(sw_api, child, "episodes").json()
    assert shown["closure_reason"] == {"code": "met", "label": "Outcomes achieved"}
    assert (shown["open"], shown["closure_date"]) == (False, TODAY.isoformat())
    assert shown["referral_source"] is None  # not recorded: null, not an empty code


def test_assessments_show_the_factors_found_and_who_completed_and_authorised(
    sw_api, history, users
):
    [shown] = read(sw_api, history["child"], "assessments").json()
    assert shown["episode_id"] == history["episode"].pk
    assert shown["factors"] == [
        {"code": "16A", "label": "Neglect"},
        {"code": "3B", "label": "Domestic abuse: parent or carer"},
    ]
    assert (shown["child_seen_date"], shown["child_seen_alone"]) == (REFERRAL.isoformat(), True)
    assert shown["completed_by"] == str(users["social_worker"])
    assert shown["authorised_by"] == str(users["team_manager"])
    assert shown["summary"] == "Neglect and domestic abuse"


def test_strategy_discussions_and_section_47_enquiries(sw_api, history):
    [strategy] = read(sw_api, history["child"], "strategy-discussions").json()
    assert strategy["outcome"] == {"code": "s47", "label": "Start a section 47 enquiry"}
    assert strategy["participants"] == "Police, school"
    [enquiry] = read(sw_api, history["child"], "section-47-enquiries").json()
    assert enquiry["strategy_discussion_id"] == strategy["id"] == history["strategy"].pk
    assert enquiry["outcome"]["code"] == "icpc"
    assert enquiry["end_date"] == REFERRAL.isoformat()


def test_conferences_name_their_chair_outcome_and_category(sw_api, history, users):
    [conference] = read(sw_api, history["child"], "conferences").json()
    assert conference["kind"] == {"code": "initial", "label": "Initial child protection conference"}
    assert conference["outcome"]["code"] == "plan"
    assert conference["category"] == {"code": "NEG", "label": "Neglect"}
    assert conference["chair"] == str(users["cp_chair_iro"])
    assert conference["cp_plan_id"] == history["cp_plan"].pk
    assert conference["section47_id"] == history["enquiry"].pk


def test_plans_carry_their_core_groups_and_reviews(sw_api, history):
    [cp] = read(sw_api, history["child"], "cp-plans").json()
    assert cp["initial_category"] == cp["latest_category"] == {"code": "NEG", "label": "Neglect"}
    assert [g["notes"] for g in cp["core_groups"]] == ["Core group met"]
    assert cp["end_date"] is None
    [cin] = read(sw_api, history["child"], "cin-plans").json()
    assert cin["id"] == history["cin_plan"].pk
    assert [r["held_on"] for r in cin["reviews"]] == [(REFERRAL + timedelta(days=1)).isoformat()]


def test_care_periods_carry_their_903_episodes_without_the_placement_address(sw_api, history):
    [period] = read(sw_api, history["child"], "care-periods").json()
    [placement] = period["placements"]
    assert placement["legal_status"] == {
        "code": "V2",
        "label": "Single period of accommodation under section 20",
    }
    assert placement["placement_type"] == {"code": "U6", "label": "Foster carer: other"}
    assert placement["provider"]["code"] == "PR1"
    assert placement["reason_new_episode"]["code"] == "S"
    assert placement["carer_name"] == "Mr and Mrs Field"
    assert not {"home_postcode", "placement_postcode", "urn"} & set(placement)


def test_allocations_say_who_holds_the_case_and_why(sw_api, history, users):
    [allocation] = read(sw_api, history["child"], "allocations").json()
    assert allocation["worker"] == str(users["social_worker"])
    assert allocation["team"] == "North (Testshire County Council)"
    assert allocation["reason"] == {"code": "NEW", "label": "First allocation"}
    assert allocation["end_date"] is None


def test_visits_come_a_page_at_a_time_newest_first(sw_api, history, users):
    child, sw = history["child"], users["social_worker"]
    for days in range(1, 30):  # 29 more: 30 in all
        services.visit_record(
            actor=sw, child=child, visited_on=TODAY - timedelta(days=days), child_seen=True
        )
    first = read(sw_api, child, "visits").json()
    assert (first["page"], first["pages"], first["total"], len(first["items"])) == (1, 2, 30, 25)
    assert first["items"][0]["visited_on"] == (TODAY - timedelta(days=1)).isoformat()
    assert first["items"][0]["kind"] == {"code": "cp", "label": "Child protection visit"}
    second = read(sw_api, child, "visits", "?page=2").json()
    assert len(second["items"]) == 5
    assert second["items"][-1]["id"] == history["visit"].pk  # the oldest, last
    ids = [v["id"] for v in first["items"] + second["items"]]
    assert len(set(ids)) == 30
    past_the_end = read(sw_api, child, "visits", "?page=9").json()
    assert past_the_end["page"] == 2
    small = read(sw_api, child, "visits", "?size=10&page=3").json()
    assert [v["id"] for v in small["items"]] == ids[20:30]


def test_missing_episodes_say_whether_a_return_interview_was_offered(sw_api, history):
    body = read(sw_api, history["child"], "missing-episodes").json()
    assert body["total"] == 1
    [shown] = body["items"]
    assert shown == {
        "id": history["missing"].pk,
        "kind": {"code": "M", "label": "Missing"},
        "start_date": (REFERRAL + timedelta(days=30)).isoformat(),
        "end_date": (REFERRAL + timedelta(days=31)).isoformat(),
        "return_interview_offered": True,
        "return_interview_accepted": None,
        "recorded_by": "Sw Tester",
    }


@pytest.mark.parametrize("query", ["?page=0", "?size=0", "?size=101", "?page=abc"])
def test_a_page_that_cannot_be_asked_for_gets_422(sw_api, history, query):
    body = assert_problem(read(sw_api, history["child"], "visits", query), 422)
    assert set(body["errors"]) <= {"page", "size"}


def test_a_child_with_no_casework_gets_empty_lists(sw_api, people):
    child = people["involved"]
    for what in READS:
        body = read(sw_api, child, what).json()
        assert body == ({"items": [], "page": 1, "pages": 1, "total": 0} if what in PAGED else [])


def _queries(api: Api, child: Any, what: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert read(api, child, what).status_code == 200
    return len(captured)


@pytest.mark.parametrize("what", READS)
def test_reading_casework_takes_the_same_queries_however_long_the_history(
    sw_api, history, users, what
):
    child, sw = history["child"], users["social_worker"]
    _queries(sw_api, child, what)  # the token's first use of the minute is recorded
    before = _queries(sw_api, child, what)
    for days in range(1, 6):
        services.visit_record(
            actor=sw, child=child, visited_on=TODAY - timedelta(days=days), child_seen=True
        )
        services.core_group_record(actor=sw, plan=history["cp_plan"], held_on=TODAY)
        services.cin_plan_review(actor=sw, plan=history["cin_plan"], held_on=TODAY)
        services.care_review_record(
            actor=sw, period=history["period"], held_on=TODAY, participation="PN1"
        )
        services.missing_record(
            actor=sw,
            child=child,
            kind="A",
            start_date=TODAY - timedelta(days=10 * days),
            end_date=TODAY - timedelta(days=10 * days),
        )
    assert _queries(sw_api, child, what) == before


# --- Who may read, and the audit trail ---------------------------------------------------


@pytest.mark.parametrize("what", READS)
def test_every_read_writes_one_view_row_for_the_child(sw_api, history, users, what):
    child = history["child"]
    before = AuditEvent.objects.count()
    assert read(sw_api, child, what).status_code == 200
    rows = list(AuditEvent.objects.order_by("pk")[before:])
    assert [(r.action, r.person_id, r.actor_id, r.channel) for r in rows] == [
        ("view", child.pk, users["social_worker"].pk, "api")
    ]


@pytest.mark.parametrize("what", READS)
def test_a_hidden_restricted_or_missing_child_is_the_same_not_found(users, people, what):
    south = api_for(users, "south_worker")  # another team's worker
    hidden = assert_problem(read(south, people["involved"], what), 404)
    restricted = assert_problem(read(south, people["restricted"], what), 404)
    missing = assert_problem(south.call("get", f"/children/987654321/{what}"), 404)
    assert hidden == restricted == missing
    assert not AuditEvent.objects.filter(action="view").exists()
    refused = AuditEvent.objects.filter(action="refused", person_id=people["involved"].pk)
    assert refused.count() == 1


@pytest.mark.parametrize("role", ["partner_practitioner", "performance_analyst"])
def test_roles_without_casework_are_told_not_found_even_for_a_child_they_know(users, history, role):
    api = api_for(users, role)
    for what in READS:
        assert_problem(read(api, history["child"], what), 404)
    assert not AuditEvent.objects.filter(action="view").exists()


def test_a_restricted_child_opens_once_the_glass_is_broken_on_the_page(users, people):
    tm = users["team_manager"]
    child = people["restricted"]  # North's; the manager must break the glass
    api = api_for(users, "team_manager")
    assert_problem(read(api, child, "episodes"), 404)
    assert AuditEvent.objects.filter(action="break_glass_prompt", person_id=child.pk).exists()
    break_glass_open(actor=tm, person=child, reason="Police called about the child tonight")
    services.episode_open(
        actor=tm, child=child, kind="cin", referral_date=REFERRAL, primary_need="N1"
    )
    response = read(api, child, "episodes")
    assert response.status_code == 200
    assert len(response.json()) == 1


def test_the_conference_chair_reads_their_own_childs_casework(users, history):
    chair = api_for(users, "cp_chair_iro")
    [conference] = read(chair, history["child"], "conferences").json()
    assert conference["id"] == history["conference"].pk


# --- The chronology ----------------------------------------------------------------------


def chronology(api: Api, person: Any, query: str = "") -> Any:
    return api.call("get", f"/persons/{person.pk}/chronology{query}")


def test_the_chronology_is_the_person_pages_timeline_page_by_page(sw_api, history, users):
    child = history["child"]
    total = ChronologyEntry.objects.filter(links__person=child).count()
    assert total > 10
    body = chronology(sw_api, child, "?size=10").json()
    assert (body["total"], body["pages"], body["page"]) == (total, -(-total // 10), 1)
    page = chronology_page_for_person(actor=users["social_worker"], person=child, size=10)
    assert [e["id"] for e in body["items"]] == [e.id for e in page.entries]
    second = chronology(sw_api, child, "?size=10&page=2").json()
    assert [e["id"] for e in second["items"]] == [
        e.id
        for e in chronology_page_for_person(
            actor=users["social_worker"], person=child, page=2, size=10
        ).entries
    ]
    visit = next(e for e in body["items"] + second["items"] if e["event_type"]["code"] == "VISIT")
    assert visit["event_type"]["label"] == "Statutory visit"
    assert visit["time_known"] is False
    assert visit["summary"] == "Child protection visit: child seen"
    assert visit["significance"] == {"code": 2, "label": "Medium"}
    assert visit["done_by"] == visit["recorded_by"] == "Sw Tester"


def test_the_chronology_is_open_to_a_partner_who_may_see_the_child(users, history, people):
    partner = api_for(users, "partner_practitioner")  # the school contributes
    before = AuditEvent.objects.count()
    response = chronology(partner, history["child"])
    assert response.status_code == 200
    assert response.json()["total"] > 0
    rows = list(AuditEvent.objects.order_by("pk")[before:])
    assert [(r.action, r.person_id) for r in rows] == [("view", history["child"].pk)]
    # ... but not to a child the school has no part in, nor a restricted one.
    for other in ("unrelated", "restricted"):
        assert_problem(chronology(partner, people[other]), 404)


def test_the_chronology_never_names_a_restricted_relative(users, people):
    """An entry about two people (a relationship) is written once for each and names
    neither: a partner reading the child's chronology learns nothing of the restricted
    sister the social worker (on her allow-list) recorded."""
    child, sister = people["involved"], people["restricted_allowed"]
    relationship_create(actor=users["social_worker"], subject=child, other=sister, type="sibling")
    partner = api_for(users, "partner_practitioner")
    body = chronology(partner, child, "?size=100").json()
    assert body["total"] >= 1
    text = json.dumps(body)
    assert sister.given_name not in text
    assert sister.family_name not in text
    for entry in body["items"]:
        assert set(entry) == {
            "id",
            "occurred_at",
            "time_known",
            "event_type",
            "significance",
            "summary",
            "source_agency",
            "done_by",
            "recorded_by",
            "recorded_at",
        }


# --- Recording a visit -------------------------------------------------------------------


def test_recording_a_visit_saves_it_for_the_page_and_the_chronology(
    sw_api, history, users, client_for
):
    child = history["child"]
    before = AuditEvent.objects.count()
    response = sw_api.call(
        "post",
        f"/children/{child.pk}/visits",
        {
            "visited_on": TODAY.isoformat(),
            "child_seen": True,
            "seen_alone": True,
            "bedroom_seen": True,
            "note": "Spoke with Amelia about school",
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    visit = Visit.objects.get(pk=body["id"])
    assert (visit.child_seen_alone, visit.bedroom_seen, visit.recorded_by) == (
        True,
        True,
        users["social_worker"],
    )
    assert body["kind"] == {"code": "cp", "label": "Child protection visit"}
    assert body["note"] == "Spoke with Amelia about school"
    # One audit row, the change, marked as from the API.
    rows = list(AuditEvent.objects.order_by("pk")[before:])
    assert [(r.action, r.object_type, r.channel) for r in rows] == [
        ("change", "casework.Visit", "api")
    ]
    page = client_for("social_worker").get(reverse("casework:child-casework", args=[child.pk]))
    assert b"Spoke with Amelia about school" in page.content
    latest = chronology(sw_api, child).json()["items"][0]
    assert latest["event_type"]["code"] == "VISIT"
    assert latest["summary"] == "Child protection visit: child seen alone; bedroom seen"
    assert read(sw_api, child, "visits").json()["items"][0]["id"] == visit.pk


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"visited_on": (TODAY + timedelta(days=1)).isoformat(), "child_seen": True}, "visited_on"),
        ({"visited_on": TODAY.isoformat(), "child_seen": False, "seen_alone": True}, "seen_alone"),
        ({"visited_on": "23/11/2026", "child_seen": True}, "visited_on"),
        ({"visited_on": TODAY.isoformat()}, "child_seen"),
        ({"visited_on": TODAY.isoformat(), "child_seen": True, "note": "x" * 5001}, "note"),
        ({"visited_on": TODAY.isoformat(), "child_seen": True, "note": "a\u202eb"}, "note"),
    ],
)
def test_a_visit_that_cannot_be_saved_gets_422_naming_the_field_and_saves_nothing(
    sw_api, history, body, field
):
    visits, entries = Visit.objects.count(), ChronologyEntry.objects.count()
    response = sw_api.call("post", f"/children/{history['child'].pk}/visits", body)
    problem = assert_problem(response, 422)
    assert list(problem["errors"]) == [field]
    assert (Visit.objects.count(), ChronologyEntry.objects.count()) == (visits, entries)


def test_a_visit_for_a_child_with_no_open_episode_is_refused_in_plain_english(sw_api, people):
    child = people["involved"]
    response = sw_api.call(
        "post",
        f"/children/{child.pk}/visits",
        {"visited_on": TODAY.isoformat(), "child_seen": True},
    )
    problem = assert_problem(response, 422)
    assert problem["errors"] == {
        "__all__": ["This child has no open episode to record a visit against"]
    }
    assert not Visit.objects.exists()


@pytest.mark.parametrize(
    "role", ["south_worker", "partner_practitioner", "cp_chair_iro", "performance_analyst"]
)
def test_a_visit_from_someone_who_may_not_record_is_not_found_and_saves_nothing(
    users, history, role
):
    before = Visit.objects.count()
    response = api_for(users, role).call(
        "post",
        f"/children/{history['child'].pk}/visits",
        {"visited_on": TODAY.isoformat(), "child_seen": True},
    )
    assert_problem(response, 404)
    assert Visit.objects.count() == before
    assert AuditEvent.objects.filter(
        action="refused", actor=users[role], person_id=history["child"].pk
    ).exists()


# --- Adding a case note ------------------------------------------------------------------


def test_a_case_note_is_saved_and_shown_on_the_casework_page(sw_api, history, client_for, users):
    child = history["child"]
    entries = ChronologyEntry.objects.count()
    response = sw_api.call(
        "post", f"/children/{child.pk}/case-notes", {"text": "Rang the school about attendance"}
    )
    assert response.status_code == 201, response.content
    body = response.json()
    note = CaseNote.objects.get(pk=body["id"])
    assert (note.text, note.significant, note.author) == (
        "Rang the school about attendance",
        False,
        users["social_worker"],
    )
    assert body["author"] == str(users["social_worker"])
    assert ChronologyEntry.objects.count() == entries  # not significant: not on the timeline
    page = client_for("social_worker").get(reverse("casework:child-casework", args=[child.pk]))
    assert b"Rang the school about attendance" in page.content
    assert AuditEvent.objects.filter(
        action="change", object_type="casework.CaseNote", object_id=str(note.pk), channel="api"
    ).exists()


def test_a_significant_case_note_goes_on_the_chronology(sw_api, history):
    child = history["child"]
    response = sw_api.call(
        "post",
        f"/children/{child.pk}/case-notes",
        {"text": "Mother disclosed a new partner", "significant": True},
    )
    assert response.status_code == 201
    latest = chronology(sw_api, child).json()["items"][0]
    assert latest["event_type"] == {"code": "CASE_NOTE", "label": "Case note"}
    assert latest["summary"] == "Mother disclosed a new partner"


@pytest.mark.parametrize(
    ("body", "field"),
    [({"text": ""}, "text"), ({"text": "   "}, "text"), ({}, "text"), ({"text": "a\x00b"}, "text")],
)
def test_an_empty_or_unreadable_note_gets_422_and_saves_nothing(sw_api, history, body, field):
    response = sw_api.call("post", f"/children/{history['child'].pk}/case-notes", body)
    problem = assert_problem(response, 422)
    assert list(problem["errors"]) == [field]
    assert not CaseNote.objects.exists()


def test_a_note_for_a_child_outside_the_workers_reach_is_not_found(users, people):
    response = api_for(users, "social_worker").call(
        "post", f"/children/{people['unrelated'].pk}/case-notes", {"text": "Not theirs"}
    )
    assert_problem(response, 404)
    assert not CaseNote.objects.exists()


# --- Recording a missing episode --------------------------------------------------------


def test_a_missing_episode_is_saved_for_the_page_and_the_chronology(sw_api, history, client_for):
    child = history["child"]
    response = sw_api.call(
        "post",
        f"/children/{child.pk}/missing-episodes",
        {"kind": "A", "start_date": (TODAY - timedelta(days=2)).isoformat()},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["kind"] == {"code": "A", "label": "Away without authorisation"}
    assert body["end_date"] is None
    started = (TODAY - timedelta(days=2)).strftime("%-d %B %Y")
    entries = chronology(sw_api, child).json()["items"]
    assert {
        "event_type": {"code": "MISSING_EPISODE", "label": "Missing from care or home"},
        "summary": f"Away without authorisation from {started}",
    } in [{k: e[k] for k in ("event_type", "summary")} for e in entries]
    assert read(sw_api, child, "missing-episodes").json()["items"][0]["id"] == body["id"]
    page = client_for("social_worker").get(reverse("casework:child-casework", args=[child.pk]))
    assert b"Away without authorisation" in page.content


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        (  # 903 rule 574: it overlaps the one already recorded
            {
                "kind": "M",
                "start_date": (REFERRAL + timedelta(days=29)).isoformat(),
                "end_date": (REFERRAL + timedelta(days=30)).isoformat(),
            },
            {"__all__": ["This overlaps a missing episode already recorded"]},
        ),
        (
            {
                "kind": "M",
                "start_date": (TODAY - timedelta(days=1)).isoformat(),
                "end_date": (TODAY - timedelta(days=2)).isoformat(),
            },
            "end_date",
        ),
        ({"kind": "X", "start_date": TODAY.isoformat()}, "kind"),
        ({"kind": "M", "start_date": (TODAY + timedelta(days=1)).isoformat()}, "start_date"),
    ],
)
def test_a_missing_episode_that_cannot_be_saved_gets_422_and_saves_nothing(
    sw_api, history, body, errors
):
    before = MissingEpisode.objects.count()
    response = sw_api.call("post", f"/children/{history['child'].pk}/missing-episodes", body)
    problem = assert_problem(response, 422)
    if isinstance(errors, dict):
        assert problem["errors"] == errors
    else:
        assert list(problem["errors"]) == [errors]
    assert MissingEpisode.objects.count() == before


# --- Sent twice --------------------------------------------------------------------------


def send(api: Api, path: str, body: dict[str, Any], key: str) -> Any:
    return api.client.post(
        f"/api/v1{path}",
        data=json.dumps(body),
        content_type="application/json",
        headers={**api.headers, "Idempotency-Key": key},
    )


@pytest.mark.parametrize(
    ("what", "body", "model"),
    [
        ("visits", {"visited_on": TODAY.isoformat(), "child_seen": True}, Visit),
        ("case-notes", {"text": "Rang the school", "significant": True}, CaseNote),
    ],
)
def test_a_retry_with_the_same_key_returns_the_first_record_and_saves_nothing_new(
    sw_api, history, what, body, model
):
    path = f"/children/{history['child'].pk}/{what}"
    first = send(sw_api, path, body, "retry-1")
    assert first.status_code == 201, first.content
    counts = (model.objects.count(), ChronologyEntry.objects.count(), AuditEvent.objects.count())
    again = send(sw_api, path, body, "retry-1")
    assert again.status_code == 200, again.content
    assert again.json() == first.json()
    assert (
        model.objects.count(),
        ChronologyEntry.objects.count(),
        AuditEvent.objects.count(),
    ) == counts
    # The same key with something else in it is refused, and saves nothing either.
    changed = send(sw_api, path, {**body, "child_seen": False, "text": "Other"}, "retry-1")
    problem = assert_problem(changed, 422)
    assert problem["errors"] == {
        "Idempotency-Key": ["This key was already used with different content"]
    }
    assert model.objects.count() == counts[0]
    # Another key records again.
    assert send(sw_api, path, body, "retry-2").status_code == 201
    assert model.objects.count() == counts[0] + 1


def test_a_refused_visit_leaves_its_key_free_for_the_corrected_one(sw_api, history):
    path = f"/children/{history['child'].pk}/visits"
    future = (TODAY + timedelta(days=1)).isoformat()
    assert_problem(send(sw_api, path, {"visited_on": future, "child_seen": True}, "k"), 422)
    fixed = send(sw_api, path, {"visited_on": TODAY.isoformat(), "child_seen": True}, "k")
    assert fixed.status_code == 201


def test_an_idempotency_key_that_is_not_one_gets_422(sw_api, history):
    body = {"text": "Rang the school"}
    response = send(sw_api, f"/children/{history['child'].pk}/case-notes", body, "x" * 61)
    assert assert_problem(response, 422)["errors"] == {
        "Idempotency-Key": ["Send up to 60 printable characters"]
    }
    assert not CaseNote.objects.exists()
