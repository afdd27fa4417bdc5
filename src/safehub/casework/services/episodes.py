"""Episodes: opening an episode of need or early help (by hand, or from a MASH referral) and
closing it."""

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from safehub.casework import events
from safehub.casework import timescales as due
from safehub.casework.codes import (
    NFA_CLOSURES,
    ClosureReason,
    EarlyHelpClosure,
    EpisodeKind,
    PrimaryNeed,
)
from safehub.casework.models import DueItem, Episode
from safehub.casework.services.shared import (
    ASSESSMENT_LABEL,
    STRATEGY_LABEL,
    _date,
    _lock_child,
    _locked,
    _may_record,
    _not_before,
    _record,
    _register,
)
from safehub.chronology.models import Significance
from safehub.organisations.models import User


@transaction.atomic
def episode_open(
    *,
    actor: User,
    child: Any,
    kind: str,
    referral_date: date,
    referral_source: str = "",
    primary_need: str = "",
    contact: Any = None,
) -> Episode:
    """Open a child-in-need episode (from an accepted referral) or an early-help episode."""
    _may_record(actor, child)
    if kind not in EpisodeKind.values:
        raise ValidationError({"kind": "Select the kind of episode"})
    referral_date = _date(referral_date, "referral_date", "the referral date")
    if primary_need and primary_need not in PrimaryNeed.values:
        raise ValidationError({"primary_need": "Select the primary need"})
    return _create_episode(
        actor, child, kind, referral_date, referral_source, primary_need, contact
    )


def episode_open_from_referral(
    *, actor: User, contact: Any, child: Any, strategy_discussion: bool = False
) -> Episode | None:
    """A MASH decision to refer for assessment or a strategy discussion opens the child's
    episode of need, dated when the contact was received, and with it the assessment clock.
    A decision to hold a strategy discussion also puts that discussion on its own clock from
    the day of the decision. Called inside the decision's transaction; the decision was
    authorised by the front-door policy, so no person check here. A child whose episode is
    already open keeps it (the contact joins that work). Returns the episode it opened."""
    _lock_child(child)
    episode = Episode.objects.filter(
        child=child, kind=EpisodeKind.CIN, closure_date__isnull=True
    ).first()
    opened = None
    if episode is None:
        episode = opened = _create_episode(
            actor,
            child,
            EpisodeKind.CIN,
            timezone.localtime(contact.received_at).date(),
            contact.referral_source,
            "",
            contact,
            opened_now=True,
        )
    if strategy_discussion:
        _register(
            child,
            "strategy",
            STRATEGY_LABEL,
            due.strategy_discussion_due(timezone.localtime(contact.decided_at).date()),
            episode,
        )
    return opened


def _create_episode(
    actor: User,
    child: Any,
    kind: str,
    referral_date: date,
    referral_source: str,
    primary_need: str,
    contact: Any,
    *,
    opened_now: bool = False,
) -> Episode:
    """`opened_now`: the episode opens as the MASH decision becomes final, so its entry is
    timed then, after the contact and the decision, not on the day of the referral."""
    _lock_child(child)
    if Episode.objects.filter(child=child, kind=kind, closure_date__isnull=True).exists():
        raise ValidationError("This child already has an open episode of this kind")
    episode = Episode.objects.create(
        kind=kind,
        child=child,
        contact=contact,
        referral_date=referral_date,
        referral_source=referral_source,
        primary_need=primary_need,
        opened_by=actor,
    )
    if kind == EpisodeKind.CIN:  # the 45 working days run from the referral, started or not
        _register(child, "assessment", ASSESSMENT_LABEL, due.assessment_due(referral_date), episode)
    _record(
        actor,
        child,
        events.EPISODE_OPENED,
        f"{episode.get_kind_display()} episode opened (referral {referral_date:%-d %B %Y})",
        episode,
        Significance.HIGH,
        None if opened_now else referral_date,
    )
    return episode


def _open_statutory_work(episode: Episode) -> list[str]:
    blocking = []
    if episode.assessments.filter(authorised_date__isnull=True).exists():
        blocking.append("an assessment that is not authorised")
    if episode.enquiries.filter(end_date__isnull=True).exists():
        blocking.append("an open section 47 enquiry")
    if episode.cp_plans.filter(end_date__isnull=True).exists():
        blocking.append("an open child protection plan")
    if episode.cin_plans.filter(end_date__isnull=True).exists():
        blocking.append("an open child in need plan")
    if episode.care_periods.filter(end_date__isnull=True).exists():
        blocking.append("an open period of care")
    return blocking


@transaction.atomic
def episode_close(*, actor: User, episode: Episode, closure_date: Any, reason: str) -> Episode:
    """Close an episode: the date and reason go together (census 8805/8810), and it is
    refused while statutory work on it is still open."""
    _may_record(actor, episode.child)
    episode = _locked(episode)
    if not episode.is_open:
        raise ValidationError("This episode is already closed")
    reasons = ClosureReason if episode.kind == EpisodeKind.CIN else EarlyHelpClosure
    errors = {}
    if reason not in reasons.values:
        errors["reason"] = "Select the reason for closing"
    if not isinstance(closure_date, date):
        errors["closure_date"] = "Enter the closure date"
    if errors:
        raise ValidationError(errors)
    _date(closure_date, "closure_date", "the closure date")
    _not_before(closure_date, episode.referral_date, "closure_date", "the referral")
    blocking = _open_statutory_work(episode)
    if blocking:
        raise ValidationError("You cannot close the case while it has " + " and ".join(blocking))
    if (
        reason in NFA_CLOSURES
        and episode.assessments.filter(authorised_date__isnull=False).count() == 0
    ):
        raise ValidationError(
            {"reason": "A case is closed after assessment only once its assessment is authorised"}
        )
    episode.closure_date, episode.closure_reason = closure_date, reason
    episode.save(update_fields=["closure_date", "closure_reason", "updated_at"])
    DueItem.objects.filter(child=episode.child, done_on__isnull=True).update(done_on=closure_date)
    _record(
        actor,
        episode.child,
        events.EPISODE_CLOSED,
        f"Episode closed: {reasons(reason).label}",
        episode,
        Significance.HIGH,
        closure_date,
    )
    return episode
