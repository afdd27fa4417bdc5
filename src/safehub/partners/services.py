"""Receiving partner events and placing them on the right person's record.

A batch is received in chunks, each one transaction that writes every table's rows for all
its events at once (a few INSERTs however many events): a commit is a disk flush and a
query a round trip, so both are paid per chunk, not per event (ADR 0032). If a chunk fails
(a bad row the checks missed, the same event id arriving from another request at the same
moment) nothing of it is kept, and its events are received again one by one, each in its own
savepoint: a bad one is refused alone, a good one is saved whole (event, audit row,
chronology entry, any alert) or not at all. The sender is told nothing until every chunk has
committed, so nothing they are told was accepted can be undone; after a crash they send the
batch again and what had committed is "already received". The same event sent again changes
nothing.

An event is filed on a record automatically only when its NHS number or UPN is on exactly
one person's record (and does not contradict another identifier it carries). Nothing is
ever filed by name alone: everything else waits for the MASH, who match it, create a record
for it, or send it back with a reason.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from safehub.access.guards import check_person_writes
from safehub.access.policy import (
    Action,
    Decision,
    can_create_person,
    can_match_partner_events,
    can_send_partner_events,
    decide,
    decide_many,
)
from safehub.audit.models import AuditAction
from safehub.audit.services import AuditFields, audit_record, audit_record_many, audit_refusal
from safehub.casework.models import CINPlan, CPPlan, PeriodOfCare
from safehub.casework.selectors import current_allocation
from safehub.chronology.models import ChronologyEntry
from safehub.chronology.services import chronology_append_many, new_entry
from safehub.core.bulk import insert_objects
from safehub.core.exceptions import ApplicationError, PermissionDeniedError
from safehub.core.workdays import LONDON
from safehub.notifications.services import notify_staff
from safehub.organisations.models import User
from safehub.partners.codes import (
    BY_CODE,
    CHRONOLOGY_SIGNIFICANCE,
    Channel,
    MatchState,
    Needs,
    Significance,
)
from safehub.partners.encompass import encompass_from_event
from safehub.partners.models import SEND_BACK_REASON_MAX, PartnerEvent, PartnerUpload
from safehub.partners.parsing import MAX_BATCH, CleanEvent, parse_event
from safehub.partners.uploads import CsvPreview, read_csv
from safehub.people.models import Person
from safehub.people.services import person_create


class BatchTooLarge(ApplicationError):
    def __init__(self, sent: int) -> None:
        super().__init__(
            f"A batch can hold up to {MAX_BATCH:,} events; this one has {sent:,}. Nothing was "
            f"saved: send them in batches of {MAX_BATCH:,} or fewer."
        )


class Outcome:
    ACCEPTED = "accepted"
    ALREADY_RECEIVED = "already_received"
    CONFLICT = "conflict"
    REJECTED = "rejected"


class Match:
    """What the sender is told became of an accepted event."""

    MATCHED = "matched"  # filed on a record the sender may see: its SafeHub ID is given
    # Held by SafeHub: waiting for the MASH, or filed on a record the sender may not see.
    # Deliberately not told apart, so sending an NHS number never tells a partner whether
    # the child is known to children's social care.
    RECEIVED = "received"
    SENT_BACK = "sent_back"  # the MASH sent it back, with a reason


@dataclass
class EventOutcome:
    index: int
    event_id: str
    outcome: str
    match: str | None = None
    person_id: int | None = None
    reasons: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "index": self.index,
            "event_id": self.event_id,
            "outcome": self.outcome,
            "match": self.match,
            "person_id": self.person_id,
            "reasons": self.reasons,
        }


def partner_events_receive(
    *, actor: User, events: Sequence[Any], channel: str = Channel.API
) -> list[EventOutcome]:
    """Receive a batch of events from `actor`'s agency; the answer says, event by event,
    what became of it. Call outside any transaction: each chunk of events commits on its own.

    What every event needs looked up (is its id already received, who holds its NHS number
    or UPN, may the sender see that person) is read for the whole batch at once, and each
    chunk's rows are written together, so the queries a batch makes do not grow with it."""
    _require_sender(actor)
    if len(events) > MAX_BATCH:
        raise BatchTooLarge(len(events))
    with transaction.atomic(durable=True):
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            object_type="partners.PartnerEvent",
            detail={"batch": len(events), "channel": channel},
        )
    now = timezone.now()
    agency_kind = actor.agency.kind
    parsed = [parse_event(raw, agency_kind=agency_kind, now=now) for raw in events]
    lookups = BatchLookups.load(actor, [p.event for p in parsed if p.event is not None])
    received: list[tuple[EventOutcome, PartnerEvent | None]] = []
    for start in range(0, len(parsed), COMMIT_EVERY):
        indexes = range(start, min(start + COMMIT_EVERY, len(parsed)))
        try:
            with transaction.atomic(durable=True):
                chunk = _receive_chunk(actor, indexes, channel, parsed, lookups)
        except Exception:
            # Nothing of the chunk was kept: receive its events one at a time, so whatever
            # failed is settled (or refused) alone and the others are saved.
            chunk = _receive_singly(actor, indexes, channel, parsed, lookups)
        else:
            lookups.existing.update({e.partner_event_id: e for _, e in chunk if e is not None})
        received.extend(chunk)
    return _told(actor, received)


# Events written together in one transaction (ADR 0032): a whole batch, since a chunk's
# queries are one per table whatever its size and its commit one disk flush. A failed chunk
# is received again event by event, each in its own savepoint.
COMMIT_EVERY = MAX_BATCH


def _receive_chunk(
    actor: User, indexes: range, channel: str, parsed: Sequence[Any], lookups: BatchLookups
) -> list[tuple[EventOutcome, PartnerEvent | None]]:
    """Judge each event of the chunk, then write the new ones' rows table by table: the
    events, their audit rows, the chronology entries of those an identifier files (and the
    concern rules once for them all), then any Encompass notice or alert they make."""
    answers: list[tuple[EventOutcome, PartnerEvent | None]] = []
    new: dict[str, PartnerEvent] = {}  # ids first seen in this chunk (sent twice: once)
    held: dict[str, str] = {}  # why an identifier did not settle it, by event id
    now = timezone.now()
    for index in indexes:
        item = parsed[index]
        if item.event is None:
            answers.append(
                (EventOutcome(index, item.event_id, Outcome.REJECTED, reasons=item.problems), None)
            )
            continue
        clean: CleanEvent = item.event
        content_hash = clean.content_hash()
        existing = lookups.existing.get(clean.event_id) or new.get(clean.event_id)
        if existing is not None:
            answers.append(_judge_again(index, clean, content_hash, existing))
            continue
        person, held[clean.event_id] = identifier_match(clean, lookups)
        event = _new_event(actor, clean, content_hash, channel, person, now)
        new[clean.event_id] = event
        answers.append((EventOutcome(index, clean.event_id, Outcome.ACCEPTED), event))
    created = insert_objects(list(new.values()))
    audit_record_many(
        (_audit_fields(actor, e, held[e.partner_event_id]) for e in created),
        action=AuditAction.CREATE,
    )
    filed = [(e, e.person) for e in created if e.person is not None]
    chronology_append_many([(_entry(e, p, filed_by=actor), [p]) for e, p in filed])
    for event, person in filed:
        _tell(event, person, filed_by=actor)
    return answers


def _receive_singly(
    actor: User, indexes: range, channel: str, parsed: Sequence[Any], lookups: BatchLookups
) -> list[tuple[EventOutcome, PartnerEvent | None]]:
    """The chunk again, each event in its own savepoint. An error no savepoint explains
    still commits the events before it, then is raised: the sender is told nothing and
    sends the batch again, and what committed is "already received"."""
    answers: list[tuple[EventOutcome, PartnerEvent | None]] = []
    failure: Exception | None = None
    with transaction.atomic(durable=True):
        for index in indexes:
            try:
                answers.append(_receive_one(actor, index, channel, parsed[index], lookups))
            except Exception as error:  # its savepoint is undone; keep those before it
                failure = error
                break
    if failure is not None:
        raise failure
    return answers


@dataclass
class BatchLookups:
    """The reads a batch needs, made once for all its events."""

    existing: dict[str, PartnerEvent]
    holders: dict[tuple[str, str], list[int]]  # (field, value) -> the records holding it
    persons: dict[int, Person]

    @classmethod
    def load(cls, actor: User, cleans: Sequence[CleanEvent]) -> BatchLookups:
        ids = {c.event_id for c in cleans}
        existing = {
            e.partner_event_id: e
            for e in PartnerEvent.objects.filter(
                agency_id=actor.agency_id, partner_event_id__in=ids
            )
        }
        return cls(existing, *cls._holders(cleans))

    @classmethod
    def load_identifiers(cls, cleans: Sequence[Any]) -> BatchLookups:
        return cls({}, *cls._holders(cleans))

    @staticmethod
    def _holders(
        cleans: Sequence[Any],
    ) -> tuple[dict[tuple[str, str], list[int]], dict[int, Person]]:
        holders: dict[tuple[str, str], list[int]] = defaultdict(list)
        for field_name in IDENTIFIERS:
            values = {getattr(c, field_name) for c in cleans if getattr(c, field_name)}
            if values:
                found = Person.objects.filter(**{f"{field_name}__in": values})
                for pk, value in found.values_list("pk", field_name):
                    holders[(field_name, value)].append(pk)
        wanted = {pks[0] for pks in holders.values() if len(pks) == 1}
        # Only what filing reads of each (the date of birth, the policy's restriction, the
        # kind and school an Encompass notice needs): a thousand whole records cost more to
        # read than the rest of the lookups together. Anything else loads if it is asked for.
        return dict(holders), Person.objects.only(*HOLDER_FIELDS).in_bulk(wanted)


IDENTIFIERS = ("nhs_number", "upn")
HOLDER_FIELDS = ("pk", "kind", "date_of_birth", "is_restricted", "school_agency")


def _require_sender(actor: User) -> None:
    """Refuse, and audit the refusal, unless the policy lets `actor` send partner events."""
    if can_send_partner_events(actor):
        return
    audit_refusal(actor=actor, object_type="partners.PartnerEvent", detail={"action": "send"})
    raise PermissionDeniedError("Only partner agencies send partner events.")


def _receive_one(
    actor: User, index: int, channel: str, parsed: Any, lookups: BatchLookups
) -> tuple[EventOutcome, PartnerEvent | None]:
    if parsed.event is None:
        return EventOutcome(index, parsed.event_id, Outcome.REJECTED, reasons=parsed.problems), None
    clean: CleanEvent = parsed.event
    content_hash = clean.content_hash()
    existing = lookups.existing.get(clean.event_id)
    if existing is None:
        try:
            with transaction.atomic():  # a savepoint: this event whole, or not at all
                event = _create(actor, clean, content_hash, channel, lookups)
            lookups.existing[clean.event_id] = event  # the same id again in this batch
            return EventOutcome(index, event.partner_event_id, Outcome.ACCEPTED), event
        except IntegrityError:
            # The same event id arrived at the same moment by another request, which won.
            existing = _existing(actor, clean.event_id)
            if existing is None:
                raise
    return _judge_again(index, clean, content_hash, existing)


def _judge_again(
    index: int, clean: CleanEvent, content_hash: str, existing: PartnerEvent
) -> tuple[EventOutcome, PartnerEvent | None]:
    """An event id already received: the same content changes nothing; other content is a
    conflict, and changes nothing either."""
    if existing.content_hash != content_hash:
        received = existing.received_at.astimezone(LONDON)
        return EventOutcome(
            index,
            clean.event_id,
            Outcome.CONFLICT,
            reasons=[
                f"Event id {clean.event_id} was received on {received:%-d %B %Y} with different "
                "content. An event cannot be changed once sent: send a correction as a new "
                "event with its own id"
            ],
        ), None
    return EventOutcome(index, clean.event_id, Outcome.ALREADY_RECEIVED), existing


def _existing(actor: User, event_id: str) -> PartnerEvent | None:
    return PartnerEvent.objects.filter(agency_id=actor.agency_id, partner_event_id=event_id).first()


def _told(
    actor: User, received: list[tuple[EventOutcome, PartnerEvent | None]]
) -> list[EventOutcome]:
    """What the sender is told of each accepted event, with one policy decision for every
    person the batch was filed on."""
    filed = [e.person for _, e in received if e is not None and e.person is not None]
    decisions = decide_many(actor, filed, Action.VIEW) if filed else {}
    for outcome, event in received:
        if event is not None:
            outcome.match, outcome.person_id, outcome.reasons = sender_view(actor, event, decisions)
    return [outcome for outcome, _ in received]


def sender_view(
    actor: User, event: PartnerEvent, decisions: dict[int, Decision] | None = None
) -> tuple[str, int | None, list[str]]:
    """What the sender may be told of their event: the person's SafeHub ID only where the
    policy lets them see that person (`decisions`: already decided for a batch)."""
    if event.state == MatchState.SENT_BACK:
        return Match.SENT_BACK, None, [event.sent_back_reason]
    if event.person is not None:
        decision = (
            decisions[event.person.pk]
            if decisions is not None and event.person.pk in decisions
            else decide(actor, event.person, Action.VIEW)
        )
        if decision is Decision.ALLOW:
            return Match.MATCHED, event.person_id, []
    return Match.RECEIVED, None, []


def _create(
    actor: User, clean: CleanEvent, content_hash: str, channel: str, lookups: BatchLookups
) -> PartnerEvent:
    person, why_not = identifier_match(clean, lookups)
    event = _new_event(actor, clean, content_hash, channel, person, timezone.now())
    event.save(force_insert=True)
    audit_record(action=AuditAction.CREATE, **_audit_fields(actor, event, why_not))
    if person is not None:
        _file(event, person, filed_by=actor)
    return event


def _new_event(
    actor: User,
    clean: CleanEvent,
    content_hash: str,
    channel: str,
    person: Person | None,
    now: datetime,
) -> PartnerEvent:
    return PartnerEvent(
        agency=actor.agency,
        **clean.model_fields(),
        content_hash=content_hash,
        person=person,
        state=MatchState.MATCHED_BY_IDENTIFIER if person else MatchState.AWAITING,
        matched_at=now if person else None,
        channel=channel,
        received_at=now,
        sent_by=actor,
    )


def _audit_fields(actor: User, event: PartnerEvent, why_not: str) -> AuditFields:
    """The audit row of a received event: what it was and what became of it."""
    return {
        "actor": actor,
        "person_id": event.person_id,
        "object_type": "partners.PartnerEvent",
        "object_id": event.pk,
        "detail": {
            "type": event.type,
            "state": event.state,
            **({"held": why_not} if why_not else {}),
        },
    }


def identifier_match(clean: Any, lookups: BatchLookups | None = None) -> tuple[Person | None, str]:
    """The one person whose record holds the event's NHS number or UPN, or None and why
    not. Two identifiers pointing at two people, or one held by two records, settle nothing;
    neither does a record whose date of birth comes after the event (unless the event is
    about a baby not yet born). `lookups` holds the batch's holders, read once."""
    lookups = lookups or BatchLookups.load_identifiers([clean])
    found: set[int] = set()
    for field_name in IDENTIFIERS:
        value = getattr(clean, field_name)
        if not value:
            continue
        holders = lookups.holders.get((field_name, value), [])
        if len(holders) > 1:
            return None, f"{field_name} is on more than one record"
        found.update(holders)
    if not found:
        return None, ""
    if len(found) > 1:
        return None, "the NHS number and UPN are on different records"
    person = lookups.persons[found.pop()]
    event_type = BY_CODE[clean.type]
    born = person.date_of_birth
    if born and not event_type.pre_birth and clean.occurred_at.astimezone(LONDON).date() < born:
        return None, "it happened before the date of birth on the record"
    return person, ""


def _file(event: PartnerEvent, person: Person, *, filed_by: User) -> None:
    """Put the event on the person's timeline, then tell whoever must hear of it."""
    chronology_append_many([(_entry(event, person, filed_by=filed_by), [person])])
    _tell(event, person, filed_by=filed_by)


def _entry(event: PartnerEvent, person: Person, *, filed_by: User) -> ChronologyEntry:
    """The event's timeline entry, credited to the partner who sent it and their agency;
    entered in SafeHub by whoever filed it (the sender, when an identifier settled it; else
    the MASH worker), when they did."""
    event_type = BY_CODE[event.type]
    return new_entry(
        actor=filed_by,
        event_type=event_type.chronology_code,
        summary=chronology_summary(event),
        significance=CHRONOLOGY_SIGNIFICANCE[Significance(event.significance)],
        done_by=event.sent_by,
        source_agency=event.agency,
        recorded_by=filed_by,
        recorded_at=event.received_at if filed_by.pk == event.sent_by_id else timezone.now(),
        source=event,
        restricted=event.restricted,
        occurred_at=event.occurred_at if event.time_known else None,
        occurred_on=None if event.time_known else event.occurred_at.astimezone(LONDON).date(),
    )


def _tell(event: PartnerEvent, person: Person, *, filed_by: User) -> None:
    """Who must hear of a filed event: the allocated worker of a child on a plan or in care
    who had an unscheduled attendance, and (for domestic abuse) the child's school."""
    if BY_CODE[event.type].unscheduled:
        _alert_allocated_worker(event, person)
    encompass_from_event(event, person, filed_by=filed_by)


def chronology_summary(event: PartnerEvent) -> str:
    """What the timeline says. A restricted event says only that restricted information
    arrived and where it is held: the timeline is read by partners too."""
    via = "the API" if event.channel == Channel.API else "a CSV upload"
    sent = f"Sent by {event.agency.name} through {via}, their reference {event.partner_event_id}."
    if event.restricted:
        return (
            f"Restricted information from {event.agency.name}. The MASH holds the details "
            f"(partner information {event.pk}). {sent}"
        )
    parts = [event.summary]
    event_type = BY_CODE[event.type]
    if event_type.needs & Needs.PERIOD and event.period_start and event.period_end:
        parts.append(
            f"Attendance {event.attendance_percent}% from {event.period_start:%-d %B %Y} to "
            f"{event.period_end:%-d %B %Y}."
        )
    if event.reason:
        parts.append(f"Reason: {event.reason}.")
    parts.append(sent)
    return " ".join(parts)


def on_plan_or_in_care(person: Person) -> bool:
    """On a child protection or child in need plan, or looked after, today."""
    open_ = Q(child=person, end_date__isnull=True)
    return (
        CPPlan.objects.filter(open_).exists()
        or CINPlan.objects.filter(open_).exists()
        or PeriodOfCare.objects.filter(open_).exists()
    )


def _alert_allocated_worker(event: PartnerEvent, person: Person) -> None:
    """An unplanned health attendance by a child on a plan or in care: their allocated
    social worker hears at once. The message names the child by SafeHub ID only."""
    if not on_plan_or_in_care(person):
        return
    allocation = current_allocation(person)
    if allocation is None:
        return
    label = BY_CODE[event.type].label
    day = event.occurred_at.astimezone(LONDON)
    notify_staff(
        user=allocation.worker,
        key=f"partner-event:{event.pk}:unscheduled",
        subject=f"{label} for a child you hold (SafeHub ID {person.pk})",
        body=(
            f"{event.agency.name} reported: {label}, on {day:%-d %B %Y}, for the child with "
            f"SafeHub ID {person.pk}. The child's chronology has the details."
        ),
        link=reverse("people:person-detail", args=[person.pk]),
    )


# --- The MASH's queue --------------------------------------------------------------------


def _require_matcher(actor: User) -> None:
    if not can_match_partner_events(actor):
        raise PermissionDeniedError("Only the MASH matches partner information.")


def _claim(event: PartnerEvent, **data: Any) -> None:
    """Move a waiting event on, once: of two workers acting on it at once, one does."""
    if not PartnerEvent.objects.filter(pk=event.pk, state=MatchState.AWAITING).update(**data):
        raise ValidationError(
            "This partner information has already been matched or sent back by someone else"
        )
    for name, value in data.items():
        setattr(event, name, value)


@transaction.atomic
def partner_event_attach(*, actor: User, event: PartnerEvent, person: Person) -> PartnerEvent:
    """A MASH worker files a waiting event on this person's record: a change to that record,
    so the policy must let them change it."""
    _require_matcher(actor)
    check_person_writes(actor, [person])
    born = person.date_of_birth
    if (
        born
        and not BY_CODE[event.type].pre_birth
        and event.occurred_at.astimezone(LONDON).date() < born
    ):
        raise ValidationError(
            "This happened before that person was born: check it is the right record"
        )
    _claim(
        event,
        person=person,
        state=MatchState.MATCHED_BY_WORKER,
        matched_by=actor,
        matched_at=timezone.now(),
    )
    audit_record(
        actor=actor,
        action=AuditAction.CHANGE,
        person_id=person.pk,
        object_type="partners.PartnerEvent",
        object_id=event.pk,
        detail={"step": "attach"},
    )
    _file(event, person, filed_by=actor)
    return event


@transaction.atomic
def partner_event_new_person(
    *,
    actor: User,
    event: PartnerEvent,
    data: dict[str, Any],
    address: dict[str, Any] | None = None,
) -> Person:
    """Nobody on record is the person the event is about: make their record from the details
    the worker confirmed (the form starts from what the partner sent), then file it there."""
    _require_matcher(actor)
    if not can_create_person(actor):
        raise PermissionDeniedError()
    if event.state != MatchState.AWAITING:
        raise ValidationError(
            "This partner information has already been matched or sent back by someone else"
        )
    person = person_create(actor=actor, data=data, address=address)
    partner_event_attach(actor=actor, event=event, person=person)
    return person


@transaction.atomic
def partner_event_send_back(*, actor: User, event: PartnerEvent, reason: str) -> PartnerEvent:
    """The MASH cannot place it: the sender sees it come back, with the reason."""
    _require_matcher(actor)
    reason = " ".join(str(reason or "").split())
    if not reason:
        raise ValidationError({"reason": "Enter why you are sending it back"})
    if len(reason) > SEND_BACK_REASON_MAX:
        raise ValidationError(
            {"reason": f"The reason must be {SEND_BACK_REASON_MAX} characters or fewer"}
        )
    _claim(
        event,
        state=MatchState.SENT_BACK,
        sent_back_reason=reason,
        matched_by=actor,
        matched_at=timezone.now(),
    )
    audit_record(
        actor=actor,
        action=AuditAction.CHANGE,
        object_type="partners.PartnerEvent",
        object_id=event.pk,
        detail={"step": "send_back"},
    )
    return event


# --- CSV uploads -------------------------------------------------------------------------


@transaction.atomic
def partner_upload_create(*, actor: User, filename: str, content: bytes) -> PartnerUpload:
    """Keep an uploaded file for its preview; nothing in it is received until confirmed."""
    _require_sender(actor)
    upload = PartnerUpload.objects.create(
        agency_id=actor.agency_id,
        uploaded_by=actor,
        filename=(filename or "upload.csv")[:200],
        content=content,
        uploaded_at=timezone.now(),
    )
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        object_type="partners.PartnerUpload",
        object_id=upload.pk,
        detail={"bytes": len(content)},
    )
    return upload


def partner_upload_preview(*, actor: User, upload: PartnerUpload) -> CsvPreview:
    """What the file holds, judged as the API judges events, as of now."""
    return read_csv(bytes(upload.content), agency_kind=actor.agency.kind, now=timezone.now())


def partner_upload_confirm(*, actor: User, upload: PartnerUpload) -> list[EventOutcome]:
    """Send the file's good rows through the same service as the API (each event durable on
    its own, the same idempotency). Confirming again sends nothing new: the events are
    already received, and the first answer is kept."""
    _require_sender(actor)
    preview = partner_upload_preview(actor=actor, upload=upload)
    if not preview.good:
        raise ValidationError("There are no events in this file that can be sent")
    outcomes = partner_events_receive(actor=actor, events=preview.events(), channel=Channel.CSV)
    lines = [row.line for row in preview.good]
    answered = [{**o.as_dict(), "line": lines[o.index]} for o in outcomes]
    with transaction.atomic(durable=True):
        PartnerUpload.objects.filter(pk=upload.pk, confirmed_at__isnull=True).update(
            confirmed_at=timezone.now(), outcomes=answered
        )
    upload.refresh_from_db()
    return outcomes
