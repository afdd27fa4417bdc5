"""Health and education of children in care, and their status as unaccompanied asylum-seeking
children: health assessments and checks, the strengths and difficulties questionnaire,
substance misuse, convictions, personal education plans and UASC status. Each date and code
is checked as it is entered against the SSDA903 rules that can be checked then
(`census_rules.py`), so the OC2 and UASC files cannot fail on them at year end."""

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from safehub.casework import events
from safehub.casework import timescales as due
from safehub.casework.codes import (
    HEALTH_ASSESSMENTS,
    HealthCheckKind,
    OffenceOutcome,
    SDQReason,
)
from safehub.casework.models import (
    EducationPlan,
    HealthCheck,
    Offence,
    PeriodOfCare,
    StrengthsAndDifficulties,
    SubstanceMisuse,
    UASCStatus,
)
from safehub.casework.services.care import HEALTH_DUE, PEP_DUE, _age_on
from safehub.casework.services.shared import (
    _complete,
    _date,
    _lock_child,
    _locked,
    _may_record,
    _record,
    _register,
    _text,
)
from safehub.chronology.models import Significance
from safehub.core.models import versioned_update
from safehub.organisations.models import User

SDQ_AGES = (4, 16)  # 903 rules 157, 188: a score only for children aged 4 to 16
CRIMINAL_RESPONSIBILITY = 10


def _birthday(born: date, years: int) -> date:
    return due.add_months(born, 12 * years)


def _open_period(actor: User, period: PeriodOfCare, *, when: Any, field: str, label: str) -> date:
    """The period of care, locked, still open; and the date, which cannot be in the future,
    after the child died or before they came into care."""
    child = period.child
    _may_record(actor, child)
    _locked(period)
    if period.end_date:
        raise ValidationError("This period of care has ended")
    day = _date(when, field, label, child=child)
    if day < period.start_date:
        raise ValidationError(
            {
                field: f"{label[0].upper()}{label[1:]} cannot be before the child came into "
                f"care ({period.start_date:%-d %B %Y})"
            }
        )
    return day


@transaction.atomic
def health_check_record(
    *,
    actor: User,
    period: PeriodOfCare,
    kind: str,
    held_on: Any,
    up_to_date: bool | None = None,
    note: str = "",
) -> HealthCheck:
    """A health assessment or check. A health assessment completes the one due and starts
    the clock for the next: six months under five, a year from five."""
    if kind not in HealthCheckKind.values:
        raise ValidationError({"kind": "Select what was done"})
    label = HealthCheckKind(kind).label
    held_on = _open_period(
        actor, period, when=held_on, field="held_on", label=f"the date of the {label.lower()}"
    )
    child = period.child
    checks = list(period.health_checks.filter(kind__in=HEALTH_ASSESSMENTS))
    initial = next((c for c in checks if c.kind == HealthCheckKind.INITIAL), None)
    if kind == HealthCheckKind.INITIAL and initial is not None:
        raise ValidationError(
            {
                "kind": "The initial health assessment was recorded on "
                f"{initial.held_on:%-d %B %Y}: record a review health assessment instead"
            }
        )
    if kind == HealthCheckKind.REVIEW and (initial is None or initial.held_on > held_on):
        raise ValidationError(
            {"kind": "A review health assessment comes after the initial health assessment"}
        )
    age = _age_on(child, held_on)
    if kind == HealthCheckKind.DEVELOPMENTAL and age is not None and age >= 5:
        raise ValidationError(
            {"kind": f"Developmental checks are for children under 5: this child was {age}"}
        )
    if kind == HealthCheckKind.IMMUNISATIONS and up_to_date is None:
        raise ValidationError({"up_to_date": "Select whether the immunisations are up to date"})
    check = HealthCheck.objects.create(
        period=period,
        kind=kind,
        held_on=held_on,
        up_to_date=up_to_date if kind == HealthCheckKind.IMMUNISATIONS else None,
        note=_text(note, "note", "the note", required=False),
        recorded_by=actor,
    )
    summary = label
    if kind in HEALTH_ASSESSMENTS:
        latest = max([held_on, *(c.held_on for c in checks)])
        if held_on == latest:  # the next is dated from the latest, in whatever order recorded
            _complete(period, HEALTH_DUE, held_on)
            _register(
                child,
                HEALTH_DUE,
                "Hold the review health assessment",
                due.review_health_assessment_due(latest, born=child.date_of_birth),
                period,
            )
        event = events.HEALTH_ASSESSMENT
    else:
        if kind == HealthCheckKind.IMMUNISATIONS:
            summary += ": up to date" if up_to_date else ": not up to date"
        event = events.HEALTH_CHECK
    _record(actor, child, event, summary, check, when=held_on)
    return check


@transaction.atomic
def sdq_record(
    *, actor: User, period: PeriodOfCare, completed_on: Any, score: Any, reason: str = ""
) -> StrengthsAndDifficulties:
    """A strengths and difficulties questionnaire: a total score from 0 to 40 for a child
    aged 4 to 16, or the reason there is none (SDQ1 only for a child outside those ages)."""
    completed_on = _open_period(
        actor, period, when=completed_on, field="completed_on", label="the date of the SDQ"
    )
    child = period.child
    age = _age_on(child, completed_on)
    in_ages = age is not None and SDQ_AGES[0] <= age <= SDQ_AGES[1]
    if (score is None) == (not reason):
        raise ValidationError({"score": "Enter the score, or select why there is no score"})
    if score is not None:
        if not isinstance(score, int) or isinstance(score, bool) or not 0 <= score <= 40:
            raise ValidationError({"score": "The score must be a whole number from 0 to 40"})
        if not in_ages:
            raise ValidationError(
                {
                    "score": f"A score is only recorded for children aged 4 to 16: this child "
                    f"was {age}. Select 'under 4 or over 16' (SDQ1) as the reason instead"
                }
            )
    elif reason not in SDQReason.values:
        raise ValidationError({"reason": "Select why there is no score"})
    elif reason == SDQReason.SDQ1 and in_ages:
        raise ValidationError(
            {
                "reason": f"This child was {age}, so the reason cannot be that they were under 4 "
                "or over 16"
            }
        )
    sdq = StrengthsAndDifficulties.objects.create(
        period=period, completed_on=completed_on, score=score, reason=reason, recorded_by=actor
    )
    summary = (
        f"Strengths and difficulties score {score}"
        if score is not None
        else f"No strengths and difficulties score: {SDQReason(reason).label}"
    )
    _record(actor, child, events.SDQ_RECORDED, summary, sdq, when=completed_on)
    return sdq


@transaction.atomic
def substance_misuse_record(
    *,
    actor: User,
    period: PeriodOfCare,
    identified_on: Any,
    intervention_offered: bool,
    intervention_received: bool,
    note: str = "",
) -> SubstanceMisuse:
    identified_on = _open_period(
        actor,
        period,
        when=identified_on,
        field="identified_on",
        label="the date the problem was identified",
    )
    if intervention_received and not intervention_offered:
        raise ValidationError(
            {"intervention_received": "An intervention received must also have been offered"}
        )
    row = SubstanceMisuse.objects.create(
        period=period,
        identified_on=identified_on,
        intervention_offered=intervention_offered,
        intervention_received=intervention_received,
        note=_text(note, "note", "the note", required=False),
        recorded_by=actor,
    )
    help_given = (
        "intervention received"
        if intervention_received
        else "intervention offered"
        if intervention_offered
        else "no intervention offered"
    )
    _record(
        actor,
        period.child,
        events.SUBSTANCE_MISUSE,
        f"Substance misuse problem identified; {help_given}",
        row,
        Significance.HIGH,
        identified_on,
    )
    return row


@transaction.atomic
def offence_record(*, actor: User, period: PeriodOfCare, outcome: str, outcome_on: Any) -> Offence:
    if outcome not in OffenceOutcome.values:
        raise ValidationError({"outcome": "Select the outcome"})
    outcome_on = _open_period(
        actor, period, when=outcome_on, field="outcome_on", label="the date of the outcome"
    )
    age = _age_on(period.child, outcome_on)
    if age is not None and age < CRIMINAL_RESPONSIBILITY:
        raise ValidationError(
            {
                "outcome_on": f"A child under {CRIMINAL_RESPONSIBILITY} cannot be convicted, "
                f"warned or reprimanded: this child was {age}"
            }
        )
    row = Offence.objects.create(
        period=period, outcome=outcome, outcome_on=outcome_on, recorded_by=actor
    )
    _record(
        actor,
        period.child,
        events.OFFENCE_OUTCOME,
        OffenceOutcome(outcome).label,
        row,
        Significance.HIGH,
        outcome_on,
    )
    return row


@transaction.atomic
def education_plan_record(
    *,
    actor: User,
    period: PeriodOfCare,
    held_on: Any,
    virtual_school_involved: bool,
    note: str = "",
) -> EducationPlan:
    """A PEP meeting: completes the one due and sets the next, a term later."""
    held_on = _open_period(
        actor, period, when=held_on, field="held_on", label="the date of the PEP meeting"
    )
    plan = EducationPlan.objects.create(
        period=period,
        held_on=held_on,
        virtual_school_involved=virtual_school_involved,
        note=_text(note, "note", "the note", required=False),
        recorded_by=actor,
    )
    latest = max(period.education_plans.values_list("held_on", flat=True))
    if held_on == latest:
        _complete(period, PEP_DUE, held_on)
        _register(
            period.child,
            PEP_DUE,
            "Review the personal education plan",
            due.education_plan_due(latest, first=False),
            period,
        )
    school = "with" if virtual_school_involved else "without"
    _record(
        actor,
        period.child,
        events.EDUCATION_PLAN,
        f"Personal education plan meeting, {school} the virtual school",
        plan,
        when=held_on,
    )
    return plan


def _uasc_dates(child: Any, started_on: Any, ceased_on: Any) -> tuple[date, date | None]:
    born = child.date_of_birth
    if born is None:
        raise ValidationError(
            "Record the child's date of birth first: the status ends on their 18th birthday"
        )
    started_on = _date(started_on, "started_on", "the date the status began", child=child)
    eighteen = _birthday(born, 18)
    if started_on >= eighteen:
        raise ValidationError(
            {
                "started_on": f"The child was 18 on {eighteen:%-d %B %Y}: the status must begin "
                "before then"
            }
        )
    if ceased_on is None:
        return started_on, None
    ceased_on = _date(ceased_on, "ceased_on", "the date the status ceased")
    if ceased_on < started_on:
        raise ValidationError({"ceased_on": "The date the status ceased cannot be before it began"})
    if ceased_on > eighteen:
        raise ValidationError(
            {
                "ceased_on": "The status ceases on the child's 18th birthday at the latest: "
                f"enter {eighteen:%-d %B %Y} or earlier"
            }
        )
    return started_on, ceased_on


@transaction.atomic
def uasc_record(
    *,
    actor: User,
    child: Any,
    started_on: Any,
    ceased_on: Any = None,
    expected_version: int | None = None,
) -> UASCStatus:
    """Record, or change, that the child is an unaccompanied asylum-seeking child. A change
    names the version it started from, so nobody overwrites someone else's change."""
    _may_record(actor, child)
    _lock_child(child)
    started_on, ceased_on = _uasc_dates(child, started_on, ceased_on)
    current = UASCStatus.objects.filter(child=child).first()
    if current is None:
        status = UASCStatus.objects.create(
            child=child, started_on=started_on, ceased_on=ceased_on, recorded_by=actor
        )
    else:
        if expected_version is None:
            raise ValidationError("This child's status is already recorded: change it instead")
        status = versioned_update(
            instance=current,
            expected_version=expected_version,
            data={"started_on": started_on, "ceased_on": ceased_on, "recorded_by": actor},
        )
    summary = (
        f"Unaccompanied asylum-seeking child since {started_on:%-d %B %Y}"
        if ceased_on is None
        else f"Unaccompanied asylum-seeking child status ceased on {ceased_on:%-d %B %Y}"
    )
    _record(actor, child, events.UASC_STATUS, summary, status, when=ceased_on or started_on)
    return status
