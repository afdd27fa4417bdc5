"""Children in care: periods of care and their SSDA903 episodes (placements, legal status),
the care plan, looked-after reviews, leaving care."""

from datetime import date
from typing import Any, Protocol

from django.core.exceptions import ValidationError
from django.db import transaction

from safehub.casework import events
from safehub.casework import timescales as due
from safehub.casework.codes import (
    LegalStatus,
    Participation,
    PlacementChangeReason,
    PlacementProvider,
    PlacementType,
    ReasonCeased,
    ReasonNewEpisode,
)
from safehub.casework.models import (
    CareEpisode,
    CareReview,
    DueItem,
    Episode,
    PeriodOfCare,
    ReviewRecommendation,
)
from safehub.casework.services.shared import (
    _complete,
    _date,
    _lock_child,
    _locked,
    _may_record,
    _not_before,
    _open_episode,
    _record,
    _register,
    _text,
)
from safehub.chronology.models import Significance
from safehub.organisations.models import User


def _placement_fields(data: dict[str, Any]) -> dict[str, Any]:
    errors = {}
    if data.get("legal_status") not in LegalStatus.values:
        errors["legal_status"] = "Select the legal status"
    if data.get("placement_type") not in PlacementType.values:
        errors["placement_type"] = "Select the placement type"
    if data.get("provider") not in PlacementProvider.values:
        errors["provider"] = "Select who provides the placement"
    if errors:
        raise ValidationError(errors)
    from safehub.core.identifiers import clean_postcode

    out = {k: data[k] for k in ("legal_status", "placement_type", "provider")}
    for field in ("home_postcode", "placement_postcode"):
        try:
            out[field] = clean_postcode(data[field]) if data.get(field) else ""
        except ValidationError as error:
            errors[field] = error.messages[0]
    out["carer_name"] = _text(
        data.get("carer_name"), "carer_name", "the carer or home", required=False, limit=120
    )
    if errors:
        raise ValidationError(errors)
    return out


# Placements a child must be old enough for (SSDA903 rules 371-374; since 2021 no child
# under 16 may be placed in independent or semi-independent accommodation).
MINIMUM_AGE = {
    PlacementType.H5: 16,
    PlacementType.P2: 16,
    PlacementType.P3: 14,
    PlacementType.R5: 10,
    PlacementType.S1: 4,
}
YOUTH_JUSTICE = (LegalStatus.J1, LegalStatus.J2, LegalStatus.J3)  # 903 rule 358: 10 or over
TEMPORARY = (
    PlacementType.T0,
    PlacementType.T1,
    PlacementType.T2,
    PlacementType.T3,
    PlacementType.T4,
)
SHORT_BREAKS = (LegalStatus.V3, LegalStatus.V4)
# Who may provide which placements (903 rules 527-531, 550).
NOT_PROVIDED_BY = {
    PlacementProvider.PR1: {PlacementType.P1, PlacementType.R2, PlacementType.R5},
    PlacementProvider.PR2: {PlacementType.P1, PlacementType.R2, PlacementType.R5},
    PlacementProvider.PR3: {
        PlacementType.P1,
        PlacementType.A3,
        PlacementType.A4,
        PlacementType.A5,
        PlacementType.A6,
        PlacementType.K1,
        PlacementType.K2,
        PlacementType.U1,
        PlacementType.U2,
        PlacementType.U3,
        PlacementType.U4,
        PlacementType.U5,
        PlacementType.U6,
    },
    PlacementProvider.PR4: {PlacementType.P1},
    PlacementProvider.PR5: {PlacementType.P1},
}


HEALTH_DUE = "health_assessment"
RECOMMENDATION_DUE = "review_action"
PEP_DUE = "pep"
# Care planning (safehub.careplanning records them and closes these items).
PLACEMENT_PLAN_DUE = "placement_plan"
IRO_DUE = "iro_allocation"
IRO_CONTACT_DUE = "iro_contact"
PEP_AGES = (5, 16)  # compulsory school age: a personal education plan clock for these


def _age_on(child: Any, day: date) -> int | None:
    born = child.date_of_birth
    if born is None:
        return None
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def placement_problems(
    child: Any, day: date, fields: dict[str, Any], *, starting: bool = False
) -> dict[str, str]:
    """Whether a placement fits the child on `day`: their age, their legal status and who
    provides it, as the SSDA903 rules check them at the end of the year."""
    place, legal, provider = fields["placement_type"], fields["legal_status"], fields["provider"]
    place_label = f"{PlacementType(place).label.lower()} ({place})"
    errors: dict[str, str] = {}
    age = _age_on(child, day)
    if age is not None and place in MINIMUM_AGE and age < MINIMUM_AGE[place]:
        errors["placement_type"] = (
            f"A child under {MINIMUM_AGE[place]} cannot be placed in {place_label}: "
            f"this child is {age}"
        )
    elif starting and place in TEMPORARY:
        errors["placement_type"] = "A period of care cannot start with a temporary placement"
    elif legal in SHORT_BREAKS and (
        place in TEMPORARY or place in (PlacementType.U1, PlacementType.U4)
    ):
        errors["placement_type"] = (
            "A child on short breaks cannot be in a temporary or long-term foster placement"
        )
    elif place in (PlacementType.A5, PlacementType.A6) and legal not in (
        LegalStatus.E1,
        LegalStatus.D1,
    ):
        errors["legal_status"] = (
            "A child placed for adoption with a placement order must have the legal status "
            "'placement order' (E1)"
        )
    elif place == PlacementType.P1 and legal == LegalStatus.V2:
        errors["legal_status"] = (
            "A child placed with their parents is not accommodated under section 20 (V2)"
        )
    if age is not None and legal in YOUTH_JUSTICE and age < 10:
        errors.setdefault(
            "legal_status", f"A child under 10 cannot be {LegalStatus(legal).label.lower()}"
        )
    if age is not None and starting and age >= 18:
        errors.setdefault(
            "start_date", "A young person of 18 or over cannot start to be looked after"
        )
    if (provider == PlacementProvider.PR0) != (place == PlacementType.P1):
        errors.setdefault(
            "provider",
            "Only a placement with parents (P1) is provided by a parent (PR0), and it is "
            "provided by no one else",
        )
    elif place in NOT_PROVIDED_BY.get(provider, ()):
        errors.setdefault(
            "provider",
            f"{PlacementProvider(provider).label} does not provide {place_label}",
        )
    return errors


def _check_placement(child: Any, day: date, fields: dict[str, Any], *, starting: bool) -> None:
    errors = placement_problems(child, day, fields, starting=starting)
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def care_start(
    *, actor: User, episode: Episode, start_date: Any, placement: dict[str, Any]
) -> PeriodOfCare:
    """The child becomes looked after: a period of care and its first 903 episode (RNE S),
    with the care plan, first review and first visit on their statutory clocks."""
    child = episode.child
    _may_record(actor, child)
    _open_episode(episode)
    start_date = _date(
        start_date, "start_date", "the date the child became looked after", child=child
    )
    _not_before(start_date, episode.referral_date, "start_date", "the referral")
    _lock_child(child)
    if PeriodOfCare.objects.filter(child=child, end_date__isnull=True).exists():
        raise ValidationError("This child is already looked after")
    fields = _placement_fields(placement)
    _check_placement(child, start_date, fields, starting=True)
    last_ended = (
        PeriodOfCare.objects.filter(child=child, end_date__isnull=False)
        .order_by("-end_date")
        .values_list("end_date", flat=True)
        .first()
    )
    if last_ended is not None and start_date < last_ended:
        raise ValidationError(
            {
                "start_date": "The child's previous period of care ended on "
                f"{last_ended:%-d %B %Y}: a new one cannot start before it"
            }
        )
    period = PeriodOfCare.objects.create(child=child, episode=episode, start_date=start_date)
    CareEpisode.objects.create(
        period=period, start_date=start_date, reason_new_episode=ReasonNewEpisode.S, **fields
    )
    _register(child, "care_plan", "Write the care plan", due.care_plan_due(start_date), period)
    _register(
        child,
        "care_review",
        "Hold the first looked-after review",
        due.care_review_due(start_date, number=1),
        period,
    )
    _register(
        child,
        "cla_visit",
        "Visit the child in their placement",
        due.care_visit_due(date.min, start_date),
        period,
    )
    _register_health_and_education(child, period)
    _register_care_planning(child, period, start_date)
    _record(
        actor,
        child,
        events.CARE_STARTED,
        f"Became looked after: {LegalStatus(fields['legal_status']).label}; placed "
        f"{PlacementType(fields['placement_type']).label.lower()}",
        period,
        Significance.CRITICAL,
        start_date,
    )
    return period


def _register_care_planning(child: Any, period: PeriodOfCare, placed_on: date) -> None:
    """The placement plan (5 working days from the placement), and an independent
    reviewing officer in time to chair the first review, having spoken with the child
    before it."""
    _register(
        child,
        PLACEMENT_PLAN_DUE,
        "Write the placement plan",
        due.placement_plan_due(placed_on),
        period,
    )
    first_review = due.care_review_due(period.start_date, number=1)
    _register(child, IRO_DUE, "Allocate an independent reviewing officer", first_review, period)
    _register(
        child,
        IRO_CONTACT_DUE,
        "The independent reviewing officer speaks with the child before the review",
        first_review,
        period,
    )


def _register_health_and_education(child: Any, period: PeriodOfCare) -> None:
    """The clocks a period of care starts besides the care plan, review and visit: the
    initial health assessment, and for a child of school age the first PEP."""
    start = period.start_date
    _register(
        child,
        HEALTH_DUE,
        "Hold the initial health assessment",
        due.initial_health_assessment_due(start),
        period,
    )
    age = _age_on(child, start)
    if age is not None and PEP_AGES[0] <= age <= PEP_AGES[1]:
        _register(
            child,
            PEP_DUE,
            "Hold the first personal education plan meeting",
            due.education_plan_due(start, first=True),
            period,
        )


class _Placement(Protocol):
    """What a change of placement compares of the one that ends: a `CareEpisode`, or the
    demo generator's planned row of one."""

    @property
    def legal_status(self) -> str: ...
    @property
    def placement_type(self) -> str: ...
    @property
    def placement_postcode(self) -> str: ...
    @property
    def carer_name(self) -> str: ...


def _reason_new_episode(old: _Placement, new: dict[str, Any]) -> str:
    legal = old.legal_status != new["legal_status"]
    placement = old.placement_type != new["placement_type"] or (
        old.placement_postcode != new["placement_postcode"]
    )
    carer = old.carer_name != new["carer_name"]
    if legal and placement and carer:
        return ReasonNewEpisode.B
    if legal and placement:
        return ReasonNewEpisode.U
    if legal:
        return ReasonNewEpisode.L
    return ReasonNewEpisode.P if carer else ReasonNewEpisode.T


@transaction.atomic
def care_change(
    *,
    actor: User,
    period: PeriodOfCare,
    change_date: Any,
    placement: dict[str, Any],
    reason_place_change: str = "",
) -> CareEpisode:
    """A new 903 episode: the current one ends the same day (REC X1) and the reason for the
    new one (RNE) follows from what changed."""
    child = period.child
    _may_record(actor, child)
    period = _locked(period)
    if period.end_date:
        raise ValidationError("This period of care has ended")
    current = period.episodes.get(end_date__isnull=True)
    change_date = _date(change_date, "change_date", "the date of the change", child=child)
    if change_date <= current.start_date:
        raise ValidationError(
            {"change_date": "The change must be after the current placement started"}
        )
    fields = _placement_fields(placement)
    _check_placement(child, change_date, fields, starting=False)
    rne = _reason_new_episode(current, fields)
    if rne != ReasonNewEpisode.L and reason_place_change not in PlacementChangeReason.values:
        raise ValidationError({"reason_place_change": "Select why the placement changed"})
    current.end_date, current.reason_ceased = change_date, ReasonCeased.X1
    current.reason_place_change = reason_place_change if rne != ReasonNewEpisode.L else ""
    current.save(update_fields=["end_date", "reason_ceased", "reason_place_change", "updated_at"])
    episode = CareEpisode.objects.create(
        period=period, start_date=change_date, reason_new_episode=rne, **fields
    )
    if rne != ReasonNewEpisode.L:
        _register(
            child,
            "cla_visit",
            "Visit the child in their new placement",
            due.care_visit_due(date.min, change_date),
            period,
        )
        _register(
            child,
            PLACEMENT_PLAN_DUE,
            "Write the placement plan",
            due.placement_plan_due(change_date),
            period,
        )
    _record(
        actor,
        child,
        events.PLACEMENT_CHANGED,
        f"{ReasonNewEpisode(rne).label}: now "
        f"{PlacementType(fields['placement_type']).label.lower()}",
        episode,
        Significance.HIGH,
        change_date,
    )
    return episode


@transaction.atomic
def care_plan_record(*, actor: User, period: PeriodOfCare, plan_date: Any) -> PeriodOfCare:
    """The care plan is written (CPPCR reg 4: before the first placement or within 10
    working days of it)."""
    child = period.child
    _may_record(actor, child)
    period = _locked(period)
    if period.end_date:
        raise ValidationError("This period of care has ended")
    plan_date = _date(plan_date, "plan_date", "the date of the care plan")
    _not_before(plan_date, period.episode.referral_date, "plan_date", "the referral")
    period.care_plan_date = plan_date
    period.save(update_fields=["care_plan_date", "updated_at"])
    _complete(period, "care_plan", plan_date)
    _record(actor, child, events.CARE_PLAN, "Care plan written", period, when=plan_date)
    return period


@transaction.atomic
def care_review_record(
    *,
    actor: User,
    period: PeriodOfCare,
    held_on: Any,
    participation: str,
    recommendations: str = "",
    complete_by: Any = None,
) -> CareReview:
    """A looked-after review, how the child took part (903 REVIEW_CODE: PN0 for a child
    under 4 on the day, and only for them), and the independent reviewing officer's
    recommendations (one a line), each on the worker's list until it is done."""
    child = period.child
    _may_record(actor, child, conference=True)
    if period.end_date:
        raise ValidationError("This period of care has ended")
    held_on = _date(held_on, "held_on", "the date of the review", child=child)
    _not_before(held_on, period.start_date, "held_on", "the child became looked after")
    _check_participation(child, held_on, participation)
    actions = _recommendations(recommendations, complete_by, held_on)
    review = CareReview.objects.create(
        period=period, held_on=held_on, participation=participation, recorded_by=actor
    )
    for text in actions:
        recommendation = ReviewRecommendation.objects.create(
            review=review, text=text, due_date=complete_by
        )
        _register(
            child,
            RECOMMENDATION_DUE,
            f"Review recommendation: {text}"[:120],
            complete_by,
            recommendation,
        )
    # The next review is dated from the latest held, whatever order they were recorded in.
    held = sorted(period.reviews.values_list("held_on", flat=True))
    if held_on == held[-1]:
        _complete(period, "care_review", held_on)
    next_review = due.care_review_due(held[-1], number=len(held) + 1)
    _register(child, "care_review", "Hold the next looked-after review", next_review, period)
    # The IRO hears the child before each review: the clock moves on to the next one.
    _register(
        child,
        IRO_CONTACT_DUE,
        "The independent reviewing officer speaks with the child before the review",
        next_review,
        period,
    )
    number = sum(1 for day in held if day <= held_on)  # its place by date
    summary = f"Looked-after review {number}"
    if actions:
        summary += f": {len(actions)} recommendation{'' if len(actions) == 1 else 's'}"
    _record(actor, child, events.CARE_REVIEW, summary, review, when=held_on)
    return review


def _recommendations(text: str, complete_by: Any, held_on: date) -> list[str]:
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    if not lines:
        return []
    if any(len(line) > 300 for line in lines):
        raise ValidationError(
            {"recommendations": "Each recommendation must be 300 characters or fewer"}
        )
    if not isinstance(complete_by, date):
        raise ValidationError(
            {"complete_by": "Enter the date the recommendations are to be done by"}
        )
    if complete_by <= held_on:
        raise ValidationError(
            {
                "complete_by": "The date the recommendations are to be done by must be after "
                "the review"
            }
        )
    return [_text(line, "recommendations", "the recommendation", limit=300) for line in lines]


@transaction.atomic
def recommendation_complete(
    *, actor: User, recommendation: ReviewRecommendation, done_on: Any
) -> ReviewRecommendation:
    """A review recommendation done: off the worker's list and on the chronology."""
    child = recommendation.review.period.child
    _may_record(actor, child)
    recommendation = _locked(recommendation)
    if recommendation.done_on:
        raise ValidationError(f"This recommendation was done on {recommendation.done_on:%-d %B %Y}")
    done_on = _date(done_on, "done_on", "the date it was done")
    _not_before(done_on, recommendation.review.held_on, "done_on", "the review")
    recommendation.done_on, recommendation.done_by = done_on, actor
    recommendation.save(update_fields=["done_on", "done_by", "updated_at"])
    _complete(recommendation, RECOMMENDATION_DUE, done_on)
    _record(
        actor,
        child,
        events.RECOMMENDATION_DONE,
        f"Review recommendation done: {recommendation.text}",
        recommendation,
        when=done_on,
    )
    return recommendation


def _check_participation(child: Any, held_on: date, code: str) -> None:
    if code not in Participation.values:
        raise ValidationError({"participation": "Select how the child took part in the review"})
    age = _age_on(child, held_on)
    if age is None:
        return
    if age < 4 and code != Participation.PN0:
        raise ValidationError(
            {"participation": f"The child was {age} at the review: select 'aged under 4' (PN0)"}
        )
    if age >= 4 and code == Participation.PN0:
        raise ValidationError(
            {
                "participation": f"The child was {age} at the review: 'aged under 4' (PN0) is "
                "only for younger children"
            }
        )


@transaction.atomic
def care_end(*, actor: User, period: PeriodOfCare, end_date: Any, reason: str) -> PeriodOfCare:
    child = period.child
    _may_record(actor, child)
    period = _locked(period)
    if period.end_date:
        raise ValidationError("This period of care has already ended")
    end_date = _date(end_date, "end_date", "the date the child left care")
    current = period.episodes.get(end_date__isnull=True)
    if end_date < current.start_date:
        raise ValidationError(
            {"end_date": "The date cannot be before the current placement started"}
        )
    if reason not in ReasonCeased.values or reason == ReasonCeased.X1:
        raise ValidationError({"reason": "Select why the child left care"})
    current.end_date, current.reason_ceased = end_date, reason
    current.save(update_fields=["end_date", "reason_ceased", "updated_at"])
    period.end_date, period.reason_ceased = end_date, reason
    period.save(update_fields=["end_date", "reason_ceased", "updated_at"])
    DueItem.objects.filter(
        source_type=period._meta.label, source_id=str(period.pk), done_on__isnull=True
    ).update(done_on=end_date)
    _record(
        actor,
        child,
        events.CARE_ENDED,
        f"Ceased to be looked after: {ReasonCeased(reason).label}",
        period,
        Significance.CRITICAL,
        end_date,
    )
    return period
