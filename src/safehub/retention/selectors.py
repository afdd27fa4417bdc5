"""What the retention schedule says about children's records: which class governs each
child and the day it may be disposed of; the reviews due and the holds in place."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from safehub.audit.services import audit_list
from safehub.casework.codes import ReasonCeased
from safehub.casework.models import CPPlan, PeriodOfCare, Section47
from safehub.casework.timescales import add_months
from safehub.people.codes import PersonKind
from safehub.people.models import Person
from safehub.retention.models import LegalHold, RetentionReview, ReviewState
from safehub.retention.schedule import RecordClass, Schedule, current_schedule

ADOPTED = (ReasonCeased.E11, ReasonCeased.E12)


@dataclass(frozen=True)
class Due:
    person_id: int
    record_class: RecordClass
    keep_until: date


def _facts(ids: list[int]) -> dict[str, dict[int, date | None]]:
    """Which children had each kind of record (and, if adopted, the adoption order date)."""
    facts: dict[str, dict[int, date | None]] = defaultdict(dict)
    for child_id, reason, ended in PeriodOfCare.objects.filter(child_id__in=ids).values_list(
        "child_id", "reason_ceased", "end_date"
    ):
        facts["looked_after"][child_id] = None
        if reason in ADOPTED:
            facts["adopted"][child_id] = ended
    for child_id in CPPlan.objects.filter(child_id__in=ids).values_list("child_id", flat=True):
        facts["child_protection"][child_id] = None
    enquiries = Section47.objects.filter(episode__child_id__in=ids)
    for child_id in enquiries.values_list("episode__child_id", flat=True):
        facts["child_protection"][child_id] = None
    return facts


def governing(persons: list[Any], schedule: Schedule | None = None) -> dict[int, Due | None]:
    """For each child, the class whose period ends last and that day; None where no class's
    day can be worked out (no date of birth). Three queries, whatever the number."""
    schedule = schedule or current_schedule()
    facts = _facts([p.pk for p in persons])
    out: dict[int, Due | None] = {}
    for person in persons:
        best: Due | None = None
        for rc in schedule.classes:
            if rc.applies_when != "any_record" and person.pk not in facts[rc.applies_when]:
                continue
            anchor = facts["adopted"].get(person.pk) if rc.anchor == "adoption_order" else None
            until = rc.keep_until(
                born=person.date_of_birth, died=person.date_of_death, anchor_day=anchor
            )
            if until is not None and (best is None or until > best.keep_until):
                best = Due(person.pk, rc, until)
        out[person.pk] = best
    return out


def due_for_review(*, as_of: date, schedule: Schedule | None = None) -> list[Due]:
    """Children whose record the schedule lets go by `as_of`, not under a legal hold, not
    disposed and not already waiting for review."""
    schedule = schedule or current_schedule()
    earliest_birth = add_months(as_of, -12 * schedule.shortest_birth_years)
    candidates = (
        Person.objects.filter(kind=PersonKind.CHILD, date_of_birth__lte=earliest_birth)
        .exclude(pk__in=LegalHold.objects.filter(lifted_at__isnull=True).values("person_id"))
        .exclude(
            pk__in=RetentionReview.objects.filter(
                state__in=[ReviewState.DUE, ReviewState.DISPOSED]
            ).values("person_id")
        )
        .only("pk", "date_of_birth", "date_of_death")
        .order_by("pk")
    )
    found = []
    for chunk in _chunks(list(candidates), 2000):
        for due in governing(chunk, schedule).values():
            if due is not None and due.keep_until <= as_of:
                found.append(due)
    return found


def _chunks(rows: list[Any], size: int) -> list[list[Any]]:
    return [rows[i : i + size] for i in range(0, len(rows), size)]


def reviews_due() -> list[RetentionReview]:
    return list(RetentionReview.objects.filter(state=ReviewState.DUE).order_by("due_on", "pk"))


def reviews_decided(limit: int = 50) -> list[RetentionReview]:
    return list(
        RetentionReview.objects.exclude(state=ReviewState.DUE)
        .select_related("decided_by")
        .order_by("-decided_at", "-pk")[:limit]
    )


def holds_in_place() -> list[LegalHold]:
    return list(
        LegalHold.objects.filter(lifted_at__isnull=True)
        .select_related("placed_by")
        .order_by("placed_at", "pk")
    )


def active_hold(person_id: int) -> LegalHold | None:
    return LegalHold.objects.filter(person_id=person_id, lifted_at__isnull=True).first()


def reviews_page(*, actor: Any) -> list[RetentionReview]:
    """The reviews due, for the review page: one audit row naming every record listed."""
    due = reviews_due()
    audit_list(actor=actor, listed="retention.review", person_ids=[r.person_id for r in due])
    return due
