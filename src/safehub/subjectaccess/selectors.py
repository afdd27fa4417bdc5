"""What SafeHub holds about one person, as the items of a subject access bundle, and the
third parties named in it. The caller fetched the person through the policy's subject-access
decision (`fetchers.access_subject`), which audited the read; each area's own selectors do
the reading where they exist. Also the list of requests with the days each has left."""

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db import models
from django.db.models import Q
from django.utils.timezone import localtime

from safehub.access.policy import subject_access_entry_scope
from safehub.audit.models import AuditEvent
from safehub.audit.services import audit_list
from safehub.casework import selectors as casework
from safehub.casework.models import CareEpisode, CaseNote, MissingEpisode, Visit
from safehub.chronology.models import ChronologyLink
from safehub.chronology.selectors import chronology_all_for_person
from safehub.frontdoor.models import Contact, ContactSubject
from safehub.neglect.selectors import profile_grades, profiles_for_child
from safehub.organisations.models import User
from safehub.people.models import Person, PersonAddress, PersonName, Relationship
from safehub.sharing.selectors import sharing_log_for
from safehub.subjectaccess.models import (
    BundleItem,
    Redaction,
    RedactionState,
    Section,
    Stage,
    SubjectAccessRequest,
)
from safehub.ui.jinja2 import govuk_date, govuk_datetime

AUDIT_ROWS_MAX = 5000  # the audit of who viewed: far more than any real record has
REDACTED = "[REDACTED]"


@dataclass(frozen=True)
class Item:
    section: str
    heading: str
    text: str
    occurred_on: date | None = None


# --- The bundle ---------------------------------------------------------------------------


def bundle_for(actor: User, person: Person) -> list[Item]:
    """Everything held about `person`, section by section, oldest first within each, as the
    data protection officer `actor` compiles it."""
    return [
        *_person(person),
        *_names(person),
        *_addresses(person),
        *_relationships(person),
        *_chronology(actor, person),
        *_contacts(person),
        *_casework(person),
        *_notes(person),
        *_neglect(person),
        *_sharing(person),
        *_audit(person),
    ]


def _describe(record: models.Model, skip: Iterable[str] = ()) -> str:
    """A record's own fields as "Label: value" lines: every filled-in field, choices shown
    by their label, people and staff by name; keys and bookkeeping left out."""
    lines = []
    for field in record._meta.concrete_fields:
        if field.primary_key or field.name in {"version", "created_at", "updated_at", *skip}:
            continue
        if isinstance(field, models.ForeignKey):
            value: Any = getattr(record, field.name, None)
            if value is not None and field.related_model in (Person,):
                continue  # the subject themselves
        elif field.choices:
            value = getattr(record, f"get_{field.name}_display")()
        else:
            value = getattr(record, field.attname)
        if value in (None, "", [], {}):
            continue
        if isinstance(value, bool):
            value = "Yes" if value else "No"
        lines.append(f"{_label(field)}: {_user_or_value(value)}")
    return "\n".join(lines)


_LABELS = {"nhs_number": "NHS number", "upn": "UPN", "former_upn": "Former UPN", "urn": "URN"}


def _label(field: Any) -> str:
    name = str(field.verbose_name)
    return _LABELS.get(field.name) or name[:1].upper() + name[1:]


def _user_or_value(value: Any) -> str:
    if isinstance(value, datetime):
        return govuk_datetime(value)
    if isinstance(value, date):
        return govuk_date(value)
    full = getattr(value, "get_full_name", None)
    if callable(full):
        return full() or value.username
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def _person(person: Person) -> Iterator[Item]:
    yield Item(Section.PERSON, f"Person record (SafeHub ID {person.pk})", _describe(person))


def _names(person: Person) -> Iterator[Item]:
    for name in PersonName.objects.filter(person=person).order_by("pk"):
        full = " ".join(p for p in (name.given_name, name.middle_names, name.family_name) if p)
        yield Item(Section.NAMES, name.get_kind_display(), full)


def _addresses(person: Person) -> Iterator[Item]:
    rows = PersonAddress.objects.filter(person=person).select_related("address")
    for row in rows.order_by("start_date", "pk"):
        dates = f"From {row.start_date or 'unknown'} to {row.end_date or 'now'}"
        yield Item(Section.ADDRESSES, str(row.address), dates, row.start_date)


def _relationships(person: Person) -> Iterator[Item]:
    rows = Relationship.objects.filter(subject=person).select_related("other")
    for rel in rows.order_by("start_date", "pk"):
        pr = " (has parental responsibility)" if rel.has_parental_responsibility else ""
        text = (
            f"{person.full_name} is {rel.get_type_display().lower()} of {rel.other.full_name}{pr}"
        )
        yield Item(Section.RELATIONSHIPS, rel.get_type_display(), text, rel.start_date)


def _chronology(actor: User, person: Person) -> Iterator[Item]:
    timeline = chronology_all_for_person(
        actor=actor, person=person, scope=subject_access_entry_scope(actor, person)
    )
    for entry in reversed(timeline.entries):
        who = entry.done_by_name or entry.done_by_label or "Not recorded"
        agency = f" ({entry.source_agency_name})" if entry.source_agency_name else ""
        note = " Shared by a partner on condition it goes no further." if entry.restricted else ""
        text = f"{entry.summary}\nBy: {who}{agency}.{note}"
        when = localtime(entry.occurred_at)
        yield Item(
            Section.CHRONOLOGY, entry.event_type.replace("_", " ").capitalize(), text, when.date()
        )


def _contacts(person: Person) -> Iterator[Item]:
    contacts = (
        Contact.objects.filter(subjects__person=person)
        .distinct()
        .prefetch_related("subjects")
        .order_by("received_at")
    )
    for contact in contacts:
        others = [
            f"{s.given_name} {s.family_name}".strip()
            for s in contact.subjects.all()
            if s.person_id != person.pk
        ]
        lines = [
            f"Received: {localtime(contact.received_at):%d %B %Y %H:%M}",
            f"Referred by: {contact.referrer_name or 'not named'}"
            + (f" ({contact.referrer_relationship})" if contact.referrer_relationship else ""),
            f"Concern: {contact.concern_summary}",
        ]
        if contact.what_tried:
            lines.append(f"What has been tried: {contact.what_tried}")
        if others:
            lines.append(f"Also named: {', '.join(o for o in others if o)}")
        if contact.decision:
            lines.append(f"Decision: {contact.get_decision_display()}")
        if contact.decision_reasons:
            lines.append(f"Reasons: {contact.decision_reasons}")
        yield Item(
            Section.CONTACTS,
            f"Contact {contact.reference}",
            "\n".join(lines),
            localtime(contact.received_at).date(),
        )


def _casework(person: Person) -> Iterator[Item]:
    groups: list[tuple[str, list[Any], str]] = [
        ("Episode", casework.episodes_for_child(person), "referral_date"),
        ("Assessment", casework.assessments_for_child(person), "start_date"),
        ("Strategy discussion", casework.strategies_for_child(person), "held_on"),
        ("Section 47 enquiry", casework.enquiries_for_child(person), "start_date"),
        ("Conference", casework.conferences_for_child(person), "held_on"),
        ("Child protection plan", casework.cp_plans_for_child(person), "start_date"),
        ("Child in need plan", casework.cin_plans_for_child(person), "start_date"),
        ("Period of care", casework.care_periods_for_child(person), "start_date"),
        ("Allocation", casework.allocations_for_child(person), "start_date"),
        ("Missing episode", list(MissingEpisode.objects.filter(child=person)), "start_date"),
    ]
    items = []
    for label, records, date_field in groups:
        for record in records:
            when = _as_date(getattr(record, date_field, None))
            items.append(Item(Section.CASEWORK, label, _describe(record), when))
    for placement in CareEpisode.objects.filter(period__child=person):
        items.append(
            Item(Section.CASEWORK, "Placement", _describe(placement), placement.start_date)
        )
    yield from sorted(items, key=lambda i: (i.occurred_on or date.min))


def _as_date(value: Any) -> date | None:
    if value is None:
        return None
    return value.date() if hasattr(value, "date") and callable(value.date) else value


def _notes(person: Person) -> Iterator[Item]:
    items = [
        Item(Section.NOTES, "Case note", _describe(note), _as_date(localtime(note.occurred_at)))
        for note in CaseNote.objects.filter(child=person).select_related("author")
    ]
    items += [
        Item(Section.NOTES, "Visit", _describe(visit), visit.visited_on)
        for visit in Visit.objects.filter(child=person).select_related("recorded_by")
    ]
    yield from sorted(items, key=lambda i: (i.occurred_on or date.min))


def _neglect(person: Person) -> Iterator[Item]:
    for profile in reversed(profiles_for_child(person)):
        lines = [_describe(profile, skip={"area_scores"})]
        lines += [
            f"{grade.item.title}: grade {grade.grade}. {grade.evidence}".strip()
            for grade in profile_grades(profile)
            if grade.grade is not None or grade.evidence
        ]
        yield Item(
            Section.NEGLECT,
            f"Neglect profile ({profile.template})",
            "\n".join(lines),
            profile.completed_on,
        )


def _sharing(person: Person) -> Iterator[Item]:
    for record in reversed(sharing_log_for(person)):
        yield Item(
            Section.SHARING,
            f"{record.get_outcome_display()}: {record.agency}",
            _describe(record),
            _as_date(localtime(record.decided_at)),
        )


def _audit(person: Person) -> Iterator[Item]:
    """Who opened, found, changed or exported the record: the audit's own rows."""
    rows = AuditEvent.objects.filter(
        Q(person_id=person.pk) | Q(subject_ids__contains=f",{person.pk},")
    ).order_by("at", "pk")[:AUDIT_ROWS_MAX]
    for row in rows:
        when = localtime(row.at)
        role = f" ({row.actor_role.replace('_', ' ')})" if row.actor_role else ""
        yield Item(
            Section.AUDIT,
            row.get_action_display(),
            f"{when:%d %B %Y %H:%M} by {row.actor_username}{role}",
            when.date(),
        )


# --- Third parties ------------------------------------------------------------------------


def third_parties(person: Person) -> list[tuple[str, str]]:
    """Other people's names and details the bundle may hold, each with why it is suggested:
    relatives, others named on the same contacts and chronology entries, carers, members of
    the public who referred. The subject's own names are never suggested."""
    own = {
        n.lower()
        for name in PersonName.objects.filter(person=person)
        for n in (name.given_name, name.family_name, f"{name.given_name} {name.family_name}")
    }
    found: dict[str, str] = {}

    def add(name: str, why: str) -> None:
        name = " ".join(name.split())
        if len(name) >= 2 and name.lower() not in own and name.lower() not in found:
            found[name.lower()] = f"{name}\t{why}"

    for rel in Relationship.objects.filter(subject=person).select_related("other"):
        why = f"Relative ({rel.get_type_display().lower()})"
        add(rel.other.full_name, why)
        add(rel.other.given_name, why)
    subjects = ContactSubject.objects.filter(contact__subjects__person=person).exclude(
        person_id=person.pk
    )
    for s in subjects.select_related("contact"):
        why = f"Also named in contact {s.contact.reference}"
        add(f"{s.given_name} {s.family_name}", why)
        add(s.given_name, why)
    public = Contact.objects.filter(subjects__person=person, referrer_user__isnull=True)
    for contact in public.exclude(referrer_name=""):
        add(contact.referrer_name, f"Referrer of contact {contact.reference}")
    entries = ChronologyLink.objects.filter(person=person).values("entry_id")
    linked = ChronologyLink.objects.filter(entry_id__in=entries).exclude(person=person)
    for other in Person.objects.filter(pk__in=linked.values("person_id")):
        add(other.full_name, "Named on the same chronology entry")
        add(other.given_name, "Named on the same chronology entry")
    for carer in CareEpisode.objects.filter(period__child=person).exclude(carer_name=""):
        add(carer.carer_name, "Carer")
    return [tuple(v.split("\t", 1)) for v in found.values()]  # type: ignore[misc]


def _pattern(term: str) -> re.Pattern[str]:
    return re.compile(rf"(?<!\w){re.escape(term)}(?!\w)", re.IGNORECASE)


def occurrences(term: str, texts: Iterable[str]) -> int:
    pattern = _pattern(term)
    return sum(len(pattern.findall(t)) for t in texts)


def redact(text: str, terms: Iterable[str]) -> str:
    """`text` with every accepted term taken out (longest first, so a full name goes before
    the first name inside it). The words are removed, not covered: what is exported is this
    text, never the original."""
    for term in sorted(terms, key=len, reverse=True):
        text = _pattern(term).sub(REDACTED, text)
    return text


# --- Reading a request --------------------------------------------------------------------


@dataclass(frozen=True)
class RequestRow:
    sar: SubjectAccessRequest
    days_left: int

    @property
    def overdue(self) -> bool:
        return self.days_left < 0


def request_list(*, actor: Any, today: date, include_sent: bool = False) -> list[RequestRow]:
    """Requests by deadline, soonest first, with the calendar days each has left; one
    audit row naming every person the list showed."""
    qs = SubjectAccessRequest.objects.all()
    if not include_sent:
        qs = qs.exclude(stage=Stage.SENT)
    rows = [RequestRow(sar, (sar.deadline - today).days) for sar in qs]
    audit_list(
        actor=actor, listed="subjectaccess.requests", person_ids=[r.sar.person_id for r in rows]
    )
    return sorted(rows, key=lambda r: (r.sar.deadline, r.sar.pk))


def bundle_items(sar: SubjectAccessRequest) -> list[BundleItem]:
    return list(sar.items.order_by("position"))


def redactions(sar: SubjectAccessRequest) -> list[Redaction]:
    return list(sar.redactions.select_related("decided_by").order_by("pk"))


def accepted_terms(sar: SubjectAccessRequest) -> list[str]:
    return list(sar.redactions.filter(state=RedactionState.ACCEPTED).values_list("term", flat=True))
