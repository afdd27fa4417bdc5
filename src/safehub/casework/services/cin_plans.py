"""Child in need plans: started, reviewed, ended."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from safehub.casework import events
from safehub.casework import timescales as due
from safehub.casework.models import CINPlan, CINPlanReview, CPPlan, DueItem, Episode
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
)
from safehub.organisations.models import User


@transaction.atomic
def cin_plan_start(*, actor: User, episode: Episode, start_date: Any) -> CINPlan:
    child = episode.child
    _may_record(actor, child)
    _open_episode(episode)
    start_date = _date(start_date, "start_date", "the start date", child=child)
    _not_before(start_date, episode.referral_date, "start_date", "the referral")  # 4015
    _lock_child(child)
    if CPPlan.objects.filter(child=child, end_date__isnull=True).exists():  # 4001
        raise ValidationError(
            "A child in need plan cannot start while the child has a child protection plan"
        )
    if CPPlan.objects.filter(child=child, end_date__gt=start_date).exists():  # 4001
        raise ValidationError(
            {
                "start_date": "A child in need plan cannot start before the "
                "child protection plan ended"
            }
        )
    if CINPlan.objects.filter(child=child, end_date__isnull=True).exists():  # 4004
        raise ValidationError("This child already has an open child in need plan")
    plan = CINPlan.objects.create(episode=episode, child=child, start_date=start_date)
    _register(
        child,
        "cin_review",
        "Review the child in need plan",
        due.cin_plan_review_due(start_date, first=True),
        plan,
    )
    _register(
        child,
        "cin_visit",
        "Visit the child (child in need plan)",
        due.cin_visit_due(start_date),
        plan,
    )
    _record(
        actor, child, events.CIN_PLAN_STARTED, "Child in need plan started", plan, when=start_date
    )
    return plan


@transaction.atomic
def cin_plan_review(*, actor: User, plan: CINPlan, held_on: Any) -> CINPlanReview:
    _may_record(actor, plan.child)
    if plan.end_date:
        raise ValidationError("This plan has ended")
    held_on = _date(held_on, "held_on", "the date of the review", child=plan.child)
    _not_before(held_on, plan.start_date, "held_on", "the plan started")
    review = CINPlanReview.objects.create(plan=plan, held_on=held_on, recorded_by=actor)
    # The next review is dated from the latest held, whatever order they were recorded in.
    latest = max(plan.reviews.values_list("held_on", flat=True))
    if held_on == latest:
        _complete(plan, "cin_review", held_on)
    _register(
        plan.child,
        "cin_review",
        "Review the child in need plan",
        due.cin_plan_review_due(latest, first=False),
        plan,
    )
    _record(
        actor,
        plan.child,
        events.CIN_PLAN_REVIEWED,
        "Child in need plan reviewed",
        review,
        when=held_on,
    )
    return review


@transaction.atomic
def cin_plan_end(*, actor: User, plan: CINPlan, end_date: Any) -> CINPlan:
    _may_record(actor, plan.child)
    plan = _locked(plan)
    if plan.end_date:
        raise ValidationError("This plan has already ended")
    end_date = _date(end_date, "end_date", "the end date")
    _not_before(end_date, plan.start_date, "end_date", "the plan started")
    plan.end_date = end_date
    plan.save(update_fields=["end_date", "updated_at"])
    DueItem.objects.filter(
        source_type=plan._meta.label, source_id=str(plan.pk), done_on__isnull=True
    ).update(done_on=end_date)
    _record(
        actor, plan.child, events.CIN_PLAN_ENDED, "Child in need plan ended", plan, when=end_date
    )
    return plan
