"""Everything that changes a child's care planning. Each function is one transaction that
checks the policy for the child (the casework decision), refuses in plain English what
cannot be right, writes its audit row and chronology entry, and closes the statutory items
casework opened when the child came into care or moved (`DueItem`: the care plan, the
placement plan, the IRO's allocation and their contact before each review)."""

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from safehub.access.guards import require
from safehub.access.models import Involvement, InvolvementKind
from safehub.access.policy import Action, decide, may_chair
from safehub.careplanning import events
from safehub.careplanning.models import (
    DelegatedDecision,
    Plan,
    PlanKind,
    PlanVersion,
    ReviewingOfficer,
    ReviewingOfficerContact,
)
from safehub.casework.models import Allocation, CareEpisode, CareReview, PeriodOfCare
from safehub.casework.services.care import IRO_CONTACT_DUE, IRO_DUE, PLACEMENT_PLAN_DUE
from safehub.casework.services.shared import (
    _complete,
    _date,
    _lock_child,
    _locked,
    _may_record,
    _must_manage,
    _not_before,
    _record,
    _text,
)
from safehub.core.exceptions import ConcurrentEditError
from safehub.core.models import versioned_update
from safehub.organisations.models import User

NOT_IN_CARE = "The child is not looked after: this is recorded during a period of care"


def current_period(child: Any) -> PeriodOfCare | None:
    return PeriodOfCare.objects.filter(child=child, end_date__isnull=True).first()


def _open_period(child: Any) -> PeriodOfCare:
    period = current_period(child)
    if period is None:
        raise ValidationError(NOT_IN_CARE)
    return _locked(period)


def placement_began(period: PeriodOfCare) -> CareEpisode | None:
    """The 903 episode in which the child's current placement began."""
    return placement_among(period.episodes.order_by("-start_date", "-pk"))


def placement_among(episodes: Iterable[CareEpisode]) -> CareEpisode | None:
    """Of a period's episodes, newest first, the one in which the current placement began:
    a change of legal status alone (RNE L) starts a new episode but not a new placement."""
    return next((e for e in episodes if e.reason_new_episode != "L"), None)


def current_iro(period: PeriodOfCare) -> ReviewingOfficer | None:
    return (
        ReviewingOfficer.objects.select_related("iro")
        .filter(period=period, end_date__isnull=True)
        .first()
    )


def _name(user: Any) -> str:
    return str(user.get_full_name() or user.username)


# --- The independent reviewing officer -----------------------------------------------------


@transaction.atomic
def iro_allocate(*, actor: User, child: Any, iro_id: Any) -> ReviewingOfficer:
    """A manager allocates the child's independent reviewing officer: someone who may chair
    (the IRO role) and is not the child's own social worker. The IRO's involvement opens,
    so the policy lets them open the child's record; the last IRO's ends."""
    _must_manage(actor)
    require(actor, child.pk, decide(actor, child, Action.EDIT), Action.EDIT)
    _lock_child(child)
    period = _open_period(child)
    iro = User.objects.filter(pk=iro_id).first() if isinstance(iro_id, int) else None
    worker = (
        Allocation.objects.filter(child=child, end_date__isnull=True)
        .values_list("worker_id", flat=True)
        .first()
    )
    if iro is not None and iro.pk == worker:
        raise ValidationError({"iro": "The child's own social worker cannot be their IRO"})
    if iro is None or not may_chair(iro, allocated_worker_id=worker):
        raise ValidationError({"iro": "Select an independent reviewing officer from the list"})
    today = timezone.localdate()
    current = current_iro(period)
    if current is not None:
        if current.iro_id == iro.pk:
            raise ValidationError({"iro": f"{_name(iro)} is already the child's IRO"})
        current.end_date = today
        current.save(update_fields=["end_date", "updated_at"])
        Involvement.objects.filter(pk=current.involvement_id).update(end_date=today)
    involvement = Involvement.objects.create(
        person=child, kind=InvolvementKind.CONFERENCE_CHAIR, user=iro, team=None
    )
    allocation = ReviewingOfficer.objects.create(
        period=period,
        child=child,
        iro=iro,
        involvement=involvement,
        start_date=today,
        allocated_by=actor,
    )
    _complete(period, IRO_DUE, today)
    _record(
        actor,
        child,
        events.IRO_ALLOCATED,
        f"Independent reviewing officer: {_name(iro)}",
        allocation,
        when=today,
    )
    return allocation


@transaction.atomic
def iro_contact_record(
    *, actor: User, child: Any, contact_on: Any, seen_alone: Any, note: Any = ""
) -> ReviewingOfficerContact:
    """The IRO records their own contact with the child. Only the child's IRO records it;
    a contact since the last review meets the expectation that they hear the child before
    the next one."""
    _may_record(actor, child, conference=True)
    period = _open_period(child)
    allocation = current_iro(period)
    if allocation is None or allocation.iro_id != actor.pk:
        raise ValidationError(
            "Only the child's independent reviewing officer records their contact"
        )
    contact_on = _date(contact_on, "contact_on", "the date of the contact", child=child)
    _not_before(contact_on, period.start_date, "contact_on", "the child became looked after")
    if not isinstance(seen_alone, bool):
        raise ValidationError({"seen_alone": "Select whether the child was seen alone"})
    contact = ReviewingOfficerContact.objects.create(
        period=period,
        iro=actor,
        contact_on=contact_on,
        seen_alone=seen_alone,
        note=_text(note, "note", "the note", required=False),
    )
    last_review = (
        CareReview.objects.filter(period=period)
        .order_by("-held_on")
        .values_list("held_on", flat=True)
        .first()
    )
    if last_review is None or contact_on > last_review:
        _complete(period, IRO_CONTACT_DUE, contact_on)
    _record(
        actor,
        child,
        events.IRO_CONTACT,
        "Independent reviewing officer saw the child" + (" alone" if seen_alone else ""),
        contact,
        when=contact_on,
    )
    return contact


# --- Plans ---------------------------------------------------------------------------------


def _plan_date(kind: str, value: Any, period: PeriodOfCare, placement: CareEpisode | None) -> date:
    """A care plan may be written before the child is placed (CPPCR reg 4), so no earlier
    than the referral; a placement plan no earlier than the referral either (it may come
    before the placement); a permanence plan while looked after."""
    written = _date(value, "written_on", "the date of the plan", child=period.child)
    if kind == PlanKind.PERMANENCE:
        _not_before(written, period.start_date, "written_on", "the child became looked after")
    else:
        _not_before(written, period.episode.referral_date, "written_on", "the referral")
    return written


@transaction.atomic
def plan_save(
    *,
    actor: User,
    child: Any,
    kind: str,
    written_on: Any,
    content: Any,
    expected_version: int | None,
) -> Plan:
    """Write a care, placement or permanence plan, or change it. A change names the version
    it started from (None: a new plan), so a later save by someone else is never
    overwritten (`ConcurrentEditError`); every version is kept. The first care plan meets
    the 10-working-day clock, the first plan for a placement the 5-working-day one."""
    _may_record(actor, child)
    if kind not in PlanKind.values:
        raise ValidationError({"kind": "Select the kind of plan"})
    period = _open_period(child)
    placement = placement_began(period) if kind == PlanKind.PLACEMENT else None
    written = _plan_date(kind, written_on, period, placement)
    text = _text(content, "content", "what the plan says", limit=20000)
    plan = (
        Plan.objects.select_for_update()
        .filter(period=period, kind=kind, placement=placement)
        .first()
    )
    if plan is None:
        if expected_version not in (None, 0):
            raise ValidationError("This plan no longer exists. Go back to the casework page")
        plan = Plan.objects.create(
            kind=kind,
            period=period,
            placement=placement,
            written_on=written,
            content=text,
            updated_by=actor,
        )
    else:
        if expected_version is None:  # opened as new while someone else wrote the first
            raise ConcurrentEditError(current=plan)
        if written < plan.written_on:
            raise ValidationError(
                {
                    "written_on": "A new version cannot be dated before the one it replaces "
                    f"({plan.written_on:%-d %B %Y})"
                }
            )
        plan = versioned_update(
            instance=plan,
            expected_version=expected_version,
            data={"written_on": written, "content": text, "updated_by": actor},
        )
    PlanVersion.objects.create(
        plan=plan, version=plan.version, written_on=written, content=text, saved_by=actor
    )
    _meet_plan_clock(period, kind, written)
    label = PlanKind(kind).label
    _record(
        actor,
        child,
        events.PLAN_SAVED,
        f"{label} written" if plan.version == 1 else f"{label} changed (version {plan.version})",
        plan,
        when=written,
    )
    return plan


def _meet_plan_clock(period: PeriodOfCare, kind: str, written: date) -> None:
    if kind == PlanKind.CARE and period.care_plan_date is None:
        PeriodOfCare.objects.filter(pk=period.pk).update(care_plan_date=written)
        _complete(period, "care_plan", written)
    elif kind == PlanKind.PLACEMENT:
        _complete(period, PLACEMENT_PLAN_DUE, written)


# --- Delegated authority -------------------------------------------------------------------


@transaction.atomic
def delegated_decision_record(
    *, actor: User, child: Any, decision: Any, delegated_to: Any, agreed_on: Any
) -> DelegatedDecision:
    """A decision the current placement's carers may take for the child, agreed on a date
    no earlier than the placement began."""
    _may_record(actor, child)
    period = _open_period(child)
    placement = placement_began(period)
    if placement is None:
        raise ValidationError(NOT_IN_CARE)
    agreed = _date(agreed_on, "agreed_on", "the date it was agreed", child=child)
    _not_before(agreed, placement.start_date, "agreed_on", "the placement began")
    what = _text(decision, "decision", "the decision", limit=200)
    who = _text(delegated_to, "delegated_to", "who may take it", limit=120)
    record = DelegatedDecision.objects.create(
        period=period,
        placement=placement,
        decision=what,
        delegated_to=who,
        agreed_on=agreed,
        recorded_by=actor,
    )
    _record(
        actor,
        child,
        events.DELEGATED_AUTHORITY,
        f"Delegated to {who}: {what}"[:200],
        record,
        when=agreed,
    )
    return record


@transaction.atomic
def delegated_decision_withdraw(
    *, actor: User, child: Any, record: DelegatedDecision, withdrawn_on: Any
) -> DelegatedDecision:
    _may_record(actor, child)
    record = _locked(record)
    if record.withdrawn_on is not None:
        raise ValidationError("This decision has already been withdrawn")
    withdrawn = _date(withdrawn_on, "withdrawn_on", "the date it was withdrawn", child=child)
    _not_before(withdrawn, record.agreed_on, "withdrawn_on", "it was agreed")
    record.withdrawn_on = withdrawn
    record.save(update_fields=["withdrawn_on", "updated_at"])
    _record(
        actor,
        child,
        events.DELEGATED_AUTHORITY,
        f"No longer delegated to {record.delegated_to}: {record.decision}"[:200],
        record,
        when=withdrawn,
    )
    return record
