"""Rows for the returns, read from the records as they stand: the 903 OC3 (care leavers at
their 17th to 21st birthdays in the collection year), the Ofsted Annex A list 9 (everyone
entitled to leaving-care services on a day) and the 903 social worker episodes. Each runs a
fixed number of queries whatever the size of the council. These feed an export for the
returns team; nothing here is shown on a page."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db.models import Exists, OuterRef

from safehub.casework.models import Allocation, CareEpisode, PeriodOfCare
from safehub.leaving_care.codes import NOT_KNOWN, Category, InTouch, accom_code
from safehub.leaving_care.eligibility import (
    FIRST_BIRTHDAY_RECORD,
    LAST_BIRTHDAY_RECORD,
    LAST_ON_REQUEST,
    Spell,
    birthday,
    category_on,
    has_birthday_record_at,
    spells,
)
from safehub.leaving_care.models import BirthdayRecord, CareLeaver
from safehub.people.models import Person


def collection_year(year: int) -> tuple[date, date]:
    """The 903 year named by its first year: 1 April `year` to 31 March `year + 1`."""
    return date(year, 4, 1), date(year + 1, 3, 31)


def _histories(people: list[Person]) -> dict[int, list[Spell]]:
    rows: dict[int, list[tuple[date, date | None, str]]] = defaultdict(list)
    for child_id, start, end, period_end, status in CareEpisode.objects.filter(
        period__child__in=[p.pk for p in people]
    ).values_list("period__child_id", "start_date", "end_date", "period__end_date", "legal_status"):
        rows[child_id].append((start, end or period_end, status))
    return {pk: spells(r) for pk, r in rows.items()}


def _ever_in_care(born_from: date, born_to: date) -> list[Person]:
    return list(
        Person.objects.filter(date_of_birth__gte=born_from, date_of_birth__lte=born_to)
        .filter(Exists(PeriodOfCare.objects.filter(child=OuterRef("pk"))))
        .order_by("pk")
    )


@dataclass(frozen=True)
class OC3Row:
    child: int  # CHILD: SafeHub's ID for the child
    dob: date
    age: int  # which birthday the row is about
    in_touch: str  # IN_TOUCH; "" where nobody has recorded the birthday yet
    activ: str
    accom: str


def oc3_rows(year: int) -> list[OC3Row]:
    """One row for each young person whose 17th to 21st birthday fell in the collection
    year and who the OC3 asks about (`has_birthday_record_at`), with what the birthday
    record says (blank where it is missing, which the returns team chases). Four queries."""
    start, end = collection_year(year)
    people = _ever_in_care(
        birthday_bound(start, LAST_BIRTHDAY_RECORD), birthday_bound(end, FIRST_BIRTHDAY_RECORD)
    )
    histories = _histories(people)
    records = {
        (r.care_leaver.child_id, r.age): r
        for r in BirthdayRecord.objects.filter(care_leaver__child__in=people).select_related(
            "care_leaver"
        )
    }
    rows = []
    for person in people:
        dob, history = person.date_of_birth, histories.get(person.pk, [])
        assert dob is not None  # filtered on it
        for age in range(FIRST_BIRTHDAY_RECORD, LAST_BIRTHDAY_RECORD + 1):
            if start <= birthday(dob, age) <= end and has_birthday_record_at(dob, history, age):
                record = records.get((person.pk, age))
                rows.append(_oc3(person.pk, dob, age, record))
    return rows


def _oc3(child: int, dob: date, age: int, record: BirthdayRecord | None) -> OC3Row:
    if record is None:
        return OC3Row(child, dob, age, "", "", "")
    in_touch = record.in_touch == InTouch.YES
    return OC3Row(
        child,
        dob,
        age,
        record.in_touch,
        record.activity if in_touch else NOT_KNOWN,
        accom_code(record.accommodation, record.suitable) if in_touch else NOT_KNOWN,
    )


def birthday_bound(day: date, age: int) -> date:
    """The same day `age` years before (28 February for a 29 February): who is born on it
    turns `age` on `day`. The rows are then chosen exactly, birthday by birthday."""
    try:
        return day.replace(year=day.year - age)
    except ValueError:
        return date(day.year - age, 2, 28)


@dataclass(frozen=True)
class AnnexARow:
    child: int
    category: Category
    in_touch: str  # the latest birthday record's, "" if none
    accommodation: str  # ACCOM code (type and suitability)
    activity: str
    personal_adviser: str  # their name, "" if none allocated


def annex_a_list9(as_of: date) -> list[AnnexARow]:
    """Ofsted Annex A list 9: every young person entitled to leaving-care services on
    `as_of` (eligible, relevant, former relevant, qualifying), with the latest birthday
    record and the personal adviser. Four queries."""
    people = _ever_in_care(birthday_bound(as_of, LAST_ON_REQUEST), birthday_bound(as_of, 16))
    histories = _histories(people)
    leavers = {
        c.child_id: c
        for c in CareLeaver.objects.filter(child__in=people).select_related("personal_adviser")
    }
    latest: dict[int, BirthdayRecord] = {}
    for made in (
        BirthdayRecord.objects.filter(care_leaver__child__in=people)
        .select_related("care_leaver")
        .order_by("age")
    ):
        latest[made.care_leaver.child_id] = made
    rows = []
    for person in people:
        leaver = leavers.get(person.pk)
        assert person.date_of_birth is not None
        category = category_on(
            person.date_of_birth,
            histories.get(person.pk, []),
            as_of,
            support_to_25=bool(leaver and leaver.support_to_25),
        )
        if category is None:
            continue
        record = latest.get(person.pk)
        oc3 = _oc3(person.pk, person.date_of_birth, 0, record)
        adviser = leaver.personal_adviser if leaver else None
        rows.append(
            AnnexARow(
                child=person.pk,
                category=category,
                in_touch=oc3.in_touch,
                accommodation=oc3.accom,
                activity=oc3.activ,
                personal_adviser=(adviser.get_full_name() or adviser.username) if adviser else "",
            )
        )
    return rows


@dataclass(frozen=True)
class SWEpisodeRow:
    child: int
    dob: date | None
    sw_id: str  # the worker's Social Work England registration number
    sw_decom: date
    sw_dec: date | None
    sw_reason: str  # why the episode ended: the next allocation's reason; "" while it runs


def sw_episodes(year: int) -> list[SWEpisodeRow]:
    """The 903 social worker episodes: for every child looked after at some time in the
    collection year, each allocation that overlapped the year. One query."""
    start, end = collection_year(year)
    in_care = PeriodOfCare.objects.filter(start_date__lte=end).exclude(end_date__lt=start)
    allocations = list(
        Allocation.objects.filter(child__in=in_care.values("child"))
        .select_related("worker", "child")
        .order_by("child_id", "start_date", "pk")
    )
    rows = []
    for i, allocation in enumerate(allocations):
        following = allocations[i + 1] if i + 1 < len(allocations) else None
        if following is not None and following.child_id != allocation.child_id:
            following = None
        if allocation.start_date > end or (allocation.end_date and allocation.end_date < start):
            continue
        rows.append(
            SWEpisodeRow(
                child=allocation.child_id,
                dob=allocation.child.date_of_birth,
                sw_id=allocation.worker.swe_registration,
                sw_decom=allocation.start_date,
                sw_dec=allocation.end_date,
                sw_reason=following.reason if following and allocation.end_date else "",
            )
        )
    return rows
