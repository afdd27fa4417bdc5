"""What the demo council lacks for every form to be shown: records that arrive with use
(a subject access request, a grant waiting for a second administrator, an Operation
Encompass notice, a partner's upload to confirm, a profile being written), made by the
product's own services as the users who would make them, so each is in the state, and
carries the audit rows and chronology, that its pages expect.

`furnish()` runs after the council is loaded and before the crawl (tests/fuzz/test_forms.py
inside the rolled-back fixture; bench/fuzz.py once, when it loads the council).
"""

import csv
import io
from datetime import date, timedelta
from typing import Any

from conftest import TEST_TODAY
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from safehub.access import policy
from safehub.access import services as access_services
from safehub.access.models import Involvement, InvolvementKind
from safehub.access.policy import Action, Decision
from safehub.access.roles import Role
from safehub.casework import services as casework
from safehub.casework.codes import Section47Outcome, StrategyOutcome
from safehub.casework.models import Episode, EpisodeKind, Section47
from safehub.concerns.services import concerns_sweep
from safehub.demo.generator.concern_alerts import switch_rules_on
from safehub.frontdoor import selectors
from safehub.frontdoor import services as frontdoor
from safehub.frontdoor.carry_over import contact_suggestions
from safehub.frontdoor.codes import Decision as MashDecision
from safehub.frontdoor.codes import LevelOfNeed, Rag, Status
from safehub.frontdoor.models import Contact, ContactSubject
from safehub.leaving_care.eligibility import birthday
from safehub.leaving_care.models import CareLeaver
from safehub.leaving_care.services import staying_put_start
from safehub.neglect.models import ItemGrade, ProfileTemplate
from safehub.neglect.services import (
    profile_complete,
    profile_record_grades,
    profile_record_plan,
    profile_start,
)
from safehub.neglect.services.training import CSV_COLUMNS
from safehub.organisations.models import User
from safehub.organisations.services import user_update
from safehub.partners.parsing import FIELDS
from safehub.partners.services import partner_events_receive, partner_upload_create
from safehub.partners.uploads import template_csv
from safehub.people.models import Person
from safehub.people.services import person_create
from safehub.permanence.services import adoption_decide, liberty_order_record
from safehub.retention.services import record_hold, reviews_list_due
from safehub.subjectaccess.services import sar_compile, sar_record


def _user(username: str) -> User:
    return User.objects.get(username=username)


def _allocated_child(worker: User, skip: int = 0) -> Person:
    """A child allocated to `worker`, one the worker's pages show."""
    involvement = (
        Involvement.objects.filter(
            user=worker,
            kind=InvolvementKind.ALLOCATED_WORKER,
            end_date__isnull=True,
            person__kind="child",
        )
        .order_by("person_id")
        .select_related("person")[skip]
    )
    return involvement.person


# Pages to start the crawl at, by username: where a record made here is shown (a page no
# link leads to within the crawl's patience).
STARTS: dict[str, list[str]] = {}


def _start(user: User, page: str) -> None:
    STARTS.setdefault(user.username, []).append(page)


# What to post, by username, for a form shown only in the answer (crawl's `posts`).
POSTS: dict[str, list[tuple[str, dict[str, Any]]]] = {}


def furnish() -> dict[str, Any]:
    """Make every record the crawl needs and say what was made (for the bench's report);
    where each is shown is left in STARTS, and what to post to be shown one in POSTS."""
    STARTS.clear()
    POSTS.clear()
    made: dict[str, Any] = {}
    made["alerts"] = _concern_alerts()
    made.update(_subject_access())
    made.update(_retention())
    made.update(_administration())
    made.update(_partners())
    made.update(_neglect_profiles())
    made.update(_casework())
    made.update(_front_door())
    return made


def _concern_alerts() -> int:
    """The starter rules switched on by a team manager where the council has them off (the
    demo switches them on only at its own size, ADR 0072), then the nightly sweep as of now."""
    now = timezone.now()
    switch_rules_on(manager=_user("team.manager"), at=now)
    return len(concerns_sweep(as_of=now))


def _subject_access() -> dict[str, Any]:
    """Two requests: one just recorded (to compile or extend), one compiled (its third
    parties to decide, its own terms to add, to mark sent)."""
    dpo = _user("dpo")
    worker = _user("social.worker")
    made = []
    for skip in (0, 1):
        child = _allocated_child(worker, skip)
        sar = sar_record(
            actor=dpo,
            person=child,
            requester_name=child.full_name,
            requester_kind="subject",
            identity_checked=True,
            identity_evidence="Passport seen at the civic centre",
            received_on=TEST_TODAY - timedelta(days=3),
            today=TEST_TODAY,
        )
        if skip:
            sar_compile(actor=dpo, sar=sar)
        made.append(sar.pk)
    return {"subject_access_requests": made}


def _retention() -> dict[str, Any]:
    """Two records of children from before SafeHub (born in 1998 and 1999: the earliest
    records the schedule lets go, at 25), recorded by the MASH as such records are brought
    in; the monthly review as of today lists them, and the DPO holds one."""
    dpo, worker = _user("dpo"), _user("mash.worker")
    for given, born in (("Jordan", date(1998, 5, 14)), ("Casey", date(1999, 2, 3))):
        person_create(
            actor=worker,
            data={
                "kind": "child",
                "given_name": given,
                "family_name": "Ellis",
                "date_of_birth": born,
            },
        )
    reviews = reviews_list_due(actor=dpo, as_of=TEST_TODAY)
    review = reviews[-1]
    hold = record_hold(
        actor=dpo,
        review=review,
        expected_version=review.version,
        reason="Held for the independent inquiry",
    )
    _start(dpo, reverse("retention:review"))
    return {"retention_reviews": len(reviews), "legal_hold": hold.pk}


def _administration() -> dict[str, Any]:
    """A token a worker's case system uses; a role change waiting for a second
    administrator; a restricted record's glass broken, waiting for the DPO's review."""
    admin = _user("sysadmin")
    worker = _user("social.worker")
    token = access_services.api_token_create(actor=worker, user=worker, name="Case system")
    grant = user_update(
        actor=admin,
        user=_user("social.worker2"),
        data={"role": "team_manager"},
    )
    restricted = [
        p
        for p in Person.objects.filter(is_restricted=True).order_by("pk")
        if policy.decide(_user("mash.worker"), p, Action.VIEW) == Decision.BREAK_GLASS
        and policy.decide(_user("mash.manager"), p, Action.VIEW) == Decision.BREAK_GLASS
    ]
    # The reason page, for a worker who may break the glass on a record not open to them
    # (the demo's sign-ins meet only records whose allow-lists they are on).
    _start(_user("mash.worker"), reverse("people:person-detail", args=[restricted[0].pk]))
    glass = access_services.break_glass_open(
        actor=_user("mash.manager"),
        person=restricted[1],
        reason="Strategy discussion today: the sibling's record is needed",
    )
    return {
        "api_token": bool(token),
        "access_grant": grant.pk if grant else None,
        "break_glass": glass.pk,
    }


def _partners() -> dict[str, Any]:
    """Police reports of domestic abuse with a child present (Operation Encompass notices):
    one a pupil at teacher.dsl's school, one a child with no school on record; and that
    school's CSV upload waiting to be confirmed."""
    dsl = _user("teacher.dsl")
    police = User.objects.filter(agency__kind="police", is_demo=True).order_by("username")[0]
    pupil = (
        Person.objects.filter(kind="child", school_agency=dsl.agency)
        .exclude(nhs_number="")
        .order_by("pk")[0]
    )
    unschooled = (
        Person.objects.filter(kind="child", school_agency__isnull=True)
        .exclude(nhs_number="")
        .order_by("pk")[0]
    )
    outcomes = partner_events_receive(
        actor=police,
        events=[
            {
                "event_id": f"FUZZ-DA-{n}",
                "type": "domestic_abuse_child_present",
                "occurred_at": str(TEST_TODAY - timedelta(days=1)),
                "nhs_number": child.nhs_number,
                "summary": "Officers attended a domestic incident; the child was at home.",
                "significance": "high",
            }
            for n, child in enumerate([pupil, unschooled], start=1)
        ],
    )
    # The notice about a child with no school on record waits for the MASH to send it.
    _start(_user("mash.worker"), reverse("partners:notices"))
    row = {
        "event_id": "FUZZ-DSL-1",
        "type": "dsl_welfare_concern",
        "occurred_at": str(TEST_TODAY - timedelta(days=2)),
        "nhs_number": pupil.nhs_number,
        "summary": "Came to school hungry three days running.",
        "significance": "medium",
    }
    content = template_csv() + ",".join(row.get(f, "") for f in FIELDS) + "\r\n"
    upload = partner_upload_create(actor=dsl, filename="concerns.csv", content=content.encode())
    _start(dsl, reverse("partners:preview", args=[upload.pk]))
    return {"encompass_events": [o.outcome for o in outcomes], "partner_upload": upload.pk}


def _neglect_profiles() -> dict[str, Any]:
    """Two profiles by a worker trained on the tool: one begun (to grade, plan, complete),
    one completed, for the worker's team manager to sign off (the demo's completed profiles
    were completed by the one manager of their team, whom nobody else there may sign off)."""
    worker = _user("social.worker")
    template = ProfileTemplate.objects.order_by("-pk")[0]
    begun = profile_start(actor=worker, child=_allocated_child(worker), template=template)
    _start(worker, reverse("neglect:profile-detail", args=[begun.pk]))
    done = profile_start(actor=worker, child=_allocated_child(worker, 1), template=template)
    done = profile_record_grades(
        actor=worker,
        profile=done,
        expected_version=done.version,
        grades=dict.fromkeys(
            ItemGrade.objects.filter(profile=done).values_list("item_id", flat=True),
            (3, "Seen at the home visit and discussed with the school."),
        ),
    )
    done = profile_record_plan(
        actor=worker,
        profile=done,
        expected_version=done.version,
        family_views="Mother agrees that mornings are hard and wants help with routines.",
        actions=[
            {
                "action": "Family support worker to visit before school twice a week",
                "owner_name": "Family support",
                "due_date": TEST_TODAY + timedelta(days=28),
            }
        ],
        review_date=TEST_TODAY + timedelta(days=90),
    )
    done = profile_complete(actor=worker, profile=done, expected_version=done.version)
    # A manager's import of the team's training: the preview holds the form to confirm it.
    rows = io.StringIO()
    writer = csv.writer(rows, lineterminator="\n")
    writer.writerows(
        [
            CSV_COLUMNS,
            [
                "social.worker2",
                template.name,
                "Neglect profile (one day)",
                "Demoshire Safeguarding Children Partnership",
                str(TEST_TODAY - timedelta(days=14)),
                str(TEST_TODAY + timedelta(days=3 * 365)),
            ],
        ]
    )
    upload = SimpleUploadedFile("training.csv", rows.getvalue().encode(), "text/csv")
    POSTS.setdefault("team.manager", []).append(
        (reverse("neglect:training-import"), {"file": upload})
    )
    for manager in User.objects.filter(role=Role.TEAM_MANAGER, team=worker.team):
        _start(manager, reverse("neglect:profile-detail", args=[done.pk]))
    return {"neglect_profiles": [begun.pk, done.pk]}


# A placement as a social worker records one: a care order, with foster carers.
PLACEMENT = {
    "legal_status": "C2",
    "placement_type": "U4",
    "provider": "PR1",
    "carer_name": "",
    "home_postcode": "",
    "placement_postcode": "",
}


def _casework() -> dict[str, Any]:
    """Casework in the states the demo's history leaves behind only by chance, each on a
    child of social.worker whose open episode has had no enquiry: a reassessment completed
    (for the manager to authorise), a section 47 enquiry running (to conclude), one
    concluded for a conference (for the chair to hold), a child just come into care (the
    care plan to record)."""
    worker = _user("social.worker")
    today = TEST_TODAY
    episodes = list(
        Episode.objects.filter(
            kind=EpisodeKind.CIN,
            closure_date__isnull=True,
            enquiries__isnull=True,
            cp_plans__isnull=True,
            child__in=Involvement.objects.filter(
                user=worker, kind=InvolvementKind.ALLOCATED_WORKER, end_date__isnull=True
            ).values("person_id"),
        ).order_by("child_id")[:4]
    )
    reassessed, enquiring, conferencing, in_care = episodes
    assessment = casework.assessment_start(
        actor=worker, episode=reassessed, start_date=today - timedelta(days=5)
    )
    casework.assessment_record_seen(
        actor=worker, assessment=assessment, seen_date=today - timedelta(days=3), seen_alone=True
    )
    casework.assessment_complete(
        actor=worker,
        assessment=assessment,
        completed_date=today - timedelta(days=1),
        factors=["21"],
        summary="Reassessed after a further referral; no new factors.",
    )
    for episode in (enquiring, conferencing):
        casework.strategy_record(
            actor=worker,
            episode=episode,
            held_on=today - timedelta(days=3),
            participants="Police, school, health visitor",
            outcome=StrategyOutcome.SECTION_47,
        )
    casework.section47_conclude(
        actor=worker,
        enquiry=Section47.objects.get(episode=conferencing, end_date__isnull=True),
        end_date=today - timedelta(days=1),
        outcome=Section47Outcome.ICPC,
    )
    _start(_user("cp.chair"), reverse("casework:child-casework", args=[conferencing.child_id]))
    casework.care_start(
        actor=worker, episode=in_care, start_date=today - timedelta(days=2), placement=PLACEMENT
    )
    # The child now in care: a decision that they should be placed for adoption (to match
    # with adopters), and a deprivation of liberty order awaiting its review.
    adoption_decide(actor=worker, child=in_care.child, decided_on=today - timedelta(days=1))
    liberty_order_record(
        actor=worker,
        child=in_care.child,
        made_on=today - timedelta(days=1),
        review_by=today + timedelta(days=90),
        court="High Court, Family Division",
    )
    return {"casework_children": [e.child_id for e in episodes], **_staying_put()}


def _staying_put() -> dict[str, Any]:
    """A care leaver of 18 or more staying with former foster carers (the arrangement to
    end), recorded by their allocated worker."""
    today = TEST_TODAY
    allocated = (
        Involvement.objects.filter(
            kind=InvolvementKind.ALLOCATED_WORKER,
            end_date__isnull=True,
            user__isnull=False,
            person__date_of_birth__lte=today - timedelta(days=18 * 366),
            person_id__in=CareLeaver.objects.values("child_id"),
        )
        .select_related("person", "user")
        .order_by("-person_id", "pk")
        .first()
    )
    assert allocated is not None, "the demo has no care leaver of 18 with a worker"
    assert allocated.user is not None
    child, worker = allocated.person, allocated.user
    assert child.date_of_birth is not None
    staying_put_start(
        actor=worker,
        child=child,
        carer_name="Mr and Mrs Okoro",
        start_date=max(birthday(child.date_of_birth, 18), today - timedelta(days=30)),
    )
    # The demo (400 people) has one such leaver, so the page to start an arrangement is
    # no longer linked; it is still served (a stale page posts to it), and its refusal of a
    # second arrangement is fuzzed too.
    _start(worker, reverse("leaving_care:staying-put-start", args=[child.pk]))
    return {"staying_put": child.pk}


def _front_door() -> dict[str, Any]:
    """Every open contact's page for the MASH worker, one with what the referrer said that
    its linked records do not, and one contact decided by the worker and waiting for the
    MASH manager's sign-off."""
    worker, manager = _user("mash.worker"), _user("mash.manager")
    open_contacts = Contact.objects.filter(status__in=[Status.NEW, Status.IN_TRIAGE])
    for reference in open_contacts.order_by("received_at").values_list("reference", flat=True):
        _start(worker, reverse("frontdoor:contact-detail", args=[reference]))
    linked = _link_until_carried_over(worker, open_contacts.order_by("received_at"))
    contact = open_contacts.order_by("-received_at")[0]
    contact = frontdoor.contact_rate(
        actor=worker,
        contact=contact,
        expected_version=contact.version,
        rag=Rag.GREEN,
        level_of_need=LevelOfNeed.UNIVERSAL,
    )
    frontdoor.contact_decide(
        actor=worker,
        contact=contact,
        expected_version=contact.version,
        decision=MashDecision.ADVICE,
        reasons="Known to the school, which is already supporting the family.",
    )
    _start(manager, reverse("frontdoor:contact-detail", args=[contact.reference]))
    return {
        "open_contacts": open_contacts.count(),
        "carried_over_from": linked,
        "awaiting_sign_off": contact.reference,
    }


def _link_until_carried_over(worker: User, contacts: Any) -> str | None:
    """Link the people named in open contacts to the record suggested first for each, as
    the worker confirms them in triage, until one contact says something its linked records
    do not (the school, in the demo): its page then offers to carry that over."""
    for contact in contacts:
        for subject_id, candidates in selectors.contact_candidates(
            actor=worker, contact=contact
        ).items():
            if not candidates:
                continue
            frontdoor.contact_link_subject(
                actor=worker,
                contact=contact,
                subject=ContactSubject.objects.get(pk=subject_id),
                person=candidates[0].person,
            )
            if contact_suggestions(actor=worker, contact=contact):
                return contact.reference
    return None
