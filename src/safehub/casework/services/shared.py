"""What every casework service shares: the access and date checks, the audit and chronology
record, row locks, and registering and completing statutory due items (`DueItem`)."""

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone

from safehub.access.guards import check_persons
from safehub.access.policy import can_manage_cases, casework_action
from safehub.audit.models import AuditAction
from safehub.audit.services import audit_record
from safehub.casework.codes import NFA_CLOSURES, EpisodeKind
from safehub.casework.models import DueItem, Episode
from safehub.chronology.models import Significance
from safehub.chronology.services import chronology_append
from safehub.core.exceptions import PermissionDeniedError
from safehub.core.text import clean_text
from safehub.organisations.models import User

ASSESSMENT_LABEL = "Complete the child and family assessment"
STRATEGY_LABEL = "Hold the strategy discussion"


def _may_record(actor: User, child: Any, *, conference: bool = False) -> None:
    """The policy's casework decision for this child (`casework_action`): refused as "not
    found", or sent to break the glass on a restricted child, and the refusal audited."""
    check_persons(actor, [child], casework_action(actor, conference=conference))


def _must_manage(actor: User) -> None:
    if not can_manage_cases(actor):
        raise PermissionDeniedError("Only a team manager can do this.")


def _date(value: Any, field: str, label: str, *, child: Any = None) -> date:
    """A date of something that happened: not in the future, and where `child` is given
    (new work with the child, not the closing of records), not after the child's death."""
    if not isinstance(value, date):
        raise ValidationError({field: f"Enter {label}"})
    if value > timezone.localdate():
        raise ValidationError(
            {field: f"{label[0].upper()}{label[1:]} must be today or in the past"}
        )
    died = getattr(child, "date_of_death", None)
    if died is not None and value > died:
        raise ValidationError(
            {
                field: f"{label[0].upper()}{label[1:]} cannot be after the child died "
                f"({died:%-d %B %Y})"
            }
        )
    return value


def _not_before(value: date, earliest: date, field: str, what: str) -> None:
    if value < earliest:
        raise ValidationError({field: f"The date cannot be before {what} ({earliest:%-d %B %Y})"})


def _open_episode(episode: Episode) -> None:
    """Nothing more is recorded on a closed episode, and never on one closed as no further
    action (census 2990, 8831/8832). The episode is locked and re-read, so work cannot be
    added to it while someone else is closing it."""
    episode = _locked(episode)
    if episode.kind != EpisodeKind.CIN:  # census: no section 47 (or plan) without a referral
        raise ValidationError(
            "This is an early help episode. Assessments, strategy discussions, section 47 "
            "enquiries, plans and care need a referral to children's social care: open a "
            "child in need episode first"
        )
    if episode.closure_reason in NFA_CLOSURES:
        raise ValidationError(
            "This episode was closed with no further action, so nothing "
            "more can be recorded on it. Open a new episode if needed"
        )
    if not episode.is_open:
        raise ValidationError("This episode is closed")


def _record(
    actor: User,
    child: Any,
    event: str,
    summary: str,
    source: Any,
    significance: int = Significance.MEDIUM,
    when: date | None = None,
    done_by: User | None = None,
) -> None:
    """Audit the change and put it on the child's chronology: on the day it happened when
    the record holds only a date (most casework does), else now; credited to `done_by`
    (e.g. a conference's chair) or the actor, and recorded by the actor."""
    audit_record(
        actor=actor,
        action=AuditAction.CHANGE,
        person_id=child.pk,
        object_type=source._meta.label,
        object_id=source.pk,
        detail={"event": event},
    )
    chronology_append(
        actor=actor,
        persons=[child],
        event_type=event,
        summary=summary,
        source=source,
        significance=significance,
        occurred_on=when,
        done_by=done_by or actor,
    )


def _locked(instance: Any, *, reread: bool = True) -> Any:
    """Lock the row until the transaction ends and re-read it, so two workers changing the
    same record are served one after the other and the second sees what the first did."""
    list(type(instance).objects.select_for_update().filter(pk=instance.pk).values("pk"))
    if reread:
        instance.refresh_from_db()
    return instance


def _lock_child(child: Any) -> None:
    """Serialise the writes that may open only one of something per child (an episode of a
    kind, a plan, a period of care, an allocation): a second worker doing the same at the
    same moment waits, then is refused in plain English instead of by the database."""
    _locked(child, reread=False)


def _register(child: Any, kind: str, label: str, due_date: date, source: Any) -> None:
    DueItem.objects.update_or_create(
        source_type=source._meta.label,
        source_id=str(source.pk),
        kind=kind,
        done_on__isnull=True,
        defaults={"child": child, "label": label, "due_date": due_date},
    )


def _hand_over(source: Any, kind: str, to: Any) -> None:
    """The open item `source` registered passes to the record that now carries the work
    (an episode's assessment clock to the assessment once it starts): one clock, not two."""
    DueItem.objects.filter(
        source_type=source._meta.label, source_id=str(source.pk), kind=kind, done_on__isnull=True
    ).update(source_type=to._meta.label, source_id=str(to.pk))


def _complete(source: Any, kind: str, on: date) -> None:
    DueItem.objects.filter(
        source_type=source._meta.label, source_id=str(source.pk), kind=kind, done_on__isnull=True
    ).update(done_on=on)


def _text(value: Any, field: str, label: str, *, required: bool = True, limit: int = 5000) -> str:
    try:
        return clean_text(value, label=label, max_length=limit, multiline=True, required=required)
    except ValidationError as error:
        raise ValidationError({field: error.messages[0]}) from None
