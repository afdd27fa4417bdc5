"""Subject access requests: record one, extend its deadline, compile the bundle, decide its
redactions, export it and mark it sent. Each step is audited in its own transaction."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from safehub.access.policy import Action, can_handle_subject_access
from safehub.audit.models import AuditAction
from safehub.audit.services import audit_record
from safehub.casework.timescales import add_months
from safehub.core.exceptions import PermissionDeniedError
from safehub.core.models import versioned_update
from safehub.core.workdays import is_working_day, next_working_day
from safehub.organisations.models import User
from safehub.people.models import Person
from safehub.subjectaccess import selectors
from safehub.subjectaccess.export import bundle_pdf
from safehub.subjectaccess.fetchers import access_subject
from safehub.subjectaccess.models import (
    BundleItem,
    Redaction,
    RedactionState,
    RequesterKind,
    Stage,
    SubjectAccessRequest,
)

# UK GDPR Art. 12(3): one month from receipt, extendable by two further months.
MONTHS_TO_ANSWER = 1
MONTHS_EXTENDED = 2
TERM_MAX = 200


def deadline_from(received_on: date, months: int) -> date:
    """The same date `months` later (the month's last day if it has no such date), moved
    to the next working day if it falls on a weekend or bank holiday (the ICO's reading)."""
    due = add_months(received_on, months)
    return due if is_working_day(due) else next_working_day(due)


def _check_handler(actor: User) -> None:
    if not can_handle_subject_access(actor):
        raise PermissionDeniedError()


def _audit(
    actor: User, sar: SubjectAccessRequest, action: str, step: str, **detail: object
) -> None:
    audit_record(
        actor=actor,
        action=action,
        person_id=sar.person_id,
        object_type="subjectaccess.Request",
        object_id=sar.pk,
        detail={"step": step, **detail},
    )


def sar_record(
    *,
    actor: User,
    person: Person,
    requester_name: str,
    requester_kind: str,
    identity_checked: bool,
    identity_evidence: str,
    received_on: date,
    today: date,
) -> SubjectAccessRequest:
    """Record a request about `person` (fetched through `person_for_new_request`)."""
    _check_handler(actor)
    errors = {}
    if not requester_name.strip():
        errors["requester_name"] = "Enter the name of the person who made the request"
    if requester_kind not in RequesterKind.values:
        errors["requester_kind"] = "Select who made the request"
    if received_on > today:
        errors["received_on"] = "The date received must be today or in the past"
    if identity_checked and not identity_evidence.strip():
        errors["identity_evidence"] = "Enter how the requester's identity was checked"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        sar = SubjectAccessRequest.objects.create(
            person=person,
            requester_name=requester_name.strip(),
            requester_kind=requester_kind,
            identity_checked=identity_checked,
            identity_evidence=identity_evidence.strip(),
            received_on=received_on,
            due_on=deadline_from(received_on, MONTHS_TO_ANSWER),
            recorded_by=actor,
        )
        _audit(actor, sar, AuditAction.CREATE, "recorded")
    return sar


def sar_extend(
    *, actor: User, sar: SubjectAccessRequest, expected_version: int, reason: str, today: date
) -> SubjectAccessRequest:
    """Extend by the two further months Art. 12(3) allows, once, with a reason, and only
    within the first month (the requester must be told before it ends)."""
    _check_handler(actor)
    if not reason.strip():
        raise ValidationError({"reason": "Enter why the request needs more time"})
    if sar.extended_to is not None:
        raise ValidationError({"reason": "This request has already been extended"})
    if today > sar.due_on:
        raise ValidationError(
            {"reason": "A request can only be extended before its first deadline has passed"}
        )
    with transaction.atomic():
        versioned_update(
            instance=sar,
            expected_version=expected_version,
            data={
                "extended_to": deadline_from(sar.received_on, MONTHS_TO_ANSWER + MONTHS_EXTENDED),
                "extension_reason": reason.strip(),
            },
        )
        _audit(actor, sar, AuditAction.CHANGE, "extended")
    return sar


def sar_compile(*, actor: User, sar: SubjectAccessRequest) -> int:
    """Copy everything held about the subject into the bundle (replacing an earlier copy)
    and suggest the third parties found in it; decisions already made on a name are kept.
    The subject is read through the policy (audited as an export). Returns the item count."""
    _check_handler(actor)
    if not sar.is_open:
        raise ValidationError("This request has been sent; its bundle can no longer change")
    person = access_subject(actor=actor, sar=sar, action=Action.EXPORT)
    items = selectors.bundle_for(actor, person)
    texts = [f"{i.heading}\n{i.text}" for i in items]
    with transaction.atomic():
        sar.items.all().delete()
        BundleItem.objects.bulk_create(
            BundleItem(
                request=sar,
                section=item.section,
                position=n,
                occurred_on=item.occurred_on,
                heading=item.heading[:200],
                text=item.text,
            )
            for n, item in enumerate(items)
        )
        known = set(sar.redactions.values_list("term", flat=True))
        suggested = [
            Redaction(request=sar, term=term[:TERM_MAX], why=why[:200])
            for term, why in selectors.third_parties(person)
            if term not in known and selectors.occurrences(term, texts)
        ]
        Redaction.objects.bulk_create(suggested)
        sar.stage, sar.compiled_at = Stage.IN_REVIEW, timezone.now()
        SubjectAccessRequest.objects.filter(pk=sar.pk).update(
            stage=sar.stage, compiled_at=sar.compiled_at
        )
        _audit(
            actor, sar, AuditAction.CREATE, "compiled", items=len(items), suggested=len(suggested)
        )
    return len(items)


def redaction_decide(
    *, actor: User, sar: SubjectAccessRequest, redaction_id: int, redact: bool
) -> Redaction:
    """Accept (take the words out) or reject (keep them) one redaction."""
    _check_handler(actor)
    if not sar.is_open:
        raise ValidationError("This request has been sent; its redactions can no longer change")
    redaction = sar.redactions.filter(pk=redaction_id).first()
    if redaction is None:
        raise ValidationError("That redaction is not on this request")
    state = RedactionState.ACCEPTED if redact else RedactionState.REJECTED
    with transaction.atomic():
        redaction.state = state
        redaction.decided_by = actor
        redaction.decided_at = timezone.now()
        redaction.save(update_fields=["state", "decided_by", "decided_at", "updated_at"])
        _audit(actor, sar, AuditAction.CHANGE, "redaction", redaction=redaction.pk, state=state)
    return redaction


def redaction_add(*, actor: User, sar: SubjectAccessRequest, term: str, why: str) -> Redaction:
    """A person adds words to take out that the system did not suggest."""
    _check_handler(actor)
    term, why = " ".join(term.split()), why.strip()
    errors = {}
    if len(term) < 2:
        errors["term"] = "Enter the words to redact (at least 2 characters)"
    elif len(term) > TERM_MAX:
        errors["term"] = f"The words to redact must be {TERM_MAX} characters or fewer"
    elif sar.redactions.filter(term__iexact=term).exists():
        errors["term"] = "Those words are already on the list; accept or reject them there"
    if not why:
        errors["why"] = "Enter why these words are redacted"
    if not sar.is_open:
        errors["term"] = "This request has been sent; its redactions can no longer change"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        redaction = Redaction.objects.create(
            request=sar,
            term=term,
            why=why[:200],
            suggested=False,
            state=RedactionState.ACCEPTED,
            decided_by=actor,
            decided_at=timezone.now(),
        )
        _audit(actor, sar, AuditAction.CHANGE, "redaction_added", redaction=redaction.pk)
    return redaction


def sar_export(*, actor: User, sar: SubjectAccessRequest) -> bytes:
    """The redacted bundle as a PDF. Refused while a suggestion is undecided: nothing
    leaves until a person has decided every name the system found."""
    _check_handler(actor)
    if sar.compiled_at is None:
        raise ValidationError("Compile the bundle before exporting it")
    if sar.redactions.filter(state=RedactionState.SUGGESTED).exists():
        raise ValidationError("Decide every suggested redaction before exporting the bundle")
    terms = selectors.accepted_terms(sar)
    pdf = bundle_pdf(sar, selectors.bundle_items(sar), terms)
    _audit(actor, sar, AuditAction.EXPORT, "exported", redacted_terms=len(terms))
    return pdf


def sar_mark_sent(*, actor: User, sar: SubjectAccessRequest, expected_version: int) -> None:
    _check_handler(actor)
    if sar.compiled_at is None:
        raise ValidationError("Compile and export the bundle before marking it sent")
    with transaction.atomic():
        versioned_update(
            instance=sar,
            expected_version=expected_version,
            data={"stage": Stage.SENT, "sent_at": timezone.now()},
        )
        _audit(actor, sar, AuditAction.CHANGE, "sent")
