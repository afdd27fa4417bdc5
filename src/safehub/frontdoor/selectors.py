"""Reads of the front door that pages and the API share, each scoped by the access policy."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Case, Count, F, Prefetch, Q, QuerySet, When
from django.utils import timezone

from safehub.access.policy import (
    Disclosure,
    disclosures,
    visible_contacts,
    visible_information_requests,
)
from safehub.audit.services import audit_list
from safehub.core.paging import page_number
from safehub.frontdoor.codes import (
    OPEN_STATUSES,
    REFERRAL_DECISIONS,
    RequestStatus,
    Status,
    SubjectRole,
)
from safehub.frontdoor.models import Contact, ContactSubject, InformationRequest
from safehub.organisations.models import Agency, AgencyKind, User
from safehub.people.matching import Described, MatchCandidate, match_candidates
from safehub.people.models import Person

QUEUE_PAGE_SIZE = 25
REREFERRAL_WINDOW = timedelta(days=365)


@dataclass(frozen=True)
class QueueFilters:
    rag: str = ""
    status: str = ""
    urgency: str = ""
    channel: str = ""
    mine: bool = False
    overdue: bool = False


def mash_queue(
    *, actor: User, filters: QueueFilters, page: int | str | None = 1, now: datetime | None = None
) -> Page:
    """Open contacts, most urgent first, then by least time left against the decision
    timescale. One page at a time (`page` as the address bar gave it: past the end the last
    page, nonsense the first); the subjects come in one more query."""
    now = now or timezone.now()
    contacts = visible_contacts(
        actor, Contact.objects.filter(status__in=OPEN_STATUSES), persons=Person.objects.all()
    )
    if filters.rag:
        contacts = contacts.filter(rag="" if filters.rag == "none" else filters.rag)
    if filters.status:
        contacts = contacts.filter(status=filters.status)
    if filters.urgency:
        contacts = contacts.filter(urgency=filters.urgency)
    if filters.channel:
        contacts = contacts.filter(channel=filters.channel)
    if filters.mine:
        contacts = contacts.filter(assigned_to=actor)
    if filters.overdue:
        contacts = contacts.filter(decision_due_at__lt=now)
    contacts = (
        contacts.select_related("assigned_to")
        .only(
            "reference",
            "channel",
            "referral_source",
            "received_at",
            "decision_due_at",
            "urgency",
            "urgency_rank",
            "status",
            "rag",
            "level_of_need",
            "in_danger_now",
            "assigned_to__first_name",
            "assigned_to__last_name",
            "assigned_to__username",
        )
        .prefetch_related(
            Prefetch(
                "subjects",
                queryset=ContactSubject.objects.filter(role=SubjectRole.CHILD).only(
                    "contact_id",
                    "given_name",
                    "family_name",
                    "date_of_birth",
                    "expected_date_of_birth",  # an unnamed baby is "Unborn baby"
                    "age_description",
                    "person_id",
                    "position",
                ),
                to_attr="children",
            )
        )
        .order_by("urgency_rank", "decision_due_at", "pk")
    )
    paginator = Paginator(contacts, QUEUE_PAGE_SIZE)
    shown = paginator.page(page_number(page, pages=paginator.num_pages))
    shown.object_list = list(shown.object_list)
    _audit_contacts(actor, "frontdoor.mash_queue", shown.object_list, "children")
    return shown


def _audit_contacts(actor: User, listed: str, contacts: list[Contact], subjects: str) -> None:
    """One audit row for a list of contacts: the references and the linked people."""
    audit_list(
        actor=actor,
        listed=listed,
        person_ids=[s.person_id for c in contacts for s in getattr(c, subjects) if s.person_id],
        detail={"contacts": [c.reference for c in contacts]},
    )


def time_left(due: datetime, now: datetime | None = None) -> tuple[str, bool]:
    """("3 hours left" | "overdue by 2 days", is_overdue) in plain words."""
    now = now or timezone.now()
    delta = due - now
    overdue = delta.total_seconds() < 0
    seconds = abs(delta.total_seconds())
    if seconds < 3600:
        amount = f"{max(1, int(seconds // 60))} minutes"
    elif seconds < 48 * 3600:
        hours = int(seconds // 3600)
        amount = f"{hours} hour{'s' if hours != 1 else ''}"
    else:
        amount = f"{int(seconds // 86400)} days"
    return (f"Overdue by {amount}" if overdue else f"{amount} left"), overdue


@dataclass
class ChildHistory:
    """A linked child's earlier contacts. `person` is None unless the reader may see the
    child's record; `disclosure` says what the page may say instead."""

    disclosure: Disclosure
    person: Any = None
    previous_contacts: list[Contact] = field(default_factory=list)
    rereferral: bool = False  # a referral within the 12 months before this contact


def linked_disclosures(*, actor: User, contact: Contact) -> dict[int, Disclosure]:
    """How each person the contact's subjects are linked to may be shown to `actor` (by
    person id): the reader's own work is linked to them, so a restricted record they could
    open with a reason is named as one, never by name."""
    linked = {s.person_id: s.person for s in contact.subjects.all() if s.person_id}
    return disclosures(actor, linked.values(), linked_to_readers_work=True)


def contact_history(
    *, actor: User, contact: Contact, shown: dict[int, Disclosure] | None = None
) -> list[ChildHistory]:
    """For each linked child: earlier contacts and whether this would be a re-referral
    (a referral to children's social care in the 12 months before this contact). Only for
    children `shown` lets the reader see; the rest say only what their disclosure allows."""
    if shown is None:
        shown = linked_disclosures(actor=actor, contact=contact)
    histories = []
    for subject in contact.subjects.all():
        if not subject.person_id or subject.role != SubjectRole.CHILD:
            continue
        disclosure = shown[subject.person_id]
        if disclosure is Disclosure.OMITTED:
            continue
        if disclosure is not Disclosure.SHOWN:
            histories.append(ChildHistory(disclosure=disclosure))
            continue
        person = subject.person
        history = ChildHistory(disclosure=disclosure, person=person)
        history.previous_contacts = list(
            Contact.objects.filter(subjects__person=person, received_at__lt=contact.received_at)
            .exclude(pk=contact.pk)
            .distinct()
            .order_by("-received_at")[:20]
        )
        window_start = contact.received_at - REREFERRAL_WINDOW
        history.rereferral = any(
            c.status == Status.DECIDED
            and c.decision in REFERRAL_DECISIONS
            and c.received_at >= window_start
            for c in history.previous_contacts
        )
        histories.append(history)
    return histories


def contact_candidates(*, actor: User, contact: Contact) -> dict[int, list[MatchCandidate]]:
    """Suggested records for each child or adult not yet linked (never linked for them)."""
    suggestions = {}
    for subject in contact.subjects.all():
        if subject.person_id or not (subject.given_name or subject.family_name):
            continue
        postcode = subject.postcode or next(
            (s.postcode for s in contact.subjects.all() if s.postcode), ""
        )
        suggestions[subject.pk] = match_candidates(
            actor=actor,
            purpose=f"contact {contact.reference}",
            described=Described(
                given_name=subject.given_name,
                family_name=subject.family_name,
                date_of_birth=subject.date_of_birth,
                postcode=postcode,
            ),
        )
    return suggestions


def request_agencies(*, contact: Contact) -> QuerySet[Agency]:
    """The agencies worth asking about this contact: the county-wide services (police,
    health trusts, housing, voluntary sector, others), the agency that referred, and every
    agency already involved with the linked people (their school, their GP). A council has
    hundreds of schools and practices; listing them all buries the few that matter."""
    from safehub.access.models import Involvement

    linked = [s.person_id for s in contact.subjects.all() if s.person_id]
    involved = Involvement.objects.filter(
        person_id__in=linked, end_date__isnull=True, agency__isnull=False
    ).values("agency_id")
    local = Q(kind__in=[AgencyKind.SCHOOL, AgencyKind.GP_PRACTICE])
    wanted = ~local | Q(pk__in=involved)
    if contact.referrer_agency_id:
        wanted |= Q(pk=contact.referrer_agency_id)
    return Agency.objects.exclude(kind=AgencyKind.COUNCIL).filter(wanted).order_by("kind", "name")


def contact_requests(*, contact: Contact) -> list[InformationRequest]:
    return list(
        contact.information_requests.select_related(
            "agency", "requested_by", "answered_by"
        ).order_by("-created_at")
    )


def referrals_made(*, actor: User, limit: int = 100) -> list[Contact]:
    """A partner's own referrals (their agency's), newest first."""
    contacts = visible_contacts(
        actor, Contact.objects.exclude(referrer_agency=None), persons=Person.objects.all()
    )
    referrals = list(
        contacts.select_related("referrer_user")
        .prefetch_related(
            Prefetch(
                "subjects",
                queryset=ContactSubject.objects.filter(role=SubjectRole.CHILD),
                to_attr="children",
            )
        )
        .order_by("-received_at")[:limit]
    )
    _audit_contacts(actor, "frontdoor.referrals_made", referrals, "children")
    return referrals


def requests_for(
    *, actor: User, open_only: bool = False, limit: int = 100
) -> list[InformationRequest]:
    requests = visible_information_requests(actor, InformationRequest.objects.all())
    if open_only:
        requests = requests.filter(status=RequestStatus.OPEN)
    found = list(
        requests.select_related("contact", "agency")
        .prefetch_related(
            Prefetch(
                "contact__subjects",
                queryset=ContactSubject.objects.filter(role=SubjectRole.CHILD),
                to_attr="children",
            )
        )
        .annotate(
            waiting=Case(When(status=RequestStatus.OPEN, then=0), default=1),
            waiting_due=Case(When(status=RequestStatus.OPEN, then=F("due_at"))),
        )
        # Those waiting for an answer first, soonest due first; then the answered, newest.
        .order_by("waiting", "waiting_due", "-due_at", "-pk")[:limit]
    )
    audit_list(
        actor=actor,
        listed="frontdoor.information_requests",
        person_ids=[s.person_id for r in found for s in r.contact.children if s.person_id],
        detail={"requests": [r.pk for r in found]},
    )
    return found


@dataclass
class QueueHealth:
    awaiting_decision: int
    past_timescale: int
    awaiting_sign_off: int
    decisions_per_day: list[tuple[Any, int]]
    contacts_decided: int
    referrals: int
    conversion_percent: float | None
    rereferrals: int
    rereferral_percent: float | None
    decided_in_time_percent: float | None
    period_days: int


def queue_health(*, now: datetime | None = None, days: int = 28) -> QueueHealth:
    """Aggregate figures for managers and analysts: no names, no records."""
    now = now or timezone.now()
    since = now - timedelta(days=days)
    open_contacts = Contact.objects.filter(status__in=OPEN_STATUSES)
    counts = open_contacts.aggregate(
        awaiting=Count("pk"),
        late=Count("pk", filter=Q(decision_due_at__lt=now)),
        sign_off=Count("pk", filter=Q(status=Status.AWAITING_SIGN_OFF)),
    )
    decided = Contact.objects.filter(status=Status.DECIDED, closed_at__gte=since)
    totals = decided.aggregate(
        all=Count("pk"),
        referrals=Count("pk", filter=Q(decision__in=REFERRAL_DECISIONS)),
        in_time=Count("pk", filter=Q(decided_at__lte=F("decision_due_at"))),
    )
    per_day: dict[Any, int] = {}
    for closed in decided.values_list("closed_at", flat=True):
        day = timezone.localtime(closed).date()
        per_day[day] = per_day.get(day, 0) + 1
    rereferrals = _rereferral_count(decided.filter(decision__in=REFERRAL_DECISIONS))
    referrals = totals["referrals"]
    return QueueHealth(
        awaiting_decision=counts["awaiting"],
        past_timescale=counts["late"],
        awaiting_sign_off=counts["sign_off"],
        decisions_per_day=sorted(per_day.items(), reverse=True),
        contacts_decided=totals["all"],
        referrals=referrals,
        conversion_percent=_percent(referrals, totals["all"]),
        rereferrals=rereferrals,
        rereferral_percent=_percent(rereferrals, referrals),
        decided_in_time_percent=_percent(totals["in_time"], totals["all"]),
        period_days=days,
    )


def _percent(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def _rereferral_count(referrals: Any) -> int:
    """Referrals whose child had another referral in the 12 months before."""
    count = 0
    rows = list(
        referrals.filter(
            subjects__role=SubjectRole.CHILD, subjects__person__isnull=False
        ).values_list("pk", "received_at", "subjects__person")
    )
    person_ids = {person for _, _, person in rows}
    previous: dict[int, list[datetime]] = {}
    for person, received in Contact.objects.filter(
        status=Status.DECIDED, decision__in=REFERRAL_DECISIONS, subjects__person__in=person_ids
    ).values_list("subjects__person", "received_at"):
        previous.setdefault(person, []).append(received)
    counted = set()
    for pk, received, person in rows:
        if pk in counted:
            continue
        if any(
            received - REREFERRAL_WINDOW <= other < received for other in previous.get(person, [])
        ):
            counted.add(pk)
            count += 1
    return count
