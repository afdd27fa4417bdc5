"""The child and family assessment: started, child seen, completed, authorised."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from safehub.access.guards import check_sign_off
from safehub.access.policy import SignOff
from safehub.casework import events
from safehub.casework import timescales as due
from safehub.casework.codes import ASSESSMENT_FACTORS
from safehub.casework.models import Assessment, Episode
from safehub.casework.services.shared import (
    ASSESSMENT_LABEL,
    _complete,
    _date,
    _hand_over,
    _locked,
    _may_record,
    _must_manage,
    _not_before,
    _open_episode,
    _record,
    _register,
    _text,
)
from safehub.organisations.models import User

NO_FACTORS = "21"


def factors_in_words(factors: list[str]) -> str:
    """The factors in words ("Alcohol misuse: child"), never as codes ("1A")."""
    words = {**ASSESSMENT_FACTORS, NO_FACTORS: "No factors identified"}
    return ", ".join(words.get(code, code) for code in factors)


@transaction.atomic
def assessment_start(*, actor: User, episode: Episode, start_date: Any) -> Assessment:
    _may_record(actor, episode.child)
    _open_episode(episode)
    start_date = _date(start_date, "start_date", "the start date", child=episode.child)
    _not_before(start_date, episode.referral_date, "start_date", "the referral")  # 1103
    if episode.assessments.filter(completed_date__isnull=True).exists():  # 8896
        raise ValidationError("This episode already has an assessment in progress")
    assessment = Assessment.objects.create(
        episode=episode, start_date=start_date, due_date=due.assessment_due(episode.referral_date)
    )
    # The clock has run since the referral: the episode's item carries on as this one's.
    _hand_over(episode, "assessment", assessment)
    _register(episode.child, "assessment", ASSESSMENT_LABEL, assessment.due_date, assessment)
    _record(
        actor,
        episode.child,
        events.ASSESSMENT_STARTED,
        f"Child and family assessment started; due {assessment.due_date:%-d %B %Y}",
        assessment,
        when=start_date,
    )
    return assessment


@transaction.atomic
def assessment_record_seen(
    *, actor: User, assessment: Assessment, seen_date: Any, seen_alone: bool
) -> Assessment:
    episode = assessment.episode
    _may_record(actor, episode.child)
    _open_episode(episode)
    assessment = _locked(assessment)
    if assessment.completed_date:
        raise ValidationError(
            "This assessment is already completed, so when the child was seen cannot change"
        )
    seen_date = _date(seen_date, "seen_date", "the date the child was seen", child=episode.child)
    _not_before(seen_date, assessment.start_date, "seen_date", "the assessment started")
    assessment.child_seen_date, assessment.child_seen_alone = seen_date, bool(seen_alone)
    assessment.save(update_fields=["child_seen_date", "child_seen_alone", "updated_at"])
    _record(
        actor,
        episode.child,
        events.ASSESSMENT_CHILD_SEEN,
        "Child seen for the assessment" + (" (seen alone)" if seen_alone else ""),
        assessment,
        when=seen_date,
    )
    return assessment


@transaction.atomic
def assessment_complete(
    *, actor: User, assessment: Assessment, completed_date: Any, factors: list[str], summary: Any
) -> Assessment:
    episode = assessment.episode
    _may_record(actor, episode.child)
    _open_episode(episode)
    assessment = _locked(assessment)
    if assessment.completed_date:
        raise ValidationError("This assessment is already completed")
    completed_date = _date(completed_date, "completed_date", "the completion date")
    _not_before(completed_date, assessment.start_date, "completed_date", "the assessment started")
    factors = list(factors or [])
    if not factors:  # 8897Q
        raise ValidationError(
            {"factors": "Select the factors identified, or 'No factors identified'"}
        )
    if NO_FACTORS in factors and len(factors) > 1:  # 8869
        raise ValidationError(
            {"factors": "'No factors identified' cannot be chosen with other factors"}
        )
    if any(f not in ASSESSMENT_FACTORS and f != NO_FACTORS for f in factors):
        raise ValidationError({"factors": "Select the factors from the list"})
    if assessment.child_seen_date is None:
        raise ValidationError(
            {"completed_date": "Record when the child was seen before completing the assessment"}
        )
    assessment.completed_date, assessment.factors = completed_date, factors
    assessment.completed_by = actor
    assessment.summary = _text(summary, "summary", "the assessment summary")
    assessment.save(
        update_fields=["completed_date", "completed_by", "factors", "summary", "updated_at"]
    )
    _complete(assessment, "assessment", completed_date)
    _register(episode.child, "authorise", "Authorise the assessment", completed_date, assessment)
    _record(
        actor,
        episode.child,
        events.ASSESSMENT_COMPLETED,
        "Assessment completed; factors: " + factors_in_words(factors),
        assessment,
        when=completed_date,
    )
    return assessment


@transaction.atomic
def assessment_authorise(
    *, actor: User, assessment: Assessment, authorised_date: Any
) -> Assessment:
    """A manager other than the one who completed it authorises a completed assessment (the
    census AuthorisationDate)."""
    _must_manage(actor)
    _may_record(actor, assessment.episode.child)
    assessment = _locked(assessment)
    if not assessment.completed_date:
        raise ValidationError("The assessment must be completed before it is authorised")
    check_sign_off(
        actor,
        SignOff.ASSESSMENT,
        done_by_id=assessment.completed_by_id,
        field="authorised_date",
    )
    if assessment.authorised_date:
        raise ValidationError("This assessment is already authorised")
    authorised_date = _date(authorised_date, "authorised_date", "the authorisation date")
    _not_before(
        authorised_date,
        assessment.completed_date,
        "authorised_date",
        "the assessment was completed",
    )
    assessment.authorised_date, assessment.authorised_by = authorised_date, actor
    assessment.save(update_fields=["authorised_date", "authorised_by", "updated_at"])
    _complete(assessment, "authorise", authorised_date)
    late = authorised_date > assessment.due_date
    _record(
        actor,
        assessment.episode.child,
        events.ASSESSMENT_AUTHORISED,
        "Assessment authorised" + (" after the 45-working-day timescale" if late else ""),
        assessment,
        when=authorised_date,
    )
    return assessment
