"""Episodes: opening an episode of need or early help (by hand, or from a MASH referral) and
closing it."""

from datetime import date, timedelta
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
from safehub.people.codes import PersonKind


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
    referral_date = _date(referral_date, "referral_date", "the referral date", child=child)
    if kind == EpisodeKind.CIN:
        _require_primary_need(primary_need)
    elif primary_need and primary_need not in PrimaryNeed.values:
        raise ValidationError({"primary_need": "Select the primary need"})
    return _create_episode(
        actor, child, kind, referral_date, referral_source, primary_need, contact
    )


# The needs a child in need's referral may be accepted for: "not stated" (N0) is what the
# census rule 8610 exists to stop.
NEEDS_FOR_A_REFERRAL = [n for n in PrimaryNeed if n != PrimaryNeed.N0]


def _require_primary_need(primary_need: str, field: str = "primary_need") -> None:
    if primary_need not in NEEDS_FOR_A_REFERRAL:
        raise ValidationError({field: "Select the child's primary need"})


def census_gaps(child: Any) -> list[str]:
    """What a child in need's record must hold for the census and does not yet: whether
    they have a disability ("No disability" counts), and a UPN or why there is none. An
    unborn child has neither yet."""
    if child.kind == PersonKind.UNBORN:
        return []
    gaps = []
    if not child.disabilities:
        gaps.append("whether they have a disability")
    if not (child.upn or child.upn_unknown):
        gaps.append("their UPN, or why it is not known")
    return gaps


def check_census_details(children: Any, field: str | None = None) -> None:
    """Refuse to make these children children in need until their records hold what the
    census needs, naming each child and what is missing."""
    problems = [
        f"{child.full_name}'s record needs {' and '.join(gaps)}"
        for child in children
        if (gaps := census_gaps(child))
    ]
    if problems:
        message = "; ".join(problems) + ". Record it on their page first"
        raise ValidationError({field: message} if field else message)


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
            contact.primary_need,
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
    _referral_in_its_place(child, kind, referral_date)
    if kind == EpisodeKind.CIN:
        check_census_details([child])
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


@transaction.atomic
def episode_primary_need_change(*, actor: User, episode: Episode, primary_need: str) -> Episode:
    """The primary need is set when the referral is accepted and can change as the work
    shows more (an assessment often does); a child in need always has one (census 8610)."""
    _may_record(actor, episode.child)
    episode = _locked(episode)
    if episode.kind == EpisodeKind.CIN:
        _require_primary_need(primary_need)
    elif primary_need and primary_need not in PrimaryNeed.values:
        raise ValidationError({"primary_need": "Select the primary need"})
    if primary_need == episode.primary_need:
        return episode
    episode.primary_need = primary_need
    episode.save(update_fields=["primary_need", "updated_at"])
    label = PrimaryNeed(primary_need).label if primary_need else "none"
    _record(actor, episode.child, events.PRIMARY_NEED_CHANGED, f"Primary need: {label}", episode)
    return episode


def _referral_in_its_place(child: Any, kind: str, referral_date: date) -> None:
    """A referral comes no more than 40 weeks before the child is born (census 8606) and
    after the child's last episode of the kind ended: never backdated over it (8820)."""
    born = child.date_of_birth or child.expected_date_of_birth
    if born is not None and referral_date < born - timedelta(weeks=40):
        raise ValidationError(
            {
                "referral_date": "The referral date cannot be more than 40 weeks before the "
                f"child's {'expected ' if child.date_of_birth is None else ''}date of birth "
                f"({born:%-d %B %Y})"
            }
        )
    last = (
        Episode.objects.filter(child=child, kind=kind, closure_date__isnull=False)
        .order_by("-closure_date")
        .values_list("closure_date", flat=True)
        .first()
    )
    if last is not None and referral_date < last:
        raise ValidationError(
            {
                "referral_date": "The referral date cannot be before the child's previous "
                f"episode closed ({last:%-d %B %Y}): episodes cannot overlap"
            }
        )


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
def episode_close(
    *,
    actor: User,
    episode: Episode,
    closure_date: Any,
    reason: str,
    referral_nfa: bool | None = None,
) -> Episode:
    """Close an episode: the date and reason go together (census 8805/8810), and it is
    refused while statutory work on it is still open. A child in need episode says whether
    the referral led to no further action (census ReferralNFA): asked where nothing was
    done on it, and never so where something was (8831/8832)."""
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
    nfa = _referral_nfa(episode, referral_nfa)
    episode.closure_date, episode.closure_reason = closure_date, reason
    episode.referral_nfa = nfa
    episode.save(update_fields=["closure_date", "closure_reason", "referral_nfa", "updated_at"])
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


def has_statutory_work(episode: Episode) -> bool:
    """Whether anything beyond the referral was done on the episode."""
    return (
        episode.assessments.exists()
        or episode.strategies.exists()
        or episode.enquiries.exists()
        or episode.cp_plans.exists()
        or episode.cin_plans.exists()
        or episode.care_periods.exists()
    )


def _referral_nfa(episode: Episode, answer: bool | None) -> bool:
    if episode.kind != EpisodeKind.CIN:
        return False
    if has_statutory_work(episode):
        if answer:
            raise ValidationError(
                {
                    "referral_nfa": "Work was done on this referral (an assessment, a strategy "
                    "discussion or a plan), so it did not end with no further action"
                }
            )
        return False
    if answer is None:
        raise ValidationError(
            {"referral_nfa": "Select whether the referral ended with no further action"}
        )
    return bool(answer)
