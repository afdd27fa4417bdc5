"""Everything that changes a care leaver's record. Each function is one transaction that
checks the policy for the young person (the casework decision), refuses in plain English
what the 903 return would fail (`entry_rules.py` lists them), writes its audit row and
chronology entry, and keeps the pathway plan and birthday record clocks (`DueItem`)."""

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from safehub.access.guards import require
from safehub.access.models import Involvement, InvolvementKind
from safehub.access.policy import Action, decide, holds_cases
from safehub.casework.models import CareEpisode
from safehub.casework.sections import ChildRead
from safehub.casework.services.shared import (
    _complete,
    _date,
    _lock_child,
    _may_record,
    _must_manage,
    _record,
    _register,
    _text,
)
from safehub.core.models import versioned_update
from safehub.leaving_care import events
from safehub.leaving_care.codes import Accommodation, Activity, Category, InTouch, accom_code
from safehub.leaving_care.eligibility import (
    FIRST_BIRTHDAY_RECORD,
    LAST_BIRTHDAY_RECORD,
    LAST_ON_REQUEST,
    Spell,
    age_on,
    birthday,
    category_on,
    has_birthday_record_at,
    spells,
)
from safehub.leaving_care.models import BirthdayRecord, CareLeaver, PathwayPlan, StayingPut
from safehub.leaving_care.timescales import (
    birthday_record_due,
    birthday_window,
    pathway_review_due,
)
from safehub.organisations.models import User

PATHWAY_DUE = "pathway_review"


def birthday_due_kind(age: int) -> str:
    return f"birthday_{age}"


PLANNED = (Category.ELIGIBLE, Category.RELEVANT, Category.FORMER_RELEVANT)


def ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def care_history(child: Any, read: ChildRead | None = None) -> list[Spell]:
    """The child's 903 episodes as spells, in one query; none on the casework page, which
    has read the periods and their episodes (`read`)."""
    if read is not None:
        return spells(
            (e.start_date, e.end_date or p.end_date, e.legal_status)
            for p in read.care_periods
            for e in read.placements(p)
        )
    rows = CareEpisode.objects.filter(period__child=child).values_list(
        "start_date", "end_date", "period__end_date", "legal_status"
    )
    return spells((start, end or period_end, status) for start, end, period_end, status in rows)


def _dob(child: Any) -> date:
    if child.date_of_birth is None:
        raise ValidationError("Record the young person's date of birth first")
    return child.date_of_birth


def _leaver(child: Any) -> CareLeaver:
    leaver, _ = CareLeaver.objects.get_or_create(child=child)
    return leaver


def _category(child: Any, leaver: CareLeaver, on: date) -> Category | None:
    return category_on(_dob(child), care_history(child), on, support_to_25=leaver.support_to_25)


def register_next_birthday(child: Any, leaver: CareLeaver, today: date) -> None:
    """The next birthday record the 903 asks for and nobody has made yet, as a due item:
    the soonest whose window has not closed (one already registered stays open, overdue,
    until it is recorded)."""
    dob, history = _dob(child), care_history(child)
    done = set(leaver.birthdays.values_list("age", flat=True))
    last = LAST_ON_REQUEST if leaver.support_to_25 else LAST_BIRTHDAY_RECORD
    for age in range(FIRST_BIRTHDAY_RECORD, last + 1):
        day = birthday(dob, age)
        due = birthday_record_due(day)
        if age in done or due < today or not has_birthday_record_at(dob, history, age):
            continue
        _register(child, birthday_due_kind(age), f"Record the {ordinal(age)} birthday", due, leaver)
        return


# --- Personal adviser --------------------------------------------------------------------


@transaction.atomic
def adviser_allocate(
    *, actor: User, child: Any, adviser: Any, support_to_25: bool, expected_version: int | None
) -> CareLeaver:
    """A manager names the young person's personal adviser (a case-holding worker), and
    says whether they asked for support to 25. The adviser's involvement opens (so they
    may open the record) and the previous adviser's ends."""
    _must_manage(actor)
    require(actor, child.pk, decide(actor, child, Action.EDIT), Action.EDIT)
    if adviser is None or not adviser.is_active or not holds_cases(adviser):
        raise ValidationError({"adviser": "Select a personal adviser"})
    _lock_child(child)
    leaver = _leaver(child)
    today = timezone.localdate()
    if category_on(_dob(child), care_history(child), today, support_to_25=support_to_25) is None:
        raise ValidationError(
            f"{child.full_name} is not a care leaver: a personal adviser is for young people "
            "who were looked after after their 16th birthday, up to 21 (25 if they ask)"
        )
    data: dict[str, Any] = {"support_to_25": support_to_25}
    changed_adviser = leaver.personal_adviser_id != adviser.pk
    if changed_adviser:
        if leaver.adviser_involvement_id:
            Involvement.objects.filter(pk=leaver.adviser_involvement_id).update(end_date=today)
        data["adviser_involvement"] = Involvement.objects.create(
            person=child, kind=InvolvementKind.ALLOCATED_WORKER, user=adviser, team=adviser.team
        )
        data.update(personal_adviser=adviser, adviser_since=today)
    leaver = versioned_update(
        instance=leaver,
        expected_version=leaver.version if expected_version is None else expected_version,
        data=data,
    )
    if changed_adviser:
        _record(
            actor,
            child,
            events.ADVISER_ALLOCATED,
            f"Personal adviser: {adviser.get_full_name() or adviser.username}",
            leaver,
            when=today,
        )
    if support_to_25:
        _record(actor, child, events.SUPPORT_TO_25, "Support to 25 asked for", leaver, when=today)
    register_next_birthday(child, leaver, today)
    return leaver


# --- Pathway plan --------------------------------------------------------------------------


@transaction.atomic
def pathway_plan_record(*, actor: User, child: Any, plan_date: Any, content: Any) -> PathwayPlan:
    """A pathway plan written or reviewed; the next review is due within six months."""
    _may_record(actor, child)
    plan_date = _date(plan_date, "plan_date", "the date of the plan", child=child)
    sixteen = birthday(_dob(child), 16)
    if plan_date < sixteen:
        raise ValidationError(
            {
                "plan_date": "A pathway plan cannot be dated before the young person's 16th "
                f"birthday ({sixteen:%-d %B %Y})"
            }
        )
    _lock_child(child)
    leaver = _leaver(child)
    if _category(child, leaver, plan_date) not in PLANNED:
        raise ValidationError(
            {
                "plan_date": f"{child.full_name} was not an eligible, relevant or former "
                "relevant care leaver on that date, so has no pathway plan"
            }
        )
    plan = PathwayPlan.objects.create(
        care_leaver=leaver,
        plan_date=plan_date,
        content=_text(content, "content", "what the plan says"),
        review_due=pathway_review_due(plan_date),
        recorded_by=actor,
    )
    _complete(leaver, PATHWAY_DUE, plan_date)
    _register(child, PATHWAY_DUE, "Review the pathway plan", plan.review_due, leaver)
    _record(actor, child, events.PATHWAY_PLAN, "Pathway plan written", plan, when=plan_date)
    return plan


# --- Staying put ---------------------------------------------------------------------------


@transaction.atomic
def staying_put_start(*, actor: User, child: Any, carer_name: Any, start_date: Any) -> StayingPut:
    _may_record(actor, child)
    start_date = _date(start_date, "start_date", "the date staying put began", child=child)
    eighteen = birthday(_dob(child), 18)
    if start_date < eighteen:
        raise ValidationError(
            {
                "start_date": "Staying put begins on or after the 18th birthday "
                f"({eighteen:%-d %B %Y}); before then the young person is looked after"
            }
        )
    _lock_child(child)
    leaver = _leaver(child)
    if leaver.staying_put.filter(end_date__isnull=True).exists():
        raise ValidationError("A staying put arrangement is already running: end it first")
    arrangement = StayingPut.objects.create(
        care_leaver=leaver,
        carer_name=_text(carer_name, "carer_name", "the former foster carer's name", limit=120),
        start_date=start_date,
        recorded_by=actor,
    )
    _record(
        actor,
        child,
        events.STAYING_PUT_STARTED,
        f"Staying put with {arrangement.carer_name}",
        arrangement,
        when=start_date,
    )
    return arrangement


@transaction.atomic
def staying_put_end(*, actor: User, child: Any, end_date: Any) -> StayingPut:
    _may_record(actor, child)
    end_date = _date(end_date, "end_date", "the date staying put ended")
    _lock_child(child)
    arrangement = StayingPut.objects.filter(care_leaver__child=child, end_date__isnull=True).first()
    if arrangement is None:
        raise ValidationError("There is no staying put arrangement running")
    if end_date < arrangement.start_date:
        raise ValidationError(
            {
                "end_date": "The date cannot be before staying put began "
                f"({arrangement.start_date:%-d %B %Y})"
            }
        )
    arrangement.end_date = end_date
    arrangement.save(update_fields=["end_date", "updated_at"])
    _record(actor, child, events.STAYING_PUT_ENDED, "Staying put ended", arrangement, when=end_date)
    return arrangement


# --- Birthday records (903 OC3) -------------------------------------------------------------


def _birthday_age(child: Any, leaver: CareLeaver, age: Any) -> int:
    last = LAST_ON_REQUEST if leaver.support_to_25 else LAST_BIRTHDAY_RECORD
    if not isinstance(age, int) or not FIRST_BIRTHDAY_RECORD <= age <= last:
        to = "25th (the young person asked for support to 25)" if leaver.support_to_25 else "21st"
        raise ValidationError({"age": f"Choose a birthday between the 17th and the {to}"})
    if not has_birthday_record_at(_dob(child), care_history(child), age):
        raise ValidationError(
            {
                "age": f"{child.full_name} has no {ordinal(age)} birthday record to make: "
                "they were not looked after for 13 weeks after their 14th birthday, some of "
                "it after their 16th, or were still looked after on the birthday"
            }
        )
    if leaver.birthdays.filter(age=age).exists():
        raise ValidationError({"age": f"The {ordinal(age)} birthday is already recorded"})
    return age


def _in_touch_answers(
    in_touch: Any, accommodation: Any, suitable: Any, activity: Any
) -> dict[str, Any]:
    """Where the council is in touch, the accommodation, whether it suits and the activity
    are all needed; where it is not, none of them is known (903 code 0)."""
    if in_touch not in InTouch.values:
        raise ValidationError({"in_touch": "Select whether the council is in touch"})
    if in_touch != InTouch.YES:
        if accommodation or activity or suitable is not None:
            raise ValidationError(
                "Leave the accommodation and activity blank when the council is not in touch"
            )
        return {"in_touch": in_touch, "accommodation": "", "suitable": None, "activity": ""}
    errors = {}
    if accommodation not in Accommodation.values:
        errors["accommodation"] = "Select the young person's accommodation"
    if suitable not in (True, False):
        errors["suitable"] = "Select whether the accommodation is suitable"
    if activity not in Activity.values:
        errors["activity"] = "Select what the young person is doing"
    if errors:
        raise ValidationError(errors)
    return {
        "in_touch": in_touch,
        "accommodation": accommodation,
        "suitable": suitable,
        "activity": activity,
    }


@transaction.atomic
def birthday_record(
    *,
    actor: User,
    child: Any,
    age: Any,
    contact_date: Any,
    in_touch: Any,
    accommodation: Any = "",
    suitable: Any = None,
    activity: Any = "",
) -> BirthdayRecord:
    """The 903 OC3 answers for one birthday, about the young person as they were within
    the window around it (three months before to one month after)."""
    _may_record(actor, child)
    contact_date = _date(contact_date, "contact_date", "the date of contact", child=child)
    _lock_child(child)
    leaver = _leaver(child)
    age = _birthday_age(child, leaver, age)
    day = birthday(_dob(child), age)
    opens = birthday_window(day)[0]
    if contact_date < opens:
        raise ValidationError(
            {
                "contact_date": f"The date must be on or after {opens:%-d %B %Y}: the "
                f"{ordinal(age)} birthday record is about the young person from 3 months "
                f"before their birthday ({day:%-d %B %Y})"
            }
        )
    answers = _in_touch_answers(in_touch, accommodation, suitable, activity)
    record = BirthdayRecord.objects.create(
        care_leaver=leaver,
        age=age,
        birthday=day,
        contact_date=contact_date,
        recorded_by=actor,
        **answers,
    )
    _complete(leaver, birthday_due_kind(age), timezone.localdate())
    register_next_birthday(child, leaver, timezone.localdate())
    _record(
        actor, child, events.BIRTHDAY_RECORD, birthday_summary(record), record, when=contact_date
    )
    return record


def birthday_summary(record: BirthdayRecord) -> str:
    said = f"{ordinal(record.age)} birthday: {record.get_in_touch_display().lower()}"
    if record.in_touch != InTouch.YES:
        return said
    suits = "suitable" if record.suitable else "not suitable"
    return (
        f"{said}; {record.get_accommodation_display()} "
        f"({accom_code(record.accommodation, record.suitable)}, {suits}); "
        f"{record.get_activity_display()} ({record.activity})"
    )


def age_now(child: Any, today: date) -> int | None:
    return age_on(child.date_of_birth, today) if child.date_of_birth else None
