"""Retention: list what is due (the monthly job), dispose of a record or hold it, place and
lift legal holds. Disposal anonymises the child's record in place and keeps the review
(what class, which rule, when, by whom, what was removed) and an audit row; audit rows are
never touched."""

from datetime import date
from typing import Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

from safehub.access.policy import Decision, can_review_retention, decide_retention
from safehub.audit.models import AuditAction
from safehub.audit.services import ServerOperator, audit_record
from safehub.chronology.models import ChronologyEntry, ChronologyLink
from safehub.core.exceptions import PermissionDeniedError
from safehub.core.models import versioned_update
from safehub.frontdoor.models import ContactSubject
from safehub.hardtosee.services import register_facts_for
from safehub.organisations.models import User
from safehub.people.models import Person, PersonAddress, PersonName, Relationship
from safehub.retention import selectors
from safehub.retention.models import LegalHold, RetentionReview, ReviewState
from safehub.retention.schedule import current_schedule

REMOVED = "Removed under the retention schedule."
# Apps whose free text about a child is wiped on disposal (every text field of a row that
# points at the child, directly or through one record that does).
SCRUBBED_APPS = (
    "casework",
    "neglect",
    "sharing",
    "leaving_care",
    "multiagency",
    "hardtosee",
    "concerns",
    "partners",
)


def reviews_list_due(*, actor: User | ServerOperator, as_of: date) -> list[RetentionReview]:
    """The monthly job: a review for every record due by `as_of` not already listed.
    Run again for the same day, it lists nothing new."""
    schedule = current_schedule()
    created = []
    with transaction.atomic():
        for due in selectors.due_for_review(as_of=as_of, schedule=schedule):
            created.append(
                RetentionReview.objects.create(
                    person_id=due.person_id,
                    record_class=due.record_class.code,
                    rule=due.record_class.rule,
                    schedule_version=schedule.version,
                    due_on=due.keep_until,
                    listed_on=as_of,
                )
            )
        if created:
            audit_record(
                actor=actor,
                action=AuditAction.LIST,
                subject_ids=[r.person_id for r in created],
                object_type="retention.due",
                detail={"as_of": as_of.isoformat(), "listed": len(created)},
            )
    return created


def _check(actor: User, person: Person) -> None:
    if decide_retention(actor, person) is not Decision.ALLOW:
        raise PermissionDeniedError()


def record_hold(
    *, actor: User, review: RetentionReview, expected_version: int, reason: str
) -> LegalHold:
    """Keep a record that is due: a legal hold with its reason; the review is closed as
    held. The record is listed again only once the hold is lifted."""
    _check(actor, review.person)
    if not reason.strip():
        raise ValidationError({"reason": "Enter why the record is being kept"})
    if review.state != ReviewState.DUE:
        raise ValidationError("This record has already been decided")
    now = timezone.now()
    with transaction.atomic():
        versioned_update(
            instance=review,
            expected_version=expected_version,
            data={
                "state": ReviewState.HELD,
                "reason": reason.strip(),
                "decided_by_id": actor.pk,
                "decided_at": now,
            },
        )
        hold = LegalHold.objects.create(
            person=review.person, reason=reason.strip(), placed_by=actor, placed_at=now
        )
        audit_record(
            actor=actor,
            action=AuditAction.CHANGE,
            person_id=review.person_id,
            object_type="retention.LegalHold",
            object_id=hold.pk,
            detail={"step": "held", "review": review.pk},
            reason=reason.strip(),
        )
    return hold


def hold_lift(*, actor: User, hold: LegalHold, reason: str) -> LegalHold:
    _check(actor, hold.person)
    if not reason.strip():
        raise ValidationError({"reason": "Enter why the hold is being lifted"})
    if hold.lifted_at is not None:
        raise ValidationError("This hold has already been lifted")
    with transaction.atomic():
        updated = LegalHold.objects.filter(pk=hold.pk, lifted_at__isnull=True).update(
            lifted_at=timezone.now(), lifted_by=actor, lift_reason=reason.strip()
        )
        if updated != 1:
            raise ValidationError("This hold has already been lifted")
        audit_record(
            actor=actor,
            action=AuditAction.CHANGE,
            person_id=hold.person_id,
            object_type="retention.LegalHold",
            object_id=hold.pk,
            detail={"step": "hold_lifted"},
            reason=reason.strip(),
        )
    hold.refresh_from_db()
    return hold


def record_dispose(
    *, actor: User, review: RetentionReview, expected_version: int, reason: str, today: date
) -> dict[str, int]:
    """Dispose of a due record: anonymise it in place, record what went and under which
    rule. Refused if a legal hold is in place or the schedule no longer says it is due
    (a record added since can lengthen the period)."""
    _check(actor, review.person)
    if not reason.strip():
        raise ValidationError({"reason": "Enter why the record can be disposed of"})
    if review.state != ReviewState.DUE:
        raise ValidationError("This record has already been decided")
    if selectors.active_hold(review.person_id):
        raise ValidationError("A legal hold is in place: lift it before disposing of the record")
    due = selectors.governing([review.person]).get(review.person_id)
    if due is None or due.keep_until > today:
        raise ValidationError("The schedule no longer says this record is due; it is kept")
    with transaction.atomic():
        removed = _anonymise(review.person)
        # Nothing is appended to the chronology here: the register row is worked out again
        # directly (no date of birth: on no register, ADR 0060).
        register_facts_for([review.person_id])
        versioned_update(
            instance=review,
            expected_version=expected_version,
            data={
                "state": ReviewState.DISPOSED,
                "reason": reason.strip(),
                "decided_by_id": actor.pk,
                "decided_at": timezone.now(),
                "removed": removed,
            },
        )
        audit_record(
            actor=actor,
            action=AuditAction.DISPOSE,
            person_id=review.person_id,
            object_type="retention.Review",
            object_id=review.pk,
            detail={
                "record_class": review.record_class,
                "due_on": review.due_on.isoformat(),
                "schedule_version": review.schedule_version,
                "removed": removed,
            },
            reason=reason.strip(),
        )
    return removed


def _anonymise(person: Person) -> dict[str, int]:
    """Take out everything that identifies the child or says what happened to them; keep
    the anonymous skeleton (dates, codes) that statutory returns already counted."""
    removed = {
        "names": PersonName.objects.filter(person=person).delete()[0],
        "addresses": PersonAddress.objects.filter(person=person).delete()[0],
        "relationships": Relationship.objects.filter(subject=person).delete()[0]
        + Relationship.objects.filter(other=person).delete()[0],
    }
    Person.objects.filter(pk=person.pk).update(
        given_name="Disposed",
        family_name="record",
        date_of_birth=None,
        date_of_death=None,
        nhs_number="",
        upn="",
        former_upn="",
        school="",
        first_language="",
        restriction_reason="",
    )
    removed["contact_mentions"] = ContactSubject.objects.filter(person=person).update(
        given_name="",
        family_name="",
        date_of_birth=None,
        age_description="",
        town="",
        postcode="",
        school="",
        nhs_number="",
        upn="",
    )
    only_theirs = ChronologyLink.objects.filter(person=person).exclude(
        entry__in=ChronologyLink.objects.exclude(person=person).values("entry_id")
    )
    removed["chronology_entries"] = ChronologyEntry.objects.filter(
        pk__in=only_theirs.values("entry_id")
    ).update(summary=REMOVED, done_by_label="")
    removed["free_text_records"] = sum(
        _scrub(model, path, person) for model, path in _rows_about_a_child()
    )
    return removed


def _text_fields(model: type[models.Model]) -> list[str]:
    return [f.name for f in model._meta.concrete_fields if isinstance(f, models.TextField)]


def _rows_about_a_child() -> list[tuple[type[models.Model], str]]:
    """(model, lookup to the child) for every model of SCRUBBED_APPS with text fields that
    points at a person directly, or at a record that does."""
    direct: list[tuple[type[models.Model], str]] = []
    for model in _scrubbed_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, models.ForeignKey) and field.related_model is Person:
                direct.append((model, field.name))
    found = [(m, path) for m, path in direct if _text_fields(m)]
    for model in _scrubbed_models():
        if not _text_fields(model):
            continue
        for field in model._meta.concrete_fields:
            if not isinstance(field, models.ForeignKey):
                continue
            for parent, path in direct:
                if field.related_model is parent:
                    found.append((model, f"{field.name}__{path}"))
    return found


def _scrubbed_models() -> list[Any]:
    return [m for m in apps.get_models() if m._meta.app_label in SCRUBBED_APPS]


def _scrub(model: type[models.Model], path: str, person: Person) -> int:
    fields = _text_fields(model)
    values = {}
    for name in fields:
        field = model._meta.get_field(name)
        values[name] = "" if getattr(field, "blank", False) else REMOVED
    return model._default_manager.filter(**{path: person}).update(**values)


def can_review(actor: User) -> bool:
    return can_review_retention(actor)
