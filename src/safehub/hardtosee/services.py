"""Writes for hard-to-see children: naming a child's EHE officer; contexts, their
chronology and the people linked to them; MACE panels, what they discussed and their
actions. Each checks the policy, audits, and writes the chronology in one transaction."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.db import connection, models, transaction
from django.db.models import Max, Min, QuerySet

from safehub.access.guards import check_person_writes
from safehub.access.models import Involvement
from safehub.access.policy import can_open_registers, may_complete_mace_action
from safehub.audit.models import AuditAction
from safehub.audit.services import audit_record
from safehub.chronology.models import ChronologyEntry, ChronologyLink, Significance
from safehub.chronology.services import chronology_append
from safehub.core.exceptions import PermissionDeniedError
from safehub.core.models import versioned_update
from safehub.core.text import clean_text
from safehub.hardtosee import events
from safehub.hardtosee.models import (
    SEVERAL_DISTRICTS,
    Context,
    ContextEntry,
    ContextKind,
    ContextPerson,
    EducationRegister,
    EheOfficer,
    FirstServiceEvent,
    LastProfessionalContact,
    MaceAction,
    MaceAttendee,
    MaceDiscussion,
    MacePanel,
    RegisterFacts,
    RegisterStatus,
    RiskLevel,
)
from safehub.hardtosee.selectors import (
    PROFESSIONAL_CONTACT,
    RECORD_KEEPING,
    REGISTER_EVENTS,
    ehe_officer_choices,
    mace_owner_choices,
)
from safehub.organisations.models import Agency, User
from safehub.people.codes import PersonKind
from safehub.people.models import Address, Person, PersonAddress

HIGH_RISKS = (RiskLevel.HIGH, RiskLevel.VERY_HIGH)


def ehe_officer_assign(*, actor: User, person: Any, officer_id: Any, on: date) -> EheOfficer:
    """Name `officer_id` as the child's EHE officer from `on`, ending any earlier one. The
    actor must open the registers and may change the child's record; the officer must be an
    active member of the council's staff who sees records."""
    if not can_open_registers(actor):
        raise PermissionDeniedError("Only the MASH and team managers assign EHE officers.")
    officers = {str(u.pk): u for u in ehe_officer_choices()}
    officer = officers.get(str(officer_id))
    if officer is None:
        raise ValidationError({"officer": "Select the officer from the list"})
    with transaction.atomic():
        check_person_writes(actor, [person])
        current = (
            EheOfficer.objects.select_for_update()
            .filter(person=person, ended_on__isnull=True)
            .first()
        )
        if current is not None:
            if current.officer_id == officer.pk:
                raise ValidationError(
                    {"officer": f"{officer.get_full_name()} is already the officer"}
                )
            current.ended_on = on
            current.save(update_fields=["ended_on", "updated_at"])
        assignment = EheOfficer.objects.create(
            person=person, officer=officer, assigned_on=on, assigned_by=actor
        )
        audit_record(
            actor=actor,
            action=AuditAction.CHANGE,
            person_id=person.pk,
            object_type="hardtosee.EheOfficer",
            object_id=assignment.pk,
            detail={"officer": officer.pk, "ended": current.pk if current else None},
        )
        chronology_append(
            actor=actor,
            persons=[person],
            event_type=events.EHE_OFFICER_ASSIGNED,
            summary=f"{officer.get_full_name()} is now the council's elective home education "
            "officer for this child.",
            occurred_on=on,
            source=assignment,
        )
    return assignment


# --- Contexts ---------------------------------------------------------------------------


def _require_contexts(actor: User) -> None:
    if not can_open_registers(actor):
        raise PermissionDeniedError("Only the MASH and team managers work on contexts.")


def _context_fields(data: dict[str, Any]) -> dict[str, Any]:
    kind = data.get("kind")
    if kind not in ContextKind.values:
        raise ValidationError({"kind": "Select what kind of context it is"})
    return {
        "kind": kind,
        "name": clean_text(data.get("name"), label="the name of the context", max_length=120),
        "description": clean_text(
            data.get("description"),
            label="the description",
            max_length=5_000,
            multiline=True,
            required=False,
        ),
        "location": clean_text(
            data.get("location"), label="where it is", max_length=120, required=False
        ),
    }


def context_create(*, actor: User, data: dict[str, Any]) -> Context:
    _require_contexts(actor)
    fields = _context_fields(data)
    with transaction.atomic():
        context = Context.objects.create(created_by=actor, **fields)
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            object_type="hardtosee.Context",
            object_id=context.pk,
        )
    return context


def context_update(
    *, actor: User, context: Context, expected_version: int, data: dict[str, Any]
) -> Context:
    """Change what a context is called and says; refused (ConcurrentEditError) if someone
    saved it since `expected_version`."""
    _require_contexts(actor)
    fields = _context_fields(data)
    with transaction.atomic():
        versioned_update(instance=context, expected_version=expected_version, data=fields)
        audit_record(
            actor=actor,
            action=AuditAction.CHANGE,
            object_type="hardtosee.Context",
            object_id=context.pk,
            detail={"fields": sorted(fields)},
        )
    return context


def _on_context(context: Context, entry: Any) -> None:
    ContextEntry.objects.create(context=context, entry=entry, occurred_at=entry.occurred_at)


def context_note(
    *,
    actor: User,
    context: Context,
    summary: Any,
    occurred_on: date,
    significance: int,
    today: date,
) -> Any:
    """Something learnt about the context itself (police intelligence about a park, a
    school's worry about a group), on the context's own chronology."""
    _require_contexts(actor)
    text = clean_text(summary, label="what happened", max_length=5_000, multiline=True)
    if occurred_on > today:
        raise ValidationError({"occurred_on": "The date must be today or in the past"})
    if significance not in Significance.values:
        raise ValidationError({"significance": "Select how significant it is"})
    with transaction.atomic():
        entry = chronology_append(
            actor=actor,
            persons=[],
            event_type=events.CONTEXT_NOTE,
            summary=text,
            occurred_on=occurred_on,
            significance=significance,
            source=context,
        )
        _on_context(context, entry)
        audit_record(
            actor=actor,
            action=AuditAction.CHANGE,
            object_type="hardtosee.Context",
            object_id=context.pk,
            detail={"note": entry.pk},
        )
    return entry


def context_link_person(
    *, actor: User, context: Context, person: Any, reason: Any, on: date
) -> ContextPerson:
    """Link a child or adult to the context: a change to their record (the policy's EDIT
    decision), on their chronology and the context's."""
    _require_contexts(actor)
    why = clean_text(reason, label="why they are linked", max_length=200)
    with transaction.atomic():
        check_person_writes(actor, [person])
        if ContextPerson.objects.filter(
            context=context, person=person, ended_on__isnull=True
        ).exists():
            raise ValidationError({"person": f"{person.full_name} is already linked to it"})
        link = ContextPerson.objects.create(
            context=context, person=person, reason=why, linked_on=on, linked_by=actor
        )
        entry = chronology_append(
            actor=actor,
            persons=[person],
            event_type=events.CONTEXT_LINKED,
            summary=f"Linked to {context.name} ({context.get_kind_display().lower()}): {why}",
            occurred_on=on,
            source=link,
        )
        _on_context(context, entry)
        audit_record(
            actor=actor,
            action=AuditAction.CHANGE,
            person_id=person.pk,
            object_type="hardtosee.ContextPerson",
            object_id=link.pk,
            detail={"context": context.pk, "linked": True},
        )
    return link


def context_unlink_person(*, actor: User, link: ContextPerson, on: date) -> ContextPerson:
    _require_contexts(actor)
    with transaction.atomic():
        check_person_writes(actor, [link.person])
        if link.ended_on is not None:
            raise ValidationError("They are no longer linked to it")
        link.ended_on = on
        link.save(update_fields=["ended_on", "updated_at"])
        entry = chronology_append(
            actor=actor,
            persons=[link.person],
            event_type=events.CONTEXT_UNLINKED,
            summary=f"No longer linked to {link.context.name}.",
            occurred_on=on,
            source=link,
        )
        _on_context(link.context, entry)
        audit_record(
            actor=actor,
            action=AuditAction.CHANGE,
            person_id=link.person_id,
            object_type="hardtosee.ContextPerson",
            object_id=link.pk,
            detail={"context": link.context_id, "linked": False},
        )
    return link


# --- MACE panels -------------------------------------------------------------------------


def mace_panel_create(
    *,
    actor: User,
    held_on: date,
    chair_id: Any,
    attendees: list[tuple[Any, str]],
    notes: Any,
    today: date,
) -> MacePanel:
    """Record a panel meeting: when, who chaired, who attended for which agency."""
    _require_contexts(actor)
    if held_on > today:
        raise ValidationError({"held_on": "The date of the panel must be today or in the past"})
    chair = {str(u.pk): u for u in ehe_officer_choices()}.get(str(chair_id))
    if chair is None:
        raise ValidationError({"chair": "Select the chair from the list"})
    agencies = {str(a.pk): a for a in Agency.objects.all()}
    present = []
    for agency_id, name in attendees:
        agency = agencies.get(str(agency_id))
        if agency is None:
            raise ValidationError({"attendees": "Select the agency of each person who attended"})
        present.append(
            (agency, clean_text(name, label="the name of each attendee", max_length=120))
        )
    if not present:
        raise ValidationError({"attendees": "Enter at least one person who attended"})
    text = clean_text(notes, label="the notes", max_length=20_000, multiline=True, required=False)
    with transaction.atomic():
        panel = MacePanel.objects.create(
            held_on=held_on, chair=chair, notes=text, recorded_by=actor
        )
        MaceAttendee.objects.bulk_create(
            MaceAttendee(panel=panel, agency=agency, name=name) for agency, name in present
        )
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            object_type="hardtosee.MacePanel",
            object_id=panel.pk,
        )
    return panel


def mace_panel_update_notes(
    *, actor: User, panel: MacePanel, expected_version: int, notes: Any
) -> MacePanel:
    _require_contexts(actor)
    text = clean_text(notes, label="the notes", max_length=20_000, multiline=True, required=False)
    with transaction.atomic():
        versioned_update(instance=panel, expected_version=expected_version, data={"notes": text})
        audit_record(
            actor=actor,
            action=AuditAction.CHANGE,
            object_type="hardtosee.MacePanel",
            object_id=panel.pk,
            detail={"fields": ["notes"]},
        )
    return panel


def mace_discuss(
    *,
    actor: User,
    panel: MacePanel,
    risk: Any,
    person: Any = None,
    context: Context | None = None,
) -> MaceDiscussion:
    """A child (on their chronology, a change to their record) or a context the panel
    discussed, with the risk it graded."""
    _require_contexts(actor)
    if risk not in RiskLevel.values:
        raise ValidationError({"risk": "Select the risk the panel agreed"})
    if (person is None) == (context is None):
        raise ValueError("A discussion is about one child or one context")
    label = RiskLevel(risk).label.lower()
    with transaction.atomic():
        if person is not None:
            check_person_writes(actor, [person])
        discussion = MaceDiscussion.objects.create(
            panel=panel, person=person, context=context, risk=risk
        )
        if person is not None:
            chronology_append(
                actor=actor,
                persons=[person],
                event_type=events.MACE_DISCUSSED,
                summary=f"Discussed at the MACE panel; risk of exploitation graded {label}.",
                occurred_on=panel.held_on,
                significance=Significance.HIGH if risk in HIGH_RISKS else Significance.MEDIUM,
                source=panel,
            )
        else:
            assert context is not None
            entry = chronology_append(
                actor=actor,
                persons=[],
                event_type=events.MACE_DISCUSSED,
                summary=f"Discussed at the MACE panel; risk graded {label}.",
                occurred_on=panel.held_on,
                source=panel,
            )
            _on_context(context, entry)
        audit_record(
            actor=actor,
            action=AuditAction.CHANGE,
            person_id=person.pk if person is not None else None,
            object_type="hardtosee.MaceDiscussion",
            object_id=discussion.pk,
            detail={"panel": panel.pk, "risk": risk, "context": context.pk if context else None},
        )
    return discussion


def mace_action_add(
    *,
    actor: User,
    panel: MacePanel,
    description: Any,
    owner_id: Any,
    due_on: date,
    about_id: Any = None,
) -> MaceAction:
    """An action the panel sets: what, who, by when, and (optionally) which of the children
    or contexts it discussed the action is about."""
    _require_contexts(actor)
    text = clean_text(description, label="the action", max_length=500)
    owner = {str(u.pk): u for u in mace_owner_choices()}.get(str(owner_id))
    if owner is None:
        raise ValidationError({"owner": "Select who owns the action from the list"})
    if due_on < panel.held_on:
        raise ValidationError({"due_on": "The due date must be on or after the panel"})
    about = _discussed_at(panel, about_id)
    with transaction.atomic():
        action = MaceAction.objects.create(
            panel=panel, description=text, owner=owner, due_on=due_on, about=about
        )
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            person_id=about.person_id if about else None,
            object_type="hardtosee.MaceAction",
            object_id=action.pk,
            detail={"panel": panel.pk, "owner": owner.pk, "about": about.pk if about else None},
        )
    return action


def _discussed_at(panel: MacePanel, discussion_id: Any) -> MaceDiscussion | None:
    """The panel's discussion `discussion_id` names; None for none; refused for another
    panel's or a made-up one."""
    if discussion_id in (None, ""):
        return None
    found = (
        panel.discussions.filter(pk=discussion_id).first() if str(discussion_id).isdigit() else None
    )
    if found is None:
        raise ValidationError({"about": "Select what the action is about from the list"})
    return found


def mace_action_done(
    *, actor: User, action: MaceAction, expected_version: int, on: date
) -> MaceAction:
    """Mark an action done: by its owner or those who run the panels; refused
    (ConcurrentEditError) if someone changed it since `expected_version`."""
    if not may_complete_mace_action(actor, action):
        raise PermissionDeniedError("Only the action's owner or the panel can mark it done.")
    if action.done_on is not None:
        raise ValidationError("This action is already done")
    if on < action.panel.held_on:
        raise ValidationError("An action cannot be done before its panel")
    with transaction.atomic():
        versioned_update(
            instance=action,
            expected_version=expected_version,
            data={"done_on": on, "done_by": actor},
        )
        audit_record(
            actor=actor,
            action=AuditAction.CHANGE,
            object_type="hardtosee.MaceAction",
            object_id=action.pk,
            detail={"done_on": on.isoformat()},
        )
    return action


# --- The stored last professional contact (ADR 0033) -------------------------------------


def last_contact_on_append(appended: list[tuple[ChronologyEntry, list[int]]]) -> None:
    """Professional contacts just appended (in the appending transaction, one or a
    partner's batch) move each person's stored last contact on, unless a later one is
    already stored (an entry can be recorded days after it happened): one statement
    whatever the batch, an insert that on a stored row raises it only if earlier. The row
    lock the update takes keeps the later of two appends at once; rows go in person order
    so two batches never wait on each other's rows in opposite orders."""
    latest: dict[int, datetime] = {}
    for entry, person_ids in appended:
        if entry.event_type not in PROFESSIONAL_CONTACT:
            continue
        for pk in person_ids:
            if pk not in latest or entry.occurred_at > latest[pk]:
                latest[pk] = entry.occurred_at
    if latest:
        _raise_last_contacts(sorted(latest.items()))


def _raise_last_contacts(rows: list[tuple[int, datetime]]) -> None:
    _keep_per_person(LastProfessionalContact, rows, replace_stored="earlier")


def _keep_per_person(
    model: Any, rows: list[tuple[int, datetime]], *, replace_stored: Literal["earlier", "later"]
) -> None:
    """Store each (person, time) in `model`'s table (keyed by person), replacing a stored
    time only if it is `replace_stored` than the new one: "earlier" keeps the latest,
    "later" the earliest. One statement whatever the number of rows."""
    table = connection.ops.quote_name(model._meta.db_table)
    operator = "<" if replace_stored == "earlier" else ">"
    replace_if = (
        "ON CONFLICT (person_id) DO UPDATE SET occurred_at = excluded.occurred_at "
        f"WHERE {table}.occurred_at {operator} excluded.occurred_at"
    )
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            ids, times = zip(*rows, strict=True)
            cursor.execute(
                f"INSERT INTO {table} (person_id, occurred_at) "  # noqa: S608 - our table
                "SELECT * FROM unnest(%s::bigint[], %s::timestamptz[]) ORDER BY 1 " + replace_if,
                [list(ids), list(times)],
            )
        else:  # stored as Django stores a time there (UTC text)
            adapt = connection.ops.adapt_datetimefield_value
            cursor.executemany(
                f"INSERT INTO {table} (person_id, occurred_at) VALUES (%s, %s) "  # noqa: S608
                + replace_if,
                [(pk, adapt(when)) for pk, when in rows],
            )


def last_contact_refresh() -> int:
    """Rebuild every stored last contact from the chronology, in one statement (after a
    bulk load that bypassed `chronology_append`, or a change to `PROFESSIONAL_CONTACT`).
    Returns how many people have one."""
    latest = (
        ChronologyLink.objects.filter(entry__event_type__in=sorted(PROFESSIONAL_CONTACT))
        .values("person_id")
        .annotate(latest=Max("occurred_at"))
        .values_list("person_id", "latest")
        .order_by()
    )
    return _rebuilt(LastProfessionalContact, latest)


def _rebuilt(model: type[models.Model], rows: QuerySet[Any]) -> int:
    """`model`'s table (person_id, occurred_at) emptied and filled again from `rows` (pairs
    of those), in one transaction and one INSERT ... SELECT; how many rows it holds."""
    select, params = rows.query.sql_with_params()
    table = connection.ops.quote_name(model._meta.db_table)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table}")  # noqa: S608 - our own table's name
        cursor.execute(f"INSERT INTO {table} (person_id, occurred_at) {select}", params)
    return model._default_manager.count()


# --- The stored first service event (ADR 0057) ------------------------------------------


def first_service_on_append(appended: list[tuple[ChronologyEntry, list[int]]]) -> None:
    """Entries just appended that are more than keeping the record move each person's
    stored first service event back to the earliest: an entry recorded today may have
    happened before the stored one. As `last_contact_on_append`, one statement a batch,
    rows in person order."""
    earliest: dict[int, datetime] = {}
    for entry, person_ids in appended:
        if entry.event_type in RECORD_KEEPING:
            continue
        for pk in person_ids:
            if pk not in earliest or entry.occurred_at < earliest[pk]:
                earliest[pk] = entry.occurred_at
    if earliest:
        _keep_per_person(FirstServiceEvent, sorted(earliest.items()), replace_stored="later")


def first_service_refresh() -> int:
    """Rebuild every stored first service event from the chronology, in one statement
    (the migration's backfill, the demo loader after its bulk COPY, a change to
    `RECORD_KEEPING`). Returns how many people have one."""
    earliest = (
        ChronologyLink.objects.exclude(entry__event_type__in=sorted(RECORD_KEEPING))
        .values("person_id")
        .annotate(earliest=Min("occurred_at"))
        .values_list("person_id", "earliest")
        .order_by()
    )
    return _rebuilt(FirstServiceEvent, earliest)


# --- The education registers' stored status (ADR 0053) -----------------------------------


def register_status_on_append(appended: list[tuple[ChronologyEntry, list[int]]]) -> None:
    """Entries just appended that decide an education register move each person's stored
    status on to the latest, by `occurred_at` then entry id as the chronology rule reads
    it: an event recorded late but dated before the stored one changes nothing. As
    `last_contact_on_append`: one statement whatever the batch, rows in key order, the
    update's row lock keeping the later of two appends at once."""
    latest: dict[tuple[int, EducationRegister], ChronologyEntry] = {}
    for entry, person_ids in appended:
        for register, decided_by in REGISTER_EVENTS.items():
            if entry.event_type not in decided_by.codes:
                continue
            for pk in person_ids:
                known = latest.get((pk, register))
                if known is None or (entry.occurred_at, entry.pk) > (known.occurred_at, known.pk):
                    latest[(pk, register)] = entry
    if latest:
        _raise_register_statuses(
            [
                (pk, register.value, e.event_type, e.occurred_at, e.pk)
                for (pk, register), e in sorted(latest.items(), key=lambda item: item[0])
            ]
        )


def _raise_register_statuses(rows: list[tuple[int, str, str, datetime, int]]) -> None:
    table = connection.ops.quote_name(RegisterStatus._meta.db_table)
    columns = "person_id, register, event_type, occurred_at, entry_id"
    keep_later = (
        "ON CONFLICT (person_id, register) DO UPDATE SET event_type = excluded.event_type, "
        "occurred_at = excluded.occurred_at, entry_id = excluded.entry_id "
        f"WHERE ({table}.occurred_at, {table}.entry_id) "
        "< (excluded.occurred_at, excluded.entry_id)"
    )
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"INSERT INTO {table} ({columns}) SELECT * FROM "  # noqa: S608 - our table
                "unnest(%s::bigint[], %s::varchar[], %s::varchar[], %s::timestamptz[], "
                "%s::bigint[]) ORDER BY 1, 2 " + keep_later,
                [list(column) for column in zip(*rows, strict=True)],
            )
        else:  # stored as Django stores a time there (UTC text)
            adapt = connection.ops.adapt_datetimefield_value
            cursor.executemany(
                f"INSERT INTO {table} ({columns}) VALUES (%s, %s, %s, %s, %s) "  # noqa: S608
                + keep_later,
                [(pk, reg, code, adapt(when), entry) for pk, reg, code, when, entry in rows],
            )


def register_status_refresh() -> int:
    """Rebuild every stored education register status from the chronology, one statement a
    register (the migration's backfill, the demo loader after its bulk COPY, a change to
    `REGISTER_EVENTS`): each person's latest event of the register's codes, by
    `occurred_at` then entry id. Returns how many rows are stored."""
    table = connection.ops.quote_name(RegisterStatus._meta.db_table)
    links = connection.ops.quote_name(ChronologyLink._meta.db_table)
    entries = connection.ops.quote_name(ChronologyEntry._meta.db_table)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table}")  # noqa: S608 - our own table's name
        for register, decided_by in REGISTER_EVENTS.items():
            codes = sorted(decided_by.codes)
            # The latest link of each person among the codes, ranked in SQL (a window works
            # on both engines): set-based, however many millions of links.
            cursor.execute(
                f"INSERT INTO {table} (person_id, register, event_type, occurred_at, entry_id) "  # noqa: S608
                "SELECT person_id, %s, event_type, occurred_at, entry_id FROM ("
                " SELECT l.person_id, e.event_type, l.occurred_at, l.entry_id, ROW_NUMBER() OVER"
                " (PARTITION BY l.person_id ORDER BY l.occurred_at DESC, l.entry_id DESC) AS n"
                f" FROM {links} l JOIN {entries} e ON e.id = l.entry_id"
                f" WHERE e.event_type IN ({', '.join(['%s'] * len(codes))})"
                ") ranked WHERE n = 1",
                [register.value, *codes],
            )
    return RegisterStatus.objects.count()


# --- The registers' stored row per child (ADR 0060) -------------------------------------

# An involvement with no end reaches as far as any date: later than every real end date.
_NO_END = date(9999, 12, 31)


def _facts_select(person_filter: str) -> str:
    """Each child's register facts, from the person, the stored facts above and their
    involvements (one statement, set-based on both engines). The involvements become one
    span: from the earliest start to the latest end (None while one is open), and since the
    last start that follows a gap (an involvement starting after everything that started
    before it had ended: each start, in order, against the furthest end before it, a window
    both engines run).
    Involvements that end on the day they start were never open and are left out."""
    facts = connection.ops.quote_name(RegisterFacts._meta.db_table)
    people = connection.ops.quote_name(Person._meta.db_table)
    involvements = connection.ops.quote_name(Involvement._meta.db_table)
    contacts = connection.ops.quote_name(LastProfessionalContact._meta.db_table)
    first = connection.ops.quote_name(FirstServiceEvent._meta.db_table)
    statuses = connection.ops.quote_name(RegisterStatus._meta.db_table)
    addresses = connection.ops.quote_name(PersonAddress._meta.db_table)
    postal = connection.ops.quote_name(Address._meta.db_table)
    # A postcode's district is its part before the space (the filter matches "DM1 ..."); a
    # postcode without one has none.
    before_space = (
        "split_part(a.postcode, ' ', 1)"
        if connection.vendor == "postgresql"
        else "substr(a.postcode, 1, instr(a.postcode, ' ') - 1)"
    )
    outward = f"CASE WHEN a.postcode LIKE '%% %%' THEN {before_space} END"
    return (
        f"INSERT INTO {facts} (person_id, date_of_birth, date_of_death, is_restricted, "  # noqa: S608 - our tables
        "last_contact, first_service, ehe_event, ehe_at, cme_event, cme_at, involved_from, "
        "involved_until, involved_since, district) "
        "SELECT p.id, p.date_of_birth, p.date_of_death, p.is_restricted, lc.occurred_at, "
        "fs.occurred_at, ehe.event_type, ehe.occurred_at, cme.event_type, cme.occurred_at, "
        "inv.involved_from, inv.involved_until, COALESCE(inv.gap_ends, inv.involved_from), "
        f"CASE WHEN ad.districts > 1 THEN '{SEVERAL_DISTRICTS}' ELSE COALESCE(ad.district, '') END "
        f"FROM {people} p "
        f"LEFT JOIN {contacts} lc ON lc.person_id = p.id "
        f"LEFT JOIN {first} fs ON fs.person_id = p.id "
        f"LEFT JOIN {statuses} ehe ON ehe.person_id = p.id AND ehe.register = %s "
        f"LEFT JOIN {statuses} cme ON cme.person_id = p.id AND cme.register = %s "
        "LEFT JOIN (SELECT person_id, MIN(start_date) AS involved_from, "
        " CASE WHEN COUNT(*) = COUNT(end_date) THEN MAX(end_date) END AS involved_until, "
        " MAX(CASE WHEN start_date > reach THEN start_date END) AS gap_ends "
        " FROM (SELECT i.person_id, i.start_date, i.end_date, MAX(COALESCE(i.end_date, %s)) "
        "  OVER (PARTITION BY i.person_id ORDER BY i.start_date, i.id "
        "  ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS reach "
        f"  FROM {involvements} i WHERE (i.end_date IS NULL OR i.end_date > i.start_date)"
        f"  {person_filter.replace('p.id', 'i.person_id')}) spans "
        " GROUP BY person_id) inv ON inv.person_id = p.id "
        f"LEFT JOIN (SELECT pa.person_id, COUNT(DISTINCT {outward}) AS districts, "
        f" MIN({outward}) AS district FROM {addresses} pa JOIN {postal} a ON a.id = pa.address_id"
        f" WHERE pa.end_date IS NULL {person_filter.replace('p.id', 'pa.person_id')}"
        " GROUP BY pa.person_id) ad ON ad.person_id = p.id "
        f"WHERE p.kind = %s {person_filter} ORDER BY p.id"
    )


def _facts_params(ids: list[int] | None) -> list[Any]:
    no_end = connection.ops.adapt_datefield_value(_NO_END)
    registers = [EducationRegister.EHE.value, EducationRegister.CME.value]
    return [*registers, no_end, *(ids or []), *(ids or []), PersonKind.CHILD.value, *(ids or [])]


def register_facts_on_append(appended: list[tuple[ChronologyEntry, list[int]]]) -> None:
    """Every person an appended entry is about gets their register row worked out again,
    after the listeners above have moved their stored facts (registered after them). Any
    write that changes what a register reads (a person's details or death, an involvement
    opened or ended, a contact, an education event) appends to the person's chronology in
    its transaction, so this keeps the rows as current as the chronology. The rows are
    locked first, in key order, so a concurrent append for the same person waits and then
    reads what the other committed (each statement reads afresh)."""
    ids = sorted({pk for _, person_ids in appended for pk in person_ids})
    if ids:
        register_facts_for(ids)


def register_facts_for(ids: list[int]) -> None:
    """The register rows of these people worked out again: one upsert, and the rows of
    those no longer children removed."""
    held = (
        RegisterFacts.objects.select_for_update(of=("self",))
        .filter(person_id__in=ids)
        .order_by("person_id")
        .values_list("person_id", "person__kind")
    )
    # A row whose person is no longer a child goes (found with the lock, so usually no
    # statement of its own).
    not_children = [pk for pk, kind in held if kind != PersonKind.CHILD]
    marks = ", ".join(["%s"] * len(ids))
    columns = [f.column for f in RegisterFacts._meta.concrete_fields if not f.primary_key]
    update = ", ".join(f"{c} = excluded.{c}" for c in columns)
    # A row whose facts are what it holds is left alone: most appends (a partner event that
    # is no contact, a note) change nothing a register reads, and an unchanged row rewritten
    # would still write a new version into each of its four covering indexes.
    table = connection.ops.quote_name(RegisterFacts._meta.db_table)
    differs = " IS DISTINCT FROM " if connection.vendor == "postgresql" else " IS NOT "
    changed = " OR ".join(f"{table}.{c}{differs}excluded.{c}" for c in columns)
    with connection.cursor() as cursor:
        cursor.execute(
            _facts_select(f"AND p.id IN ({marks})")
            + f" ON CONFLICT (person_id) DO UPDATE SET {update} WHERE {changed}",
            _facts_params(ids),
        )
    if not_children:
        RegisterFacts.objects.filter(person_id__in=not_children).delete()


def register_facts_refresh() -> int:
    """Rebuild every child's register row in one statement (the migration's backfill, the
    demo loader after its bulk COPY, `manage.py last_contact_refresh` after the stored facts
    it reads): a cache rebuilt gives the same rows. Returns how many rows are stored."""
    table = connection.ops.quote_name(RegisterFacts._meta.db_table)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table}")  # noqa: S608 - our own table's name
        cursor.execute(_facts_select(""), _facts_params(None))
    return RegisterFacts.objects.count()
