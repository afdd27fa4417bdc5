"""Everything that changes a contact. Each function is one transaction that also writes its
audit row, chronology entries and outbox messages, so nothing is half-saved."""

import json
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from safehub.access.guards import check_person_writes, check_sign_off
from safehub.access.policy import SignOff, can_triage
from safehub.audit.models import AuditAction
from safehub.audit.services import audit_record
from safehub.chronology.models import Significance
from safehub.chronology.services import chronology_append
from safehub.core.exceptions import ApplicationError, NotFound, PermissionDeniedError
from safehub.core.models import versioned_update
from safehub.core.once import payload_hash as one_time_payload_hash
from safehub.core.text import clean_text
from safehub.core.workdays import (
    LONDON,
    due_by_end_of_working_day,
    end_of_day,
    next_working_day,
)
from safehub.frontdoor import events
from safehub.frontdoor.codes import (
    OPEN_STATUSES,
    REFERRAL_DECISIONS,
    URGENCY_RANK,
    Channel,
    ConsentDecision,
    LevelOfNeed,
    Rag,
    ReferralSource,
    RequestStatus,
    Status,
    SubjectRole,
    Urgency,
)
from safehub.frontdoor.codes import Decision as MashDecision
from safehub.frontdoor.models import ConsentRecord, Contact, ContactSubject, InformationRequest
from safehub.frontdoor.validation import clean_submission
from safehub.notifications.models import Channel as NoticeChannel
from safehub.notifications.services import notify_staff, outbox_enqueue
from safehub.organisations.models import User
from safehub.sharing.codes import Article6, Article9, Direction
from safehub.sharing.codes import Outcome as SharingOutcome
from safehub.sharing.codes import Source as SharingSource
from safehub.sharing.services import sharing_log_write
from safehub.ui.jinja2 import govuk_date, govuk_time

# No 0/O or 1/I/L: references are read out over the phone.
_REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


class IdempotencyConflict(ApplicationError):
    """The idempotency key was used before for a different submission."""

    def __init__(self) -> None:
        super().__init__("This idempotency key was already used for a different referral.")


def new_reference() -> str:
    return "".join(secrets.choice(_REFERENCE_ALPHABET) for _ in range(8))


def decision_due(received_at: datetime, urgency: str = Urgency.ROUTINE) -> datetime:
    """When the MASH must have decided, set by urgency: an immediate contact within the
    council's number of hours, around the clock; an urgent one by the end of the day it came
    in (London time); any other by the end of its working-day timescale."""
    if urgency == Urgency.IMMEDIATE:  # real hours (in UTC): a clock change is no extra hour
        return received_at.astimezone(UTC) + timedelta(hours=settings.MASH_IMMEDIATE_HOURS)
    if urgency == Urgency.URGENT:
        return end_of_day(received_at.astimezone(LONDON).date())
    return due_by_end_of_working_day(received_at, settings.MASH_DECISION_WORKING_DAYS)


def decision_promise(urgency: str, due: datetime) -> str:
    """What the referrer is told about when the MASH will decide, in words that fit after
    "decide": "within 2 hours, by 11:30am on Monday 23 November 2026"."""
    local = due.astimezone(LONDON)
    when = f"by {govuk_time(local)} on {local:%A} {govuk_date(local)}"
    if urgency == Urgency.IMMEDIATE:
        hours = settings.MASH_IMMEDIATE_HOURS
        return f"within {hours} hour{'' if hours == 1 else 's'}, {when}"
    if urgency == Urgency.URGENT:
        return f"{when}, the end of the day it arrived"
    return when


def decision_timescales() -> str:
    """How urgency sets the decision clock, for the people choosing it."""
    hours, days = settings.MASH_IMMEDIATE_HOURS, settings.MASH_DECISION_WORKING_DAYS
    routine = "the next working day" if days == 1 else f"{days} working days after it arrives"
    return (
        f"The MASH decides on an immediate referral within {hours} "
        f"hour{'' if hours == 1 else 's'}, day or night; on an urgent one by the end of the "
        f"day it arrives; on any other by the end of {routine}."
    )


def _replay(key: str, payload_hash: str) -> Contact:
    existing = Contact.objects.get(idempotency_key=key)
    if existing.payload_hash != payload_hash:
        raise IdempotencyConflict()
    return existing


def contact_submit(
    *,
    actor: User | None,
    channel: str,
    data: dict[str, Any],
    idempotency_key: str | None = None,
    received_at: datetime | None = None,
) -> tuple[Contact, bool]:
    """Receive a worry about a child. Returns (contact, created). `actor` is the member of
    staff who refers or takes the call, or None for a member of the public (the report form).

    The contact commits in its own durable transaction before anything else happens, so a
    later failure (matching, notifications, rendering the page) cannot lose it. A retry
    with the same idempotency key returns the first contact and creates nothing.
    """
    problems: dict[str, str] = {}
    if channel == Channel.PHONE:
        received_at = _call_received_at(actor, received_at, problems)
    try:
        cleaned = clean_submission(data, channel=channel)
    except ValidationError as error:  # every problem at once, the call time's too
        raise ValidationError({**error.message_dict, **problems}) from None
    if problems:
        raise ValidationError(problems)
    if channel in (Channel.PROFESSIONAL, Channel.API):
        if actor is None:  # a professional's referral comes from a signed-in professional
            raise PermissionDeniedError()
        _fill_professional_referrer(actor, cleaned)
    payload_hash = one_time_payload_hash(cleaned)
    if idempotency_key and Contact.objects.filter(idempotency_key=idempotency_key).exists():
        return _replay(idempotency_key, payload_hash), False
    try:
        with transaction.atomic(durable=True):
            contact = _create_contact(
                actor,
                channel,
                cleaned,
                idempotency_key,
                payload_hash,
                received_at or timezone.now(),
            )
    except IntegrityError:
        if not idempotency_key:
            raise
        # A simultaneous retry won the race; it holds the one contact for this key.
        return _replay(idempotency_key, payload_hash), False
    return contact, True


PHONE_BACKDATE_DAYS = 7  # a call typed up after a busy shift, not one from weeks ago


def _call_received_at(
    actor: User | None, received_at: datetime | None, problems: dict[str, str]
) -> datetime:
    """A telephone contact is recorded by the MASH, dated when the call came in: never in
    the future, and within the last week (its decision clock starts then)."""
    if actor is None or not can_triage(actor):
        raise PermissionDeniedError()
    now = timezone.now()
    if received_at is None:
        return now
    if received_at > now + timedelta(minutes=1):
        problems["received_at"] = "The time of the call cannot be in the future"
    elif received_at < now - timedelta(days=PHONE_BACKDATE_DAYS):
        problems["received_at"] = f"The call must have been in the last {PHONE_BACKDATE_DAYS} days"
    return received_at


def _fill_professional_referrer(actor: User, cleaned: dict[str, Any]) -> None:
    referrer = cleaned["referrer"]
    referrer["name"] = referrer["name"] or actor.get_full_name() or actor.username
    referrer["email"] = referrer["email"] or actor.email
    referrer["relationship"] = referrer["relationship"] or actor.job_title or actor.agency.name


def _create_contact(
    actor: User | None,
    channel: str,
    cleaned: dict[str, Any],
    key: str | None,
    payload_hash: str,
    received_at: datetime,
) -> Contact:
    referrer = cleaned["referrer"]
    staff = actor  # None: a member of the public
    # Online and API referrals come from the signed-in professional; a telephone contact
    # from the caller, typed in by the MASH worker who took the call.
    referrer_user = staff if channel in (Channel.PROFESSIONAL, Channel.API) else None
    contact = Contact.objects.create(
        reference=new_reference(),
        channel=channel,
        referral_source=cleaned["referral_source"],
        received_at=received_at,
        decision_due_at=decision_due(received_at, cleaned["urgency"]),
        idempotency_key=key or None,
        payload_hash=payload_hash,
        submission=json.loads(json.dumps(cleaned, default=str)),
        referrer_user=referrer_user,
        referrer_agency=referrer_user.agency if referrer_user else None,
        recorded_by=staff if channel == Channel.PHONE else None,
        referrer_name=referrer["name"],
        referrer_relationship=referrer["relationship"],
        referrer_email=referrer["email"],
        referrer_phone=referrer["phone"],
        wants_contact=referrer["wants_contact"] or referrer_user is not None,
        concern_summary=cleaned["concern_summary"],
        in_danger_now=cleaned["in_danger_now"],
        concern_factors=cleaned["concern_factors"],
        what_tried=cleaned["what_tried"],
        family_aware=cleaned["family_aware"],
        consent=cleaned["consent"],
        consent_not_sought_reason=cleaned["consent_not_sought_reason"],
        urgency=cleaned["urgency"],
        urgency_rank=URGENCY_RANK[cleaned["urgency"]],
    )
    subjects = [
        ContactSubject(contact=contact, role=SubjectRole.CHILD, position=i, **child)
        for i, child in enumerate(cleaned["children"])
    ]
    subjects += [
        ContactSubject(contact=contact, role=SubjectRole.ADULT, position=i, **adult)
        for i, adult in enumerate(cleaned["adults"])
    ]
    ContactSubject.objects.bulk_create(subjects)
    audit_record(
        actor=staff,
        action=AuditAction.CREATE,
        object_type="frontdoor.Contact",
        object_id=contact.reference,
        detail={"channel": channel},
    )
    _acknowledge(contact)
    return contact


def _acknowledge(contact: Contact) -> None:
    subject = f"We have received your referral {contact.reference}"
    promise = decision_promise(contact.urgency, contact.decision_due_at)
    body = (
        f"Thank you. Your referral {contact.reference} reached the Multi-Agency "
        f"Safeguarding Hub. We will decide what help is needed {promise}. "
        "If a child is in immediate danger, call 999."
    )
    _tell_referrer(contact, "ack", subject, body)


def _tell_referrer(contact: Contact, event: str, subject: str, body: str) -> None:
    """Tell whoever made the contact: staff in their SafeHub inbox and by e-mail; a member
    of the public by e-mail, only if they asked to be contacted and gave an address."""
    key = f"contact:{contact.pk}:{event}"
    staff = contact.referrer_user  # no query when there is none
    if staff is not None:
        link = reverse("frontdoor:referral-detail", args=[contact.reference])
        notify_staff(user=staff, key=key, subject=subject, body=body, link=link)
    elif contact.wants_contact and contact.referrer_email:
        outbox_enqueue(
            channel=NoticeChannel.EMAIL,
            dedupe_key=key + ":email",
            subject=subject,
            body=body,
            email=contact.referrer_email,
        )


# --- Triage ----------------------------------------------------------------------------


def _require_open(contact: Contact) -> None:
    """Triage is possible until a decision is recorded; while a decision waits for sign-off
    the contact stays as the manager is reviewing it."""
    if contact.status not in OPEN_STATUSES:
        raise ValidationError("This contact has been decided and can no longer be changed")
    if contact.status == Status.AWAITING_SIGN_OFF:
        raise ValidationError(
            "This decision is waiting for a manager. It can be changed "
            "only if the manager returns it"
        )


def _audit_change(actor: User, contact: Contact, step: str, **detail: Any) -> None:
    linked = [s.person_id for s in contact.subjects.all() if s.person_id]
    audit_record(
        actor=actor,
        action=AuditAction.CHANGE,
        person_id=linked[0] if linked else None,
        subject_ids=linked,
        object_type="frontdoor.Contact",
        object_id=contact.reference,
        detail={"step": step, **detail},
    )


@transaction.atomic
def contact_take(*, actor: User, contact: Contact, expected_version: int) -> Contact:
    """A MASH worker picks the contact up: it is theirs and in triage."""
    _require_open(contact)
    data: dict[str, Any] = {"assigned_to": actor}
    if contact.status == Status.NEW:
        data["status"] = Status.IN_TRIAGE
    versioned_update(instance=contact, expected_version=expected_version, data=data)
    _audit_change(actor, contact, "take")
    return contact


@transaction.atomic
def contact_rate(
    *, actor: User, contact: Contact, expected_version: int, rag: str, level_of_need: str
) -> Contact:
    """Record the RAG rating and the level of need."""
    _require_open(contact)
    errors = {}
    if rag not in Rag.values:
        errors["rag"] = "Select a RAG rating"
    if level_of_need not in LevelOfNeed.values:
        errors["level_of_need"] = "Select the level of need"
    if errors:
        raise ValidationError(errors)
    data: dict[str, Any] = {"rag": rag, "level_of_need": level_of_need}
    if contact.status == Status.NEW:
        data.update(status=Status.IN_TRIAGE, assigned_to=contact.assigned_to or actor)
    versioned_update(instance=contact, expected_version=expected_version, data=data)
    _audit_change(actor, contact, "rate", rag=rag, level_of_need=level_of_need)
    return contact


@transaction.atomic
def contact_link_subject(
    *, actor: User, contact: Contact, subject: ContactSubject, person: Any
) -> ContactSubject:
    """Confirm that a child or adult named in the contact is this existing person. A
    worker decides this; matching only suggests."""
    _require_open(contact)
    if subject.contact_id != contact.pk:
        raise NotFound()
    check_person_writes(actor, [person])
    if subject.person_id == person.pk:
        return subject
    subject.person, subject.linked_by, subject.linked_at = person, actor, timezone.now()
    subject.save(update_fields=["person", "linked_by", "linked_at", "updated_at"])
    _audit_change(actor, contact, "link", person=person.pk, subject=subject.pk)
    if subject.role == SubjectRole.CHILD:
        # The referrer made the contact; the worker linking it only files it on the record.
        chronology_append(
            actor=actor,
            persons=[person],
            event_type=events.CONTACT_RECEIVED,
            occurred_at=contact.received_at,
            significance=Significance.MEDIUM,
            source=contact,
            summary=f"Contact {contact.reference} from {contact.get_referral_source_display()}"
            f": {_first_line(contact.concern_summary)}",
            **_referrer_credit(contact),
        )
    return subject


# Referral sources that are private individuals (CIN census 1A-1D, anonymous, unknown).
_INDIVIDUAL_SOURCES = frozenset({"1A", "1B", "1C", "1D", "9", "10"})


def referrer_label(*, channel: str, referral_source: str, referrer_name: str) -> str:
    """How a chronology names a referrer who is not a SafeHub user. A private individual
    (a relative, a neighbour, the child, anyone anonymous) is never named: a child's record
    is read by many, and who reported a worry is confidential. A professional who phoned is
    named, with the kind of agency they said they were from."""
    source = ReferralSource(referral_source).label
    if channel != Channel.PHONE:
        return f"a member of the public: {_lower_first(source)}"
    if referral_source in _INDIVIDUAL_SOURCES or not referrer_name:
        return f"a caller: {_lower_first(source)}"
    return f"{referrer_name} ({source}, by telephone)"


def _lower_first(label: str) -> str:
    # "Family member, …" reads on inside a sentence; "GP" and "A&E" stay as they are.
    return label[:1].lower() + label[1:] if label[1:2].islower() else label


def _referrer_credit(contact: Contact) -> dict[str, Any]:
    """Who to credit with a contact, and who entered it in SafeHub: the professional who
    referred online (and their agency), else the referrer as `referrer_label` describes
    them; entered by that professional, by the MASH worker who took the call, or by nobody
    signed in (the public form)."""
    staff = contact.referrer_user
    return {
        "done_by": staff,
        "done_by_label": ""
        if staff
        else referrer_label(
            channel=contact.channel,
            referral_source=contact.referral_source,
            referrer_name=contact.referrer_name,
        ),
        "source_agency": contact.referrer_agency if staff else None,
        "recorded_by": staff or contact.recorded_by,
        "recorded_at": contact.created_at,
    }


@transaction.atomic
def contact_unlink_subject(
    *, actor: User, contact: Contact, subject: ContactSubject
) -> ContactSubject:
    _require_open(contact)
    if subject.contact_id != contact.pk:
        raise NotFound()
    if subject.person_id:
        _audit_change(actor, contact, "unlink", person=subject.person_id, subject=subject.pk)
        subject.person, subject.linked_by, subject.linked_at = None, None, None
        subject.save(update_fields=["person", "linked_by", "linked_at", "updated_at"])
    return subject


@transaction.atomic
def contact_subject_new_person(
    *,
    actor: User,
    contact: Contact,
    subject: ContactSubject,
    data: dict[str, Any],
    address: dict[str, Any] | None = None,
) -> Any:
    """Nobody on record matches: create the person from the details the worker confirmed
    (the form starts from what the referrer told us, `carry_over.person_prefill`), then
    link them."""
    from safehub.people.services import person_create

    _require_open(contact)
    if subject.contact_id != contact.pk or subject.person_id:
        raise NotFound()
    person = person_create(actor=actor, data=data, address=address)
    contact_link_subject(actor=actor, contact=contact, subject=subject, person=person)
    return person


@dataclass(frozen=True)
class CarryOverResult:
    recorded: list[str]  # the suggestions' keys
    refused: dict[str, str]  # key: why the records refused it, in plain English


@transaction.atomic
def contact_carry_over(
    *, actor: User, contact: Contact, keys: list[str] | None = None
) -> CarryOverResult:
    """Record what the referrer told us that the linked records do not hold yet: the
    suggestions named by `keys`, or every one that can be recorded (None). Each is
    written through the people services, which check the policy for every person they
    touch, audit and add chronology entries; one the records refuse (a parent born after
    their child) is reported and the rest still recorded."""
    from safehub.frontdoor.carry_over import contact_suggestions

    _require_open(contact)
    offered = [s for s in contact_suggestions(actor=actor, contact=contact) if s.actionable]
    chosen = offered if keys is None else [s for s in offered if s.key in keys]
    if not chosen:
        raise ValidationError(
            {"suggestion": "There is nothing left to record: the records may already say it"}
        )
    recorded, refused = [], {}
    for suggestion in chosen:
        try:
            with transaction.atomic():
                _apply_suggestion(actor, contact, suggestion)
        except ValidationError as error:
            refused[suggestion.key] = f"{suggestion.change}: {error.messages[0]}"
        else:
            recorded.append(suggestion.key)
    if recorded:
        _audit_change(actor, contact, "carry_over", recorded=recorded)
    return CarryOverResult(recorded=recorded, refused=refused)


def _apply_suggestion(actor: User, contact: Contact, suggestion: Any) -> None:
    from safehub.people.models import Person
    from safehub.people.services import person_move, person_update, relationship_create

    if suggestion.kind == "relationship":
        relationship_create(
            actor=actor,
            subject=suggestion.person,
            other=suggestion.other,
            type=suggestion.relationship_type,
        )
    elif suggestion.kind == "address":
        person_move(
            actor=actor,
            person=suggestion.person,
            address=suggestion.value,
            start_date=timezone.localdate(contact.received_at),
        )
    else:
        person = Person.objects.get(pk=suggestion.person.pk)
        person_update(
            actor=actor, person=person, expected_version=person.version, data=suggestion.value
        )


# --- Partner information and consent -----------------------------------------------------

DUE_OPTIONS = {
    "4h": "Within 4 hours",
    "today": "By the end of today",
    "next": "By the end of the next working day",
}


def information_due_at(option: str, now: datetime | None = None) -> datetime:
    now = now or timezone.now()
    local = now.astimezone(LONDON)
    if option == "4h":
        return now + timedelta(hours=4)
    if option == "today":
        return local.replace(hour=23, minute=59, second=59, microsecond=0)
    if option == "next":
        day = next_working_day(local.date())
        return datetime(day.year, day.month, day.day, 23, 59, 59, tzinfo=LONDON)
    raise ValidationError({"due": "Select when the answer is needed"})


@transaction.atomic
def information_request_send(
    *, actor: User, contact: Contact, agency: Any, question: Any, due: str
) -> InformationRequest:
    _require_open(contact)
    errors: dict[str, str | list[str]] = {}
    if agency is None:
        errors["agency"] = "Select the agency to ask"
    try:
        question = clean_text(
            question, label="what you need to know", max_length=2000, multiline=True
        )
    except ValidationError as error:
        errors["question"] = error.messages[0]
    try:
        due_at = information_due_at(due)
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    request = InformationRequest.objects.create(
        contact=contact, agency=agency, question=question, due_at=due_at, requested_by=actor
    )
    _audit_change(actor, contact, "request_information", agency=agency.pk, request=request.pk)
    _log_request_sharing(actor, request, Direction.TO_PARTNER)
    outbox_enqueue(
        channel=NoticeChannel.INBOX,
        dedupe_key=f"inforequest:{request.pk}:sent",
        subject=f"The MASH asks for information (contact {contact.reference})",
        body=f"{question}\n\nPlease answer by {timezone.localtime(due_at):%-d %B %Y %H:%M}.",
        link=reverse("frontdoor:request-answer", args=[request.pk]),
        agency=agency,
    )
    return request


def _log_request_sharing(actor: User, request: InformationRequest, direction: str) -> None:
    """The question names the people linked to the contact; the answer tells the MASH what
    the partner knows of them. Each is a disclosure in every linked person's sharing log."""
    contact = request.contact
    asked = direction == Direction.TO_PARTNER
    for subject in contact.subjects.select_related("person").filter(person__isnull=False):
        assert subject.person is not None
        sharing_log_write(
            actor=actor,
            person=subject.person,
            agency=request.agency,
            direction=direction,
            outcome=SharingOutcome.SHARED,
            purpose=f"MASH enquiry into contact {contact.reference}: "
            + ("asking what the agency knows" if asked else "the agency's answer"),
            what="Who the contact is about and the MASH's question"
            if asked
            else "What the agency knows of the family",
            article6=Article6.PUBLIC_TASK,
            article9=Article9.SAFEGUARDING,
            source=SharingSource.INFORMATION_REQUEST,
            source_id=request.pk,
        )


@transaction.atomic
def information_request_answer(
    *, actor: User, request: InformationRequest, expected_version: int, answer: Any
) -> InformationRequest:
    if request.status != RequestStatus.OPEN:
        raise ValidationError("This request has already been answered or was cancelled")
    try:
        answer = clean_text(answer, label="your answer", max_length=5000, multiline=True)
    except ValidationError as error:
        raise ValidationError({"answer": error.messages[0]}) from None
    versioned_update(
        instance=request,
        expected_version=expected_version,
        data={
            "status": RequestStatus.ANSWERED,
            "answer": answer,
            "answered_by": actor,
            "answered_at": timezone.now(),
        },
    )
    contact = request.contact
    linked = [s.person for s in contact.subjects.select_related("person") if s.person]
    audit_record(
        actor=actor,
        action=AuditAction.CHANGE,
        person_id=linked[0].pk if linked else None,
        object_type="frontdoor.InformationRequest",
        object_id=request.pk,
        detail={"step": "answer"},
    )
    _log_request_sharing(actor, request, Direction.FROM_PARTNER)
    if linked:
        chronology_append(
            actor=actor,
            persons=linked,
            event_type=events.PARTNER_INFORMATION,
            occurred_at=request.answered_at,
            source_agency=request.agency,
            source=request,
            significance=Significance.MEDIUM,
            summary=f"{request.agency.name} answered the MASH: {_first_line(answer)}",
        )
    outbox_enqueue(
        channel=NoticeChannel.INBOX,
        dedupe_key=f"inforequest:{request.pk}:answered",
        subject=f"{request.agency.name} answered (contact {contact.reference})",
        body=answer,
        link=reverse("frontdoor:contact-detail", args=[contact.reference]),
        user=request.requested_by,
    )
    return request


@transaction.atomic
def consent_record(*, actor: User, contact: Contact, decision: str, reason: Any) -> ConsentRecord:
    _require_open(contact)
    errors = {}
    if decision not in ConsentDecision.values:
        errors["decision"] = "Select the consent decision"
    try:
        reason = clean_text(reason, label="the reason", max_length=2000, multiline=True)
    except ValidationError as error:
        errors["reason"] = error.messages[0]
    if errors:
        raise ValidationError(errors)
    record = ConsentRecord.objects.create(
        contact=contact, decision=decision, reason=reason, recorded_by=actor
    )
    _audit_change(actor, contact, "consent", decision=decision)
    return record


# --- Decision and sign-off ---------------------------------------------------------------


@transaction.atomic
def contact_decide(
    *,
    actor: User,
    contact: Contact,
    expected_version: int,
    decision: str,
    reasons: Any,
    feedback: Any = "",
    primary_need: str = "",
) -> Contact:
    """Record the MASH decision. Where the council requires sign-off it waits for a
    manager; otherwise it is final at once and the referrer is told. A referral to
    children's social care needs the child's primary need, and each child's record what
    the census asks of a child in need (`casework.services.census_gaps`)."""
    _require_open(contact)
    errors: dict[str, str] = {}
    if decision not in MashDecision.values:
        errors["decision"] = "Select a decision"
    try:
        reasons = clean_text(
            reasons, label="the reasons for the decision", max_length=5000, multiline=True
        )
    except ValidationError as error:
        errors["reasons"] = error.messages[0]
    try:
        feedback = clean_text(
            feedback,
            label="the message to the referrer",
            max_length=2000,
            multiline=True,
            required=False,
        )
    except ValidationError as error:
        errors["feedback"] = error.messages[0]
    if not contact.rag or not contact.level_of_need:
        errors["decision"] = "Record the RAG rating and level of need before deciding"
    elif decision in REFERRAL_DECISIONS and any(
        s.person_id is None for s in contact.subjects.all() if s.role == SubjectRole.CHILD
    ):
        errors["decision"] = (
            "Link every child to a record (or create one) before "
            "referring to children's social care"
        )
    elif decision in REFERRAL_DECISIONS:
        errors.update(_referral_census_errors(contact, primary_need))
    if errors:
        raise ValidationError(errors)
    needs_sign_off = settings.MASH_MANAGER_SIGNOFF
    versioned_update(
        instance=contact,
        expected_version=expected_version,
        data={
            "decision": decision,
            "decision_reasons": reasons,
            "primary_need": primary_need if decision in REFERRAL_DECISIONS else "",
            "referrer_feedback": feedback,
            "decided_by": actor,
            "decided_at": timezone.now(),
            "status": Status.AWAITING_SIGN_OFF if needs_sign_off else Status.IN_TRIAGE,
            "assigned_to": contact.assigned_to or actor,
        },
    )
    _audit_change(actor, contact, "decide", decision=decision)
    if not needs_sign_off:
        _finalise(actor, contact)
    return contact


def _referral_census_errors(contact: Contact, primary_need: str) -> dict[str, str]:
    """Census errors stopped at the front door: the primary need (rule 8610), and for each
    child the disability answer and a UPN or its reason. Children are named as the referrer
    named them, which anyone on the contact already sees."""
    from safehub.casework.services import NEEDS_FOR_A_REFERRAL, census_gaps

    errors = {}
    if primary_need not in NEEDS_FOR_A_REFERRAL:
        errors["primary_need"] = "Select the child's primary need"
    problems = [
        f"{s.given_name} {s.family_name}".strip() + f"'s record needs {' and '.join(gaps)}"
        for s in contact.subjects.select_related("person")
        if s.role == SubjectRole.CHILD and s.person_id and (gaps := census_gaps(s.person))
    ]
    if problems:
        errors["decision"] = (
            "Before referring to children's social care, "
            + "; ".join(problems)
            + ". Record it on their page (open the record from the people section)"
        )
    return errors


@transaction.atomic
def contact_sign_off(
    *, actor: User, contact: Contact, expected_version: int, approve: bool, note: Any = ""
) -> Contact:
    check_sign_off(actor, SignOff.MASH_DECISION, done_by_id=contact.decided_by_id, field="approve")
    if contact.status != Status.AWAITING_SIGN_OFF:
        raise ValidationError("This contact is not waiting for sign-off")
    if approve:
        versioned_update(
            instance=contact,
            expected_version=expected_version,
            data={"signed_off_by": actor, "signed_off_at": timezone.now()},
        )
        _audit_change(actor, contact, "sign_off", approved=True)
        _finalise(actor, contact)
        return contact
    try:
        note = clean_text(
            note, label="why the decision should change", max_length=2000, multiline=True
        )
    except ValidationError as error:
        raise ValidationError({"note": error.messages[0]}) from None
    versioned_update(
        instance=contact,
        expected_version=expected_version,
        data={
            "status": Status.IN_TRIAGE,
            "decision": "",
            "decision_reasons": f"{contact.decision_reasons}\n\nReturned by "
            f"{actor.get_full_name()}: {note}",
        },
    )
    _audit_change(actor, contact, "sign_off", approved=False)
    return contact


def _finalise(actor: User, contact: Contact) -> None:
    now = timezone.now()
    Contact.objects.filter(pk=contact.pk).update(status=Status.DECIDED, closed_at=now)
    contact.status, contact.closed_at = Status.DECIDED, now
    children = [
        s.person
        for s in contact.subjects.select_related("person")
        if s.person_id and s.role == SubjectRole.CHILD
    ]
    # The decision goes on each child's record (and a referral opens their casework), so
    # whoever makes it final must be allowed to change every one of those records.
    check_person_writes(actor, children)
    label = contact.get_decision_display()
    if children:
        _decision_entries(actor, contact, children, label)
    if contact.decision in REFERRAL_DECISIONS:
        from safehub.casework.services import episode_open_from_referral

        strategy = contact.decision == MashDecision.STRATEGY
        for child in children:
            episode_open_from_referral(
                actor=actor, contact=contact, child=child, strategy_discussion=strategy
            )
    _tell_referrer(
        contact,
        "outcome",
        f"Outcome of your referral {contact.reference}",
        _outcome_message(contact, label),
    )


def _decision_entries(actor: User, contact: Contact, children: list[Any], label: str) -> None:
    """The decision goes on each child's chronology credited to the worker who made it,
    when they made it (it lands once final, so a returned decision never does); a manager's
    sign-off is an entry of its own, credited to the manager."""
    chronology_append(
        actor=actor,
        persons=children,
        event_type=events.CONTACT_DECISION,
        significance=(
            Significance.HIGH if contact.decision in REFERRAL_DECISIONS else Significance.LOW
        ),
        source=contact,
        summary=f"MASH decision on contact {contact.reference}: {label}",
        occurred_at=contact.decided_at,
        done_by=contact.decided_by,
        recorded_by=contact.decided_by,
        recorded_at=contact.decided_at,
    )
    if contact.signed_off_by_id:
        chronology_append(
            actor=actor,
            persons=children,
            event_type=events.CONTACT_DECISION_SIGNED_OFF,
            significance=Significance.LOW,
            source=contact,
            summary=f"Decision on contact {contact.reference} signed off: {label}",
            occurred_at=contact.signed_off_at,
        )


def _outcome_message(contact: Contact, label: str) -> str:
    # Referrers hear the outcome, not the MASH's reasoning or what partners shared.
    message = (
        f"The Multi-Agency Safeguarding Hub has considered referral "
        f"{contact.reference} and decided: {label}."
    )
    if contact.referrer_feedback:
        message += f"\n\n{contact.referrer_feedback}"
    return message + (
        "\n\nThank you for telling us. If you are worried again, please tell "
        "us again; if a child is in immediate danger, call 999."
    )


def _first_line(text: str, limit: int = 140) -> str:
    line = text.strip().splitlines()[0] if text.strip() else ""
    return line if len(line) <= limit else line[: limit - 1] + "…"
