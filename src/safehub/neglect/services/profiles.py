"""A neglect profile's life: started by a trained practitioner for a child they may see
(and any siblings it covers), filled in item by item, completed (scores rolled up by the
template's rule), signed off by a supervisor who did not complete it.

Every write checks the policy for every child the profile covers, bumps the profile's
version (a second editor working from an old version gets ConcurrentEditError and nothing
is written), and is audited in the same transaction; completion and sign-off are each a
chronology entry crediting who did them."""

from collections import defaultdict
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from safehub.access.guards import check_neglect_profile, check_sign_off
from safehub.access.policy import Action, SignOff
from safehub.audit.models import AuditAction
from safehub.audit.services import audit_record
from safehub.chronology.models import Significance
from safehub.chronology.services import chronology_append
from safehub.core.models import versioned_update
from safehub.core.text import clean_text
from safehub.neglect import events
from safehub.neglect.models import (
    Item,
    ItemGrade,
    NeglectProfile,
    PlannedAction,
    ProfileDraft,
    ProfileStatus,
    ProfileTemplate,
)
from safehub.neglect.scores import profile_scores
from safehub.neglect.selectors import profile_grades, sibling_ids
from safehub.neglect.services.training import require_current_training
from safehub.organisations.models import User
from safehub.people.models import Person

MAX_EVIDENCE = 5000
MAX_VIEWS = 10000


def _covered(profile: NeglectProfile) -> list[Person]:
    return [profile.child, *profile.siblings.all()]


def _audit(actor: User, profile: NeglectProfile, action: str, detail: dict[str, Any]) -> None:
    audit_record(
        actor=actor,
        action=action,
        person_id=profile.child_id,
        subject_ids=[p.pk for p in _covered(profile)],
        object_type="neglect.NeglectProfile",
        object_id=profile.pk,
        detail=detail,
    )


def _may_work_on(actor: User, profile: NeglectProfile) -> None:
    check_neglect_profile(actor, _covered(profile), Action.EDIT)
    if profile.status != ProfileStatus.IN_PROGRESS:
        raise ValidationError("This profile is completed, so it can no longer be changed")


@transaction.atomic
def profile_start(
    *,
    actor: User,
    child: Person,
    template: ProfileTemplate,
    siblings: list[Person] | None = None,
) -> NeglectProfile:
    """Start a profile of `child` (and `siblings`, brothers or sisters the actor may also
    see) on `template`, with every item to grade."""
    siblings = [s for s in (siblings or []) if s.pk != child.pk]
    check_neglect_profile(actor, [child, *siblings], Action.EDIT)
    related = sibling_ids(child)
    strangers = [s for s in siblings if s.pk not in related]
    if strangers:
        raise ValidationError(
            {"siblings": "Only the child's brothers and sisters can share their profile"}
        )
    require_current_training(
        user=actor, template=template, on=timezone.localdate(), doing="start a profile"
    )
    profile = NeglectProfile.objects.create(child=child, template=template, started_by=actor)
    profile.siblings.set(siblings)
    items = Item.objects.filter(area__template=template)
    ItemGrade.objects.bulk_create(ItemGrade(profile=profile, item=item) for item in items)
    _audit(actor, profile, AuditAction.CREATE, {"template": str(template)})
    chronology_append(
        actor=actor,
        persons=_covered(profile),
        event_type=events.NEGLECT_PROFILE_STARTED,
        summary=f"Neglect profile started ({template})",
        source=profile,
    )
    return profile


def _grade(value: Any, where: str) -> int | None:
    if value in (None, ""):
        return None
    try:
        grade = int(value)
    except (TypeError, ValueError):
        grade = 0
    if not 1 <= grade <= 5:
        raise ValidationError({where: "Choose a grade from 1 to 5"})
    return grade


@transaction.atomic
def profile_record_grades(
    *,
    actor: User,
    profile: NeglectProfile,
    expected_version: int,
    grades: dict[int, tuple[Any, Any]],
) -> NeglectProfile:
    """Record a grade (1 to 5, or none yet) and the evidence for it, for each item named
    (item id to (grade, evidence)): one area's worth, or any items of the profile."""
    _may_work_on(actor, profile)
    rows = {g.item_id: g for g in ItemGrade.objects.filter(profile=profile)}
    changed = []
    for item_id, (grade, evidence) in grades.items():
        row = rows.get(int(item_id))
        if row is None:
            raise ValidationError("That item is not part of this profile's template")
        where = f"item-{item_id}"
        row.grade = _grade(grade, f"{where}-grade")
        try:
            row.evidence = clean_text(
                evidence,
                label="the evidence",
                max_length=MAX_EVIDENCE,
                multiline=True,
                required=False,
            )
        except ValidationError as error:
            raise ValidationError({f"{where}-evidence": error.messages}) from error
        changed.append(row)
    versioned_update(instance=profile, expected_version=expected_version, data={})
    ItemGrade.objects.bulk_update(changed, ["grade", "evidence"])
    _drop_drafts(
        actor, profile, [f"{box}-{r.item_id}" for r in changed for box in ("item", "grade")]
    )
    _audit(actor, profile, AuditAction.CHANGE, {"items": sorted(r.item_id for r in changed)})
    return profile


def _actions(actions: list[dict[str, Any]]) -> list[PlannedAction]:
    planned = []
    for n, raw in enumerate(actions, start=1):
        where = f"actions-{n}"
        text = clean_text(raw.get("action"), label=f"action {n}", max_length=2000, multiline=True)
        owner = clean_text(raw.get("owner_name"), label=f"who owns action {n}", max_length=200)
        due = raw.get("due_date")
        if not isinstance(due, date):
            raise ValidationError({f"{where}-due_date": f"Enter when action {n} is due"})
        planned.append(PlannedAction(position=n, action=text, owner_name=owner, due_date=due))
    return planned


@transaction.atomic
def profile_record_plan(
    *,
    actor: User,
    profile: NeglectProfile,
    expected_version: int,
    family_views: Any,
    actions: list[dict[str, Any]],
    review_date: date | None,
) -> NeglectProfile:
    """Record the family's views, the action plan (each action with who owns it and when it
    is due; replaces the plan so far) and the review date."""
    _may_work_on(actor, profile)
    views = clean_text(
        family_views,
        label="the family's views",
        max_length=MAX_VIEWS,
        multiline=True,
        required=False,
    )
    planned = _actions(actions)
    if review_date is not None and review_date <= timezone.localdate():
        raise ValidationError({"review_date": "The review date must be in the future"})
    versioned_update(
        instance=profile,
        expected_version=expected_version,
        data={"family_views": views, "review_date": review_date},
    )
    PlannedAction.objects.filter(profile=profile).delete()
    for action in planned:
        action.profile = profile
    PlannedAction.objects.bulk_create(planned)
    _drop_drafts(actor, profile, ["family_views"])
    _audit(actor, profile, AuditAction.CHANGE, {"plan": len(planned)})
    return profile


def _missing(grades: list[ItemGrade]) -> list[str]:
    missing = []
    for row in grades:
        lacks = [
            what
            for what, absent in (("grade", row.grade is None), ("evidence", not row.evidence))
            if absent
        ]
        if lacks:
            missing.append(
                f"area {row.item.area.position}, item {row.item.position} "
                f"({row.item.title}) has no {' and no '.join(lacks)}"
            )
    return missing


@transaction.atomic
def profile_complete(
    *, actor: User, profile: NeglectProfile, expected_version: int, now: datetime | None = None
) -> NeglectProfile:
    """Complete the profile: refused while any item lacks a grade or evidence, or the
    family's views or review date are missing; the area and overall scores are worked out
    by the template's roll-up rules and kept with the profile. `now` (default: the clock)
    lets the demo record a profile completed on a past day, chronology entry and all."""
    _may_work_on(actor, profile)
    now = now or timezone.now()
    today = timezone.localdate(now)
    template = profile.template
    require_current_training(user=actor, template=template, on=today, doing="complete a profile")
    grades = profile_grades(profile)
    problems = _missing(grades)
    if not profile.family_views:
        problems.append("the family's views are not recorded")
    if profile.review_date is None:
        problems.append("there is no review date")
    if problems:
        raise ValidationError("The profile cannot be completed yet: " + "; ".join(problems))
    by_area: dict[int, list[int]] = defaultdict(list)
    for row in grades:
        by_area[row.item.area_id].append(row.grade or 0)
    areas, overall = profile_scores(
        by_area, area_rule=template.area_roll_up, overall_rule=template.overall_roll_up
    )
    versioned_update(
        instance=profile,
        expected_version=expected_version,
        data={
            "status": ProfileStatus.COMPLETED,
            "area_scores": {str(k): v for k, v in areas.items()},
            "overall_score": overall,
            "completed_by": actor,
            "completed_on": today,
        },
    )
    _audit(actor, profile, AuditAction.CHANGE, {"completed": True, "overall": overall})
    chronology_append(
        actor=actor,
        persons=_covered(profile),
        event_type=events.NEGLECT_PROFILE_COMPLETED,
        summary=f"Neglect profile completed ({template}): overall grade {overall}",
        significance=Significance.MEDIUM,
        occurred_at=now,
        recorded_at=now,
        source=profile,
    )
    return profile


@transaction.atomic
def profile_sign_off(
    *, actor: User, profile: NeglectProfile, expected_version: int, now: datetime | None = None
) -> NeglectProfile:
    """A supervisor, never the practitioner who completed it, signs off a completed
    profile (`now` as for `profile_complete`)."""
    now = now or timezone.now()
    check_neglect_profile(actor, _covered(profile), Action.VIEW)
    if profile.status == ProfileStatus.IN_PROGRESS:
        raise ValidationError("The profile must be completed before it is signed off")
    if profile.status == ProfileStatus.SIGNED_OFF:
        raise ValidationError("This profile is already signed off")
    check_sign_off(
        actor, SignOff.NEGLECT_PROFILE, done_by_id=profile.completed_by_id, field="signed_off"
    )
    versioned_update(
        instance=profile,
        expected_version=expected_version,
        data={
            "status": ProfileStatus.SIGNED_OFF,
            "signed_off_by": actor,
            "signed_off_on": timezone.localdate(now),
        },
    )
    _audit(actor, profile, AuditAction.CHANGE, {"signed_off": True})
    chronology_append(
        actor=actor,
        persons=_covered(profile),
        event_type=events.NEGLECT_PROFILE_SIGNED_OFF,
        summary=f"Neglect profile signed off ({profile.template})",
        occurred_at=now,
        recorded_at=now,
        source=profile,
    )
    return profile


def draft_boxes(profile: NeglectProfile) -> set[str]:
    """The boxes of a profile a draft may be kept for: the family's views, and each item's
    evidence (`item-<id>`) and grade (`grade-<id>`)."""
    items = ItemGrade.objects.filter(profile=profile).values_list("item_id", flat=True)
    return {"family_views", *(f"{box}-{pk}" for pk in items for box in ("item", "grade"))}


@transaction.atomic
def profile_draft_save(
    *, actor: User, profile: NeglectProfile, box: str, text: str
) -> ProfileDraft:
    """Keep what `actor` is typing in one box of a profile they may work on. Not audited as
    a change: a draft is the practitioner's own, until they save the area."""
    _may_work_on(actor, profile)
    if box not in draft_boxes(profile):
        raise ValidationError("Unknown draft")
    if box.startswith("grade-"):
        # A grade chosen but not yet saved: 1 to 5, or nothing (the choice was cleared).
        text = str(text).strip()
        if text and _grade(text, box) is None:
            raise ValidationError("Choose a grade from 1 to 5")
    limit = MAX_VIEWS if box == "family_views" else MAX_EVIDENCE
    draft, _ = ProfileDraft.objects.update_or_create(
        author=actor, profile=profile, box=box, defaults={"text": str(text)[:limit]}
    )
    return draft


def _drop_drafts(actor: User, profile: NeglectProfile, boxes: list[str]) -> None:
    ProfileDraft.objects.filter(author=actor, profile=profile, box__in=boxes).delete()
