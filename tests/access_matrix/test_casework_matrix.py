"""Casework: who may read a child's casework and who may record it.

- The casework page: every role × every relation, from CASEWORK_VIEW in matrix.py.
- Every casework form, for a child with a record of every kind: the allocated social worker,
  the team's manager, a worker in another team, a partner practitioner, an analyst and the
  conference chair, each allowed, refused as not found (404) or told it is for managers
  (403), and the restricted child behind the break-glass page.
- Representative POSTs: a refused one changes nothing; an allowed one saves.
"""

from datetime import timedelta
from typing import Any

import pytest
from conftest import TEST_TODAY, shows
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from safehub.audit.models import AuditEvent
from safehub.casework import services
from safehub.casework.models import (
    CaseNote,
    Conference,
    Episode,
    HealthCheck,
    NoteDraft,
    UASCStatus,
    Visit,
)
from tests.access_matrix.matrix import CASEWORK_VIEW, RELATIONS

TODAY = TEST_TODAY
REFERRAL = TODAY - timedelta(days=90)

# Every casework route that is about one child, by who may use it.
VIEW_ROUTES = {"child-casework"}
RECORD_ROUTES = {
    "episode-open",
    "episode-close",
    "primary-need",
    "assessment-start",
    "assessment-seen",
    "assessment-complete",
    "strategy-record",
    "section47-conclude",
    "core-group-record",
    "cin-plan-start",
    "cin-plan-review",
    "cin-plan-end",
    "care-start",
    "care-change",
    "care-end",
    "care-plan",
    "health-check",
    "sdq",
    "substance-misuse",
    "offence",
    "education-plan",
    "uasc",
    "recommendation-done",
    "missing-record",
    "visit-record",
    "note-record",
}
CHAIR_ROUTES = {"conference-initial", "conference-review", "care-review"}
MANAGER_ROUTES = {"assessment-authorise", "allocate", "oversight-record"}
POST_ONLY = {"draft-save"}
ROLE_ROUTES = {"my-work", "team-work"}

# Who, for the involved child (allocated to the social worker, in North's team, chaired by
# the CP chair): A allowed, D not found, M "for managers" (403).
ACTORS = [
    "social_worker",
    "team_manager",
    "south_worker",
    "partner_practitioner",
    "performance_analyst",
    "cp_chair_iro",
]
EXPECTED = {
    "view": "A A D D D A",
    "record": "A A D D D D",
    "chair": "A A D D D A",
    "manager": "M A M M M M",
}


def _group(name: str) -> str:
    for group, routes in (
        ("view", VIEW_ROUTES),
        ("record", RECORD_ROUTES),
        ("chair", CHAIR_ROUTES),
        ("manager", MANAGER_ROUTES),
    ):
        if name in routes:
            return group
    raise AssertionError(name)


def test_every_casework_route_is_in_a_group():
    resolver = next(
        p
        for p in get_resolver().url_patterns
        if isinstance(p, URLResolver) and p.namespace == "casework"
    )
    names = {p.name for p in resolver.url_patterns if isinstance(p, URLPattern)}
    grouped = VIEW_ROUTES | RECORD_ROUTES | CHAIR_ROUTES | MANAGER_ROUTES | POST_ONLY | ROLE_ROUTES
    assert names == grouped


@pytest.mark.parametrize(
    ("role", "relation"), [(r, rel) for r in CASEWORK_VIEW for rel in RELATIONS]
)
def test_casework_page_matrix(role: str, relation: str, people: Any, client_for: Any) -> None:
    person = people[relation]
    expected = CASEWORK_VIEW[role].split()[RELATIONS.index(relation)]
    response = client_for(role).get(reverse("casework:child-casework", args=[person.pk]))
    if expected == "A":
        assert response.status_code == 200, (role, relation)
        assert person.given_name.encode() in response.content
    elif expected == "B":
        assert response.status_code == 302, (role, relation)
        assert response["Location"] == reverse("people:person-break-glass", args=[person.pk])
    else:
        assert response.status_code == 404, (role, relation, response.status_code)
        assert not shows(person.family_name, response.content)


@pytest.fixture
def history(users: Any, people: Any) -> dict[str, int]:
    """The involved child with a record of every kind, and each record's id."""
    child = people["involved"]
    sw = users["social_worker"]
    episode = services.episode_open(
        actor=sw, child=child, kind="cin", referral_date=REFERRAL, primary_need="N1"
    )
    assessment = services.assessment_start(actor=sw, episode=episode, start_date=REFERRAL)
    services.assessment_record_seen(
        actor=sw, assessment=assessment, seen_date=REFERRAL, seen_alone=False
    )
    services.assessment_complete(
        actor=sw,
        assessment=assessment,
        completed_date=REFERRAL,
        factors=["21"],
        summary="No factors",
    )
    cin = services.cin_plan_start(actor=sw, episode=episode, start_date=REFERRAL)
    services.strategy_record(
        actor=sw, episode=episode, held_on=REFERRAL, participants="Police", outcome="s47"
    )
    enquiry = episode.enquiries.get()
    services.section47_conclude(actor=sw, enquiry=enquiry, end_date=REFERRAL, outcome="icpc")
    period = services.care_start(
        actor=sw,
        episode=episode,
        start_date=REFERRAL,
        placement={"legal_status": "V2", "placement_type": "U6", "provider": "PR1"},
    )
    plan = services.conference_initial(
        actor=users["cp_chair_iro"],
        enquiry=enquiry,
        held_on=REFERRAL + timedelta(days=6),  # a Monday: no conference at a weekend
        outcome="plan",
        category="NEG",
    ).plan
    assert plan is not None
    review = services.care_review_record(
        actor=users["cp_chair_iro"],
        period=period,
        held_on=REFERRAL + timedelta(days=10),
        participation="PN1",
        recommendations="Arrange a dental check",
        complete_by=TODAY + timedelta(days=30),
    )
    return {
        "recommendation_id": review.recommendations.get().pk,
        "child": child.pk,
        "episode_id": episode.pk,
        "assessment_id": assessment.pk,
        "enquiry_id": enquiry.pk,
        "cp_plan": plan.pk,
        "cin_plan": cin.pk,
        "period_id": period.pk,
    }


ARGS = {  # the record each route is about
    "episode-close": "episode_id",
    "primary-need": "episode_id",
    "assessment-start": "episode_id",
    "strategy-record": "episode_id",
    "cin-plan-start": "episode_id",
    "care-start": "episode_id",
    "assessment-seen": "assessment_id",
    "assessment-complete": "assessment_id",
    "assessment-authorise": "assessment_id",
    "section47-conclude": "enquiry_id",
    "conference-initial": "enquiry_id",
    "core-group-record": "cp_plan",
    "conference-review": "cp_plan",
    "cin-plan-review": "cin_plan",
    "cin-plan-end": "cin_plan",
    "care-change": "period_id",
    "care-review": "period_id",
    "care-end": "period_id",
    "care-plan": "period_id",
    "health-check": "period_id",
    "sdq": "period_id",
    "substance-misuse": "period_id",
    "offence": "period_id",
    "education-plan": "period_id",
    "recommendation-done": "recommendation_id",
}


def _url(name: str, ids: dict[str, int]) -> str:
    args = [ids["child"]] + ([ids[ARGS[name]]] if name in ARGS else [])
    return reverse(f"casework:{name}", args=args)


SWEEP = [
    (name, actor)
    for name in sorted(VIEW_ROUTES | RECORD_ROUTES | CHAIR_ROUTES | MANAGER_ROUTES)
    for actor in ACTORS
]


@pytest.mark.parametrize(("name", "actor"), SWEEP)
def test_every_casework_page_for_each_relation(
    name: str, actor: str, history: Any, people: Any, client_for: Any
) -> None:
    expected = EXPECTED[_group(name)].split()[ACTORS.index(actor)]
    response = client_for(actor).get(_url(name, history))
    wanted = {"A": 200, "D": 404, "M": 403}[expected]
    assert response.status_code == wanted, (name, actor, response.status_code)
    child = people["involved"]
    if expected == "A":
        assert child.given_name.encode() in response.content
    else:
        assert not shows(child.family_name, response.content)


@pytest.mark.parametrize("name", sorted(VIEW_ROUTES | {"note-record", "visit-record", "allocate"}))
def test_a_restricted_child_is_behind_the_break_glass_page(
    name: str, people: Any, client_for: Any
) -> None:
    restricted = people["restricted"]  # North's; nobody on its allow-list
    response = client_for("team_manager").get(reverse(f"casework:{name}", args=[restricted.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("people:person-break-glass", args=[restricted.pk])
    allowed = people["restricted_allowed"]  # the social worker is on its allow-list
    assert client_for("social_worker").get(
        reverse(f"casework:{name}", args=[allowed.pk])
    ).status_code in (200, 403)


def test_refused_posts_change_nothing(history: Any, client_for: Any, people: Any) -> None:
    child = people["involved"]
    note = reverse("casework:note-record", args=[child.pk])
    visit = reverse("casework:visit-record", args=[child.pk])
    draft = reverse("casework:draft-save", args=[child.pk])
    for role in ("south_worker", "partner_practitioner", "performance_analyst", "cp_chair_iro"):
        client = client_for(role)
        assert client.post(note, {"text": "Not theirs to write"}).status_code == 404
        assert (
            client.post(
                visit,
                {
                    "visited_on-day": str(TODAY.day),
                    "visited_on-month": str(TODAY.month),
                    "visited_on-year": str(TODAY.year),
                    "seen": "alone",
                },
            ).status_code
            == 404
        )
        assert client.post(draft, {"kind": "note", "text": "x"}).status_code == 404
    assert not CaseNote.objects.exists()
    assert not Visit.objects.exists()
    assert not NoteDraft.objects.exists()


def test_refused_health_records_change_nothing(history: Any, client_for: Any, people: Any) -> None:
    child = people["involved"]
    health = reverse("casework:health-check", args=[child.pk, history["period_id"]])
    uasc = reverse("casework:uasc", args=[child.pk])
    day = {"-day": str(TODAY.day), "-month": str(TODAY.month), "-year": str(TODAY.year)}
    for role in ("south_worker", "partner_practitioner", "performance_analyst", "cp_chair_iro"):
        client = client_for(role)
        held = {f"held_on{k}": v for k, v in day.items()}
        assert client.post(health, {**held, "kind": "dental"}).status_code == 404
        began = {f"started_on{k}": v for k, v in day.items()}
        assert client.post(uasc, began).status_code == 404
    assert not HealthCheck.objects.exists()
    assert not UASCStatus.objects.exists()
    held = {f"held_on{k}": v for k, v in day.items()}
    response = client_for("social_worker").post(health, {**held, "kind": "dental"})
    assert response.status_code == 302
    assert HealthCheck.objects.filter(kind="dental").count() == 1


def test_refusals_are_audited_as_refusals_never_as_views(
    history: Any, users: Any, client_for: Any, people: Any
) -> None:
    child = people["involved"]
    for role in ("south_worker", "partner_practitioner"):
        client_for(role).get(reverse("casework:child-casework", args=[child.pk]))
        client_for(role).get(reverse("casework:visit-record", args=[child.pk]))
    rows = AuditEvent.objects.filter(
        person_id=child.pk, actor__in=[users["south_worker"], users["partner_practitioner"]]
    )
    # The partner never reaches the casework page (a role refusal, before any record);
    # the visit form fetches the child, and that refusal is audited for both.
    assert sorted(rows.values_list("actor_role", "action", "detail__action")) == [
        ("partner_practitioner", "refused", "edit"),
        ("social_worker", "refused", "edit"),
        ("social_worker", "refused", "view"),
    ]


def test_allowed_posts_save(history: Any, client_for: Any, people: Any, users: Any) -> None:
    child = people["involved"]
    today = {
        "held_on-day": str(TODAY.day),
        "held_on-month": str(TODAY.month),
        "held_on-year": str(TODAY.year),
    }
    review = reverse("casework:conference-review", args=[child.pk, history["cp_plan"]])
    response = client_for("cp_chair_iro").post(review, {**today, "outcome": "continue"})
    assert response.status_code == 302
    assert Conference.objects.filter(kind="review", chair=users["cp_chair_iro"]).exists()
    note = reverse("casework:note-record", args=[child.pk])
    assert client_for("social_worker").post(note, {"text": "Rang school"}).status_code == 302
    need = reverse("casework:primary-need", args=[child.pk, history["episode_id"]])
    assert client_for("social_worker").post(need, {"primary_need": "N5"}).status_code == 302
    assert Episode.objects.get(pk=history["episode_id"]).primary_need == "N5"
    authorise = reverse("casework:assessment-authorise", args=[child.pk, history["assessment_id"]])
    dated = {
        "authorised_date-day": str(TODAY.day),
        "authorised_date-month": str(TODAY.month),
        "authorised_date-year": str(TODAY.year),
    }
    assert client_for("social_worker").post(authorise, dated).status_code == 403
    assert client_for("team_manager").post(authorise, dated).status_code == 302
