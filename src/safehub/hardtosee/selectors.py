"""The registers of hard-to-see children, read from the one chronology as of a given day.

Who is on each register (the rules, one function each, tested in tests/test_registers.py):

- **Elective home education**: a child whose latest EHE event on or before the day is
  "registered for elective home education", not "elective home education ended".
- **Children missing education**: a child whose latest education-status event is "child
  missing education"; a later sign of a school roll (attendance, absence, suspension,
  exclusion, a welfare concern from the school's DSL) or of home education takes them off.
- **Babies under one**: born in the year up to the day and known to a service (an open
  involvement, or anything on their chronology besides keeping the record itself).
- **No professional contact**: a child known to a service (an open involvement) with no
  professional contact in the given number of days (90 unless the reader chooses).

"Professional contact" is one set of chronology events (`PROFESSIONAL_CONTACT`): a
professional was with the child. Every register shows the date of each child's last one.

Each page is a fixed number of queries whatever the number of rows (the page with its
annotations and, on each row, the count; the audit row); every row is a child
`visible_persons` lets the reader see, and one audit row names them all.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import (
    Case,
    Count,
    DateTimeField,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
    Window,
)
from django.db.models.functions import Concat
from django.db.models.lookups import IsNull

from safehub.access.models import Involvement
from safehub.access.policy import RULES, Disclosure, Scope, disclosures, visible_persons
from safehub.audit.models import AuditAction
from safehub.audit.services import audit_list, audit_record
from safehub.casework import events as casework_events
from safehub.chronology.models import ChronologyLink
from safehub.chronology.selectors import ChronologyPage, chronology_page_for
from safehub.core.paging import page_number, requested_page
from safehub.core.workdays import LONDON
from safehub.hardtosee.models import (
    SEVERAL_DISTRICTS,
    Context,
    ContextEntry,
    ContextPerson,
    EducationRegister,
    EheOfficer,
    MaceAction,
    MaceDiscussion,
    MacePanel,
    RegisterFacts,
)
from safehub.organisations.models import Agency, AgencyKind, Team, User
from safehub.partners.codes import BY_CODE
from safehub.people import events as people_events
from safehub.people.models import Person, PersonAddress

PAGE_SIZE = 25
EXPORT_LIMIT = 10_000
DEFAULT_DAYS_WITHOUT_CONTACT = 90


def partner_code(code: str) -> str:
    return BY_CODE[code].chronology_code


# A professional was with the child: a statutory visit, the child seen for an assessment, a
# health visitor's contact, an emergency or unscheduled health attendance, a period at
# school (attendance returned by the school), the school's DSL raising a welfare concern
# about what they saw, police finding a missing child or attending with the child present.
PROFESSIONAL_CONTACT = frozenset(
    {
        casework_events.VISIT,
        casework_events.ASSESSMENT_CHILD_SEEN,
        # The older partner codes (chronology/events.py), still on timelines.
        "HEALTH_VISITOR_CONTACT",
        "EMERGENCY_DEPARTMENT_ATTENDANCE",
        partner_code("health_visitor_contact"),
        partner_code("ed_attendance"),
        partner_code("unscheduled_attendance"),
        partner_code("attendance"),
        partner_code("dsl_welfare_concern"),
        partner_code("return_from_missing"),
        partner_code("domestic_abuse_child_present"),
    }
)

# Keeping the record itself (made, details, addresses, relationships) is not a service
# knowing the child: every record has these.
RECORD_KEEPING = frozenset(
    {
        people_events.PERSON_CREATED,
        people_events.PERSON_DETAILS_CHANGED,
        people_events.ADDRESS_CHANGED,
        people_events.RELATIONSHIP_RECORDED,
        people_events.RELATIONSHIP_ENDED,
        people_events.DEATH_RECORDED,
    }
)

EHE_REGISTERED = partner_code("ehe_registered")
EHE_ENDED = partner_code("ehe_ended")
CME = partner_code("child_missing_education")
# Signs a child is on a school roll, or educated at home, after being missing education.
ON_ROLL = frozenset(
    {
        partner_code(code)
        for code in (
            "attendance",
            "persistent_absence",
            "severe_absence",
            "suspension",
            "permanent_exclusion",
            "dsl_welfare_concern",
            "ehe_registered",
        )
    }
)


@dataclass(frozen=True)
class RegisterEvents:
    """The events whose latest decides an education register, and the one that puts the
    child on it."""

    codes: frozenset[str]
    member: str


REGISTER_EVENTS: dict[EducationRegister, RegisterEvents] = {
    EducationRegister.EHE: RegisterEvents(frozenset({EHE_REGISTERED, EHE_ENDED}), EHE_REGISTERED),
    EducationRegister.CME: RegisterEvents(ON_ROLL | {CME}, CME),
}


class Register(enum.StrEnum):
    EHE = "elective-home-education"
    CME = "missing-education"
    UNDER_ONES = "under-ones"
    NO_CONTACT = "no-professional-contact"

    @property
    def heading(self) -> str:
        return REGISTER_TITLES[self]


REGISTER_TITLES = {
    Register.EHE: "Elective home education",
    Register.CME: "Children missing education",
    Register.UNDER_ONES: "Babies under one known to a service",
    Register.NO_CONTACT: "Children with no professional contact",
}

# Age bands as (youngest, oldest) in whole years on the day.
AGE_BANDS = {
    "0-4": (0, 4),
    "5-10": (5, 10),
    "11-15": (11, 15),
    "16-17": (16, 17),
}


@dataclass(frozen=True)
class RegisterFilters:
    age_band: str = ""
    district: str = ""  # postcode district (outward code), e.g. "DM1"
    team_id: int | None = None
    # Only children with no professional contact in at least this many days. The
    # no-contact register always has one (DEFAULT_DAYS_WITHOUT_CONTACT if not chosen).
    days_without_contact: int | None = None


@dataclass(frozen=True)
class RegisterRow:
    person_id: int
    name: str
    date_of_birth: date | None
    age: str
    postcode: str
    team: str
    since: date | None  # registered for EHE, reported missing education; else None
    last_contact: date | None
    days_since_contact: int | None
    officer: str  # the EHE officer, on the EHE register


def years_before(day: date, years: int) -> date:
    """The same day `years` earlier (29 February becomes 28 February)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def age_on(born: date | None, day: date) -> str:
    if born is None:
        return "Not known"
    months = (day.year - born.year) * 12 + day.month - born.month - (day.day < born.day)
    if months < 12:
        return f"{months} month{'' if months == 1 else 's'}"
    return f"{months // 12}"


def _day_ends(as_of: date) -> datetime:
    """The first moment after `as_of`, London time: events on the day count."""
    return datetime.combine(as_of + timedelta(days=1), time(0), tzinfo=LONDON)


def _open_involvement(as_of: date) -> Q:
    return Q(start_date__lte=as_of) & (Q(end_date__isnull=True) | Q(end_date__gt=as_of))


def _links(as_of: date, codes: Any) -> QuerySet[ChronologyLink]:
    return ChronologyLink.objects.filter(
        entry__event_type__in=list(codes), occurred_at__lt=_day_ends(as_of)
    )


# Registers read each child's stored row (`RegisterFacts`, ADR 0060): the outer row's person
# is its `person_id`.
PERSON = OuterRef("person_id")


def _latest(as_of: date, codes: Any, field: str, person: Any = PERSON) -> Subquery:
    """A person's latest chronology event among `codes` on or before the day: `field` of it.
    `person` is the outer reference to the person (by default the register row's)."""
    return Subquery(
        _links(as_of, codes)
        .filter(person=person)
        .order_by("-occurred_at", "-entry_id")
        .values(field)[:1]
    )


def _children(as_of: date) -> QuerySet[RegisterFacts]:
    """Children alive and under 18 on the day (only children have a register row)."""
    return RegisterFacts.objects.filter(
        date_of_birth__gt=years_before(as_of, 18),
        date_of_birth__lte=as_of,
    ).filter(Q(date_of_death__isnull=True) | Q(date_of_death__gt=as_of))


def _involved_on(as_of: date) -> Q:
    """An open involvement on the day: inside the stored span, and on or after the start of
    its last unbroken stretch; only a day before that (a past day, perhaps in a gap) asks
    the involvements themselves, by the person's key."""
    # "Never involved" first: `involved_from <= day` is unknown (not false) when there is
    # none, and SQL would go on to ask the involvements.
    in_span = Q(involved_from__isnull=False, involved_from__lte=as_of) & (
        Q(involved_until__isnull=True) | Q(involved_until__gt=as_of)
    )
    # A scalar subquery (LIMIT 1), as ADR 0057's: PostgreSQL cannot hash it, so it is a
    # lookup for those rows only, never a read of the council's involvements.
    open_one = Involvement.objects.filter(_open_involvement(as_of), person=PERSON)
    return in_span & (
        Q(involved_since__lte=as_of) | Q(IsNull(Subquery(open_one.values("pk")[:1]), False))
    )


# The stored facts (ADR 0033, 0053) are the latest ever recorded. For a day on or after one,
# it is also the latest on or before the day; only a register of a past day, for someone
# whose fact changed since, reads the chronology. So today's registers are index ranges
# over the stored rows, and their order a plain column.


def _last_contact(as_of: date) -> Case:
    """The person's last professional contact on or before the day: the stored one, or the
    chronology's where the stored one came after the day."""
    return Case(
        When(
            last_contact__gte=_day_ends(as_of),
            then=_latest(as_of, PROFESSIONAL_CONTACT, "occurred_at"),
        ),
        default=F("last_contact"),
        output_field=DateTimeField(),
    )


def _no_contact_since(
    rows: QuerySet[RegisterFacts], as_of: date, days: int
) -> QuerySet[RegisterFacts]:
    """Those with no professional contact in the `days` up to and including the day.

    The stored contact is the latest ever, so: none, or before the window, means none in
    it; in the window, one in it; after the day (a past day's register), the chronology
    says (ADR 0057)."""
    start = datetime.combine(as_of - timedelta(days=days - 1), time(0), tzinfo=LONDON)
    end = _day_ends(as_of)
    in_chronology = _links(as_of, PROFESSIONAL_CONTACT).filter(
        person=PERSON, occurred_at__gte=start
    )
    return rows.filter(
        Q(last_contact__isnull=True)
        | Q(last_contact__lt=start)
        # The time first: only a stored contact after the day reads the chronology.
        | (Q(last_contact__gte=end) & ~Exists(in_chronology))
    )


_STATUS_COLUMNS = {
    EducationRegister.EHE: ("ehe_event", "ehe_at"),
    EducationRegister.CME: ("cme_event", "cme_at"),
}


def _education_register(as_of: date, register: EducationRegister) -> QuerySet[RegisterFacts]:
    """Children whose latest event of the register's on or before the day is its own: the
    stored status where it was already latest by the day (an index range), the chronology
    only for rows changed since. `since` is when that event happened."""
    events = REGISTER_EVENTS[register]
    event, at = _STATUS_COLUMNS[register]
    end = _day_ends(as_of)
    since = Case(
        When(**{f"{at}__gte": end}, then=_latest(as_of, (events.member,), "occurred_at")),
        default=F(at),
        output_field=DateTimeField(),
    )
    return (
        _children(as_of)
        # Only rows with a status stored (the register's partial index): the chronology is
        # then asked only for those whose status came after the day.
        .filter(**{f"{event}__isnull": False})
        .alias(then=_latest(as_of, events.codes, "entry__event_type"))
        .filter(
            Q(**{event: events.member, f"{at}__lt": end})
            | Q(**{f"{at}__gte": end, "then": events.member})
        )
        .annotate(since=since)
    )


def ehe_register(as_of: date) -> QuerySet[RegisterFacts]:
    return _education_register(as_of, EducationRegister.EHE)


def cme_register(as_of: date) -> QuerySet[RegisterFacts]:
    return _education_register(as_of, EducationRegister.CME)


def _no_since() -> Value:
    return Value(None, output_field=DateTimeField())


def under_ones_register(as_of: date) -> QuerySet[RegisterFacts]:
    """Babies known to a service on the day: an open involvement, or anything beyond
    keeping the record on or before the day. The stored first such event (ADR 0057) is the
    earliest ever recorded, so it is on or before the day exactly when one is, whatever the
    day."""
    return (
        _children(as_of)
        .filter(date_of_birth__gt=years_before(as_of, 1))
        .filter(Q(first_service__lt=_day_ends(as_of)) | _involved_on(as_of))
        .annotate(since=_no_since())
    )


def no_contact_register(as_of: date, days: int) -> QuerySet[RegisterFacts]:
    people = _children(as_of).filter(_involved_on(as_of)).annotate(since=_no_since())
    return _no_contact_since(people, as_of, days)


def register_people(
    register: Register, *, as_of: date, filters: RegisterFilters
) -> QuerySet[RegisterFacts]:
    """Everyone on the register on the day, filtered, before the policy narrows it: their
    register rows (`person_id`, and `since`)."""
    if register is Register.EHE:
        people = ehe_register(as_of)
    elif register is Register.CME:
        people = cme_register(as_of)
    elif register is Register.UNDER_ONES:
        people = under_ones_register(as_of)
    else:
        people = no_contact_register(
            as_of, filters.days_without_contact or DEFAULT_DAYS_WITHOUT_CONTACT
        )
    return _filtered(people, register, as_of=as_of, filters=filters)


def _filtered(
    people: QuerySet[RegisterFacts],
    register: Register,
    *,
    as_of: date,
    filters: RegisterFilters,
) -> QuerySet[RegisterFacts]:
    if filters.age_band in AGE_BANDS:
        youngest, oldest = AGE_BANDS[filters.age_band]
        people = people.filter(
            date_of_birth__gt=years_before(as_of, oldest + 1),
            date_of_birth__lte=years_before(as_of, youngest),
        )
    if filters.district:
        # The row's stored district; only a child whose open addresses lie in several
        # districts has their addresses asked.
        in_several = Exists(
            PersonAddress.objects.filter(
                person=PERSON,
                end_date__isnull=True,
                address__postcode__startswith=f"{filters.district.upper()} ",
            )
        )
        people = people.filter(
            Q(district=filters.district.upper()) | (Q(district=SEVERAL_DISTRICTS) & in_several)
        )
    if filters.team_id:
        people = people.filter(
            Exists(
                Involvement.objects.filter(
                    _open_involvement(as_of), person=PERSON, team_id=filters.team_id
                )
            )
        )
    if filters.days_without_contact and register is not Register.NO_CONTACT:
        people = _no_contact_since(people, as_of, filters.days_without_contact)
    return people


def register_rows(
    actor: User, register: Register, *, as_of: date, filters: RegisterFilters
) -> QuerySet[Any]:
    """The register's rows the policy lets `actor` see (`visible_persons` over the rows, by
    the person's key and the restriction the row copies), longest without a professional
    contact first: `person_id`, `contact` and `since` only. The people shown are read, and
    decided by the policy again on their own records, by `_shown_people_of`."""
    rows = visible_persons(
        actor,
        register_people(register, as_of=as_of, filters=filters),
        person="person_id",
        restricted="is_restricted",
    )
    return (
        rows.annotate(contact=_last_contact(as_of))
        .order_by(F("contact").asc(nulls_first=True), "person_id")
        .values("person_id", "contact", "since")
    )


def _shown_people_of(actor: User, facts: list[dict[str, Any]], *, as_of: date) -> list[RegisterRow]:
    """The rows shown, in the register's order: each person read once, by key, through the
    policy on their own record (a row the policy would not show is left out), with the
    columns shown worked out for them only (one query however many)."""
    ids = [f["person_id"] for f in facts]
    postcode = PersonAddress.objects.filter(person=OuterRef("pk"), end_date__isnull=True)
    team = Involvement.objects.filter(
        _open_involvement(as_of), person=OuterRef("pk"), team__isnull=False
    ).order_by("kind", "pk")
    officer = EheOfficer.objects.filter(person=OuterRef("pk"), ended_on__isnull=True).annotate(
        name=Concat("officer__first_name", Value(" "), "officer__last_name")
    )
    people = visible_persons(actor, Person.objects.filter(pk__in=ids)).annotate(
        postcode=Subquery(postcode.order_by("-pk").values("address__postcode")[:1]),
        team_name=Subquery(team.values("team__name")[:1]),
        officer_name=Subquery(officer.values("name")[:1]),
    )
    by_id = {p.pk: p for p in people} if ids else {}
    return [_row(by_id[f["person_id"]], f, as_of) for f in facts if f["person_id"] in by_id]


def _day_of(when: Any) -> date | None:
    if isinstance(when, datetime):
        return when.astimezone(LONDON).date()
    return when


def _row(person: Any, facts: dict[str, Any], as_of: date) -> RegisterRow:
    last = _day_of(facts["contact"])
    return RegisterRow(
        person_id=person.pk,
        name=person.full_name,
        date_of_birth=person.date_of_birth,
        age=age_on(person.date_of_birth, as_of),
        postcode=person.postcode or "",
        team=person.team_name or "",
        since=_day_of(facts["since"]),
        last_contact=last,
        days_since_contact=(as_of - last).days if last else None,
        officer=person.officer_name or "",
    )


class _CountedPaginator(Paginator):
    """A paginator told its count: the page's own query counted the rows."""

    def __init__(self, object_list: Any, per_page: int, count: int) -> None:
        super().__init__(object_list, per_page)
        self.__dict__["count"] = count  # the cached property, already worked out


def _page_counted(rows: QuerySet[Any], page: Any) -> Page:
    """The page asked for, with how many rows there are in all from the same query: the
    count rides on each row as a window over every member, taken before the sort's LIMIT
    (ADR 0057). Over the stored rows that is one index read (ADR 0060). Only a page past the
    end, or an empty register, costs a count and then the last page."""
    number = requested_page(page)
    start = (number - 1) * PAGE_SIZE
    found = list(rows.annotate(_total=Window(Count("person_id")))[start : start + PAGE_SIZE])
    if found:
        return Page(found, number, _CountedPaginator(rows, PAGE_SIZE, found[0]["_total"]))
    paginator = Paginator(rows, PAGE_SIZE)
    return paginator.page(page_number(page, pages=paginator.num_pages))


@dataclass(frozen=True)
class RegisterPage:
    register: Register
    page: Page
    rows: list[RegisterRow]
    count: int


def register_page(
    *,
    actor: User,
    register: Register,
    as_of: date,
    filters: RegisterFilters,
    page: Any = 1,
) -> RegisterPage:
    """One page of the register, only children the policy lets `actor` see, longest
    without a professional contact first. The caller has checked `can_open_registers`; one
    audit row names every child shown."""
    shown = _page_counted(register_rows(actor, register, as_of=as_of, filters=filters), page)
    rows = _shown_people_of(actor, list(shown.object_list), as_of=as_of)
    audit_list(
        actor=actor,
        listed=f"hardtosee.{register.value}",
        person_ids=[r.person_id for r in rows],
        detail={"as_of": as_of.isoformat(), "filters": _described(filters)},
    )
    return RegisterPage(register, shown, rows, shown.paginator.count)


def register_export(
    *, actor: User, register: Register, as_of: date, filters: RegisterFilters
) -> list[RegisterRow]:
    """Every row of the filtered register the policy lets `actor` see (up to
    EXPORT_LIMIT), audited as an export naming each child."""
    facts = register_rows(actor, register, as_of=as_of, filters=filters)
    rows = _shown_people_of(actor, list(facts[:EXPORT_LIMIT]), as_of=as_of)
    audit_record(
        actor=actor,
        action=AuditAction.EXPORT,
        subject_ids=sorted(r.person_id for r in rows),
        object_type=f"hardtosee.{register.value}",
        detail={"as_of": as_of.isoformat(), "filters": _described(filters), "rows": len(rows)},
    )
    return rows


def register_counts(*, actor: User, as_of: date) -> dict[Register, int]:
    """How many children the reader may see on each register (no names: not audited)."""
    filters = RegisterFilters()
    return {
        register: visible_persons(
            actor,
            register_people(register, as_of=as_of, filters=filters),
            person="person_id",
            restricted="is_restricted",
        ).count()
        for register in Register
    }


def _described(filters: RegisterFilters) -> dict[str, Any]:
    return {k: v for k, v in filters.__dict__.items() if v not in ("", None)}


def council_teams() -> list[Team]:
    """The teams a register can be filtered by: the council's own that work with children
    (they hold an involvement), not its performance or systems teams, which never will.
    One probe of the involvements' team index a team."""
    return list(
        Team.objects.filter(agency__kind=AgencyKind.COUNCIL)
        .filter(Exists(Involvement.objects.filter(team=OuterRef("pk"))))
        .select_related("agency")
        .order_by("name")
    )


def ehe_officer_choices() -> list[User]:
    """Who may be named a child's EHE officer: the council's active staff who see records."""
    roles = [role for role, rules in RULES.items() if rules.scope is not Scope.NONE]
    return list(
        User.objects.filter(
            is_active=True, agency__kind=AgencyKind.COUNCIL, role__in=roles
        ).order_by("last_name", "first_name", "pk")
    )


def mace_owner_choices() -> list[User]:
    """Who a MACE panel can give an action to: active staff of any agency whose role works
    with children (the policy's `can_hold_mace_actions`)."""
    roles = [role for role, rules in RULES.items() if rules.scope is not Scope.NONE]
    return list(
        User.objects.filter(is_active=True, role__in=roles)
        .select_related("agency")
        .order_by("last_name", "first_name", "pk")
    )


# --- Contexts and MACE panels ------------------------------------------------------------


@dataclass(frozen=True)
class ShownPerson:
    """A person a context or panel page names, as the policy lets the reader see them:
    `name` is None for "a person you cannot see"."""

    person_id: int | None
    name: str | None
    date_of_birth: date | None


def _shown_people(actor: User, persons: list[Any]) -> dict[int, ShownPerson]:
    """Each of `persons` as `disclosures` says; the omitted are left out."""
    decided = disclosures(actor, persons)
    shown = {}
    for person in persons:
        how = decided[person.pk]
        if how is Disclosure.SHOWN:
            shown[person.pk] = ShownPerson(person.pk, person.full_name, person.date_of_birth)
        elif how is not Disclosure.OMITTED:
            shown[person.pk] = ShownPerson(None, None, None)
    return shown


def context_list() -> list[Context]:
    """Every context, with how many people are linked to it now (no names)."""
    current = Q(links__ended_on__isnull=True) & Q(links__isnull=False)
    return list(
        Context.objects.annotate(linked=Count("links", filter=current)).order_by("name", "pk")
    )


@dataclass(frozen=True)
class LinkedPerson:
    link: ContextPerson
    shown: ShownPerson


def context_people(*, actor: User, context: Context) -> list[LinkedPerson]:
    """The people linked to the context now, each as the policy lets `actor` see them; one
    audit row names those shown."""
    links = list(
        ContextPerson.objects.filter(context=context, ended_on__isnull=True)
        .select_related("person", "linked_by")
        .order_by("linked_on", "pk")
    )
    shown = _shown_people(actor, [link.person for link in links])
    people = [
        LinkedPerson(link, shown[link.person_id]) for link in links if link.person_id in shown
    ]
    audit_list(
        actor=actor,
        listed="hardtosee.context_people",
        person_ids=[p.shown.person_id for p in people if p.shown.person_id],
        detail={"context": context.pk},
    )
    return people


def context_chronology(*, context: Context, page: Any = 1) -> ChronologyPage:
    return chronology_page_for(ContextEntry.objects.filter(context=context), page=page)


def mace_panels() -> list[MacePanel]:
    return list(
        MacePanel.objects.select_related("chair")
        .annotate(
            discussed=Count("discussions", distinct=True),
            open_actions=Count("actions", filter=Q(actions__done_on__isnull=True), distinct=True),
        )
        .order_by("-held_on", "-pk")
    )


@dataclass(frozen=True)
class Discussed:
    discussion: MaceDiscussion
    shown: ShownPerson | None  # the child, as the reader may see them; None for a context


@dataclass(frozen=True)
class ActionRow:
    action: MaceAction
    overdue: bool
    # The child or context it is about, as the reader may see them; None for the panel's
    # work as a whole, or a child the policy does not let the reader know of.
    about: Discussed | None = None

    @property
    def about_hidden_child(self) -> bool:
        """About a child the reader may not see (shown without a name, or not at all)."""
        if self.action.about_id is None:
            return False
        return self.about is None or (self.about.shown is not None and not self.about.shown.name)

    @property
    def about_label(self) -> str:
        if self.about is not None:
            return discussed_label(self.about)
        if self.action.about_id is not None:  # a child the policy keeps from the reader
            return "A child you cannot see"
        return "The panel's work"


def _action_rows(
    actions: Any, as_of: date, discussed: dict[int, Discussed] | None = None
) -> list[ActionRow]:
    known = discussed or {}
    return [
        ActionRow(a, a.done_on is None and a.due_on < as_of, known.get(a.about_id or 0))
        for a in actions
    ]


def discussion_choices(discussed: list[Discussed]) -> list[tuple[str, str]]:
    """What a panel discussed, as the choices for what an action is about: each context by
    its name and kind, each child as the reader may see them."""
    return [(str(d.discussion.pk), discussed_label(d)) for d in discussed]


def discussed_label(d: Discussed) -> str:
    context = d.discussion.context
    if context is not None:
        return f"{context.name} ({context.get_kind_display().lower()})"
    if d.shown and d.shown.name:
        return d.shown.name
    return "A child you cannot see"


def mace_panel_detail(
    *, actor: User, panel: MacePanel, as_of: date
) -> tuple[list[Any], list[Discussed], list[ActionRow]]:
    """A panel's attendees, what it discussed (each child as the policy lets `actor` see
    them, one audit row naming those shown) and its actions, overdue as of the day."""
    attendees = list(panel.attendees.select_related("agency").order_by("agency__name", "name"))
    discussions = list(panel.discussions.select_related("person", "context").order_by("pk"))
    shown = _shown_people(actor, [d.person for d in discussions if d.person is not None])
    discussed = [
        Discussed(d, shown[d.person_id] if d.person_id else None)
        for d in discussions
        if d.person_id is None or d.person_id in shown
    ]
    audit_list(
        actor=actor,
        listed="hardtosee.mace_panel",
        person_ids=[d.shown.person_id for d in discussed if d.shown and d.shown.person_id],
        detail={"panel": panel.pk},
    )
    actions = panel.actions.select_related("owner", "done_by").order_by("due_on", "pk")
    by_pk = {d.discussion.pk: d for d in discussed}
    return attendees, discussed, _action_rows(actions, as_of, by_pk)


def my_mace_actions(*, actor: User, as_of: date) -> list[ActionRow]:
    """The actor's open MACE actions, soonest due first, overdue as of the day, each with
    the child or context it is about: a child as the policy lets the owner see them (one
    audit row naming those shown; one the policy keeps from them is not mentioned)."""
    actions = list(
        MaceAction.objects.filter(owner=actor, done_on__isnull=True)
        .select_related("panel__chair", "about__person", "about__context")
        .order_by("due_on", "pk")
    )
    abouts = [a.about for a in actions if a.about is not None]
    shown = _shown_people(actor, [d.person for d in abouts if d.person is not None])
    discussed = {
        d.pk: Discussed(d, shown[d.person_id] if d.person_id else None)
        for d in abouts
        if d.person_id is None or d.person_id in shown
    }
    named = {d.shown.person_id for d in discussed.values() if d.shown and d.shown.person_id}
    if abouts:
        audit_list(actor=actor, listed="hardtosee.my_mace_actions", person_ids=sorted(named))
    return _action_rows(actions, as_of, discussed)


def agencies() -> list[Agency]:
    """Agencies a MACE panel's attendees come from."""
    return list(Agency.objects.order_by("name"))
