"""The demo council's SSDA903, produced from its live records and validated: every file is
recognised and passes every rule SafeHub checks (the demo plants no 903 mistakes) but for
two things in the records that the rules rightly find, every one of them: care leavers
whose birthday contact nobody has recorded (their OC3 row is blank for the returns team to
chase: rules 131 to 133), and any activity still held in a retired code (rule 132; the
demo records none since `leaving_care` stopped offering F3/P3). Also a
period as it stood on its last day, the fixed number of queries, who may produce it, and
its audit row naming every child, restricted records too."""

import io
import zipfile
from collections import Counter
from datetime import date
from typing import Any

import pytest
from conftest import TEST_TODAY
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from safehub.audit.models import AuditAction, AuditEvent
from safehub.casework.models import CareEpisode
from safehub.core.exceptions import PermissionDeniedError
from safehub.leaving_care.eligibility import birthday
from safehub.leaving_care.models import BirthdayRecord
from safehub.leaving_care.returns import oc3_rows
from safehub.organisations.models import User
from safehub.people.models import Person
from safehub.returns.selectors import s903_write
from safehub.returns.ssda903.spec import FILES, YEARS, CollectionYear
from safehub.returns.ssda903.tables import files_in_zip
from safehub.returns.ssda903.validate import validate_903, validate_903_zip

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup: Any, django_db_blocker: Any) -> Any:
    with django_db_blocker.unblock(), transaction.atomic():
        call_command(
            "seed_demo", "--scale", "small", "--as-of", str(TEST_TODAY), stdout=io.StringIO()
        )
        yield User.objects.get(username="analyst")
        transaction.set_rollback(True)


def _made(actor: User, year: str, **period: date) -> tuple[bytes, Any]:
    out = io.BytesIO()
    made = s903_write(actor=actor, out=out, year=year, **period)
    return out.getvalue(), made


@pytest.mark.parametrize("year", ["2024-25", "2025-26"])
def test_the_demo_903_passes_every_rule(demo, django_db_blocker, year):
    with django_db_blocker.unblock():
        content, made = _made(demo, year)
        unrecorded = _birthdays_unrecorded(YEARS[year])
        retired = _retired_activities(YEARS[year])
    report = validate_903_zip(content, filename="demo.zip", year=year)
    assert not report.unreadable
    assert made.children == report.children > 10
    assert sorted(zipfile.ZipFile(io.BytesIO(content)).namelist()) == sorted(
        f.filename for f in FILES
    )
    found = Counter(f.code for f in report.findings)
    assert set(found) <= {"131", "132", "133"}, report.findings[:5]
    expected = {"131": unrecorded, "132": unrecorded | retired, "133": unrecorded}
    for code, children in expected.items():
        assert {f.child for f in report.findings if f.code == code} == children, code


def _retired_activities(year: CollectionYear) -> set[str]:
    asked = {str(r.child) for r in oc3_rows(year.start.year)}
    return {
        str(child)
        for child in BirthdayRecord.objects.filter(
            birthday__gte=year.start, birthday__lte=year.end, activity__in=("F3", "P3")
        ).values_list("care_leaver__child_id", flat=True)
    } & asked


def _birthdays_unrecorded(year: CollectionYear) -> set[str]:
    """Care leavers whose 17th to 21st birthday in the year the OC3 asks about but who have
    no birthday record for it (read from the records, not from the export)."""
    recorded = set(BirthdayRecord.objects.values_list("care_leaver__child_id", "age"))
    missing = set()
    for person in Person.objects.filter(date_of_birth__isnull=False).exclude(
        date_of_birth__gt=date(year.end.year - 17, 3, 31)
    ):
        for age in range(17, 22):
            day = birthday(person.date_of_birth, age)  # type: ignore[arg-type]
            if year.start <= day <= year.end and (person.pk, age) not in recorded:
                missing.add(person.pk)
    asked = {str(r.child) for r in oc3_rows(year.start.year)}
    return {str(pk) for pk in missing} & asked


def test_the_demo_903_has_rows_in_the_files_that_matter(demo, django_db_blocker):
    with django_db_blocker.unblock():
        content, _ = _made(demo, "2025-26")
    files = files_in_zip(content)
    lines = {name: len(body.splitlines()) - 1 for name, body in files.items()}
    for name in ("header.csv", "episodes.csv", "reviews.csv", "oc2.csv", "oc3.csv"):
        assert lines[name] > 0, name
    first = files["episodes.csv"].decode().splitlines()[1].split(",")
    day, month, year = first[1].split("/")  # DECOM as dd/mm/yyyy
    assert date(int(year), int(month), int(day)) >= date(1991, 10, 14)


def test_a_period_is_as_it_stood_on_its_last_day(demo, django_db_blocker):
    """An episode that ended after the period ends is open in the file, with no reason."""
    with django_db_blocker.unblock():
        episode = (
            CareEpisode.objects.filter(
                start_date__lt=date(2025, 9, 1), end_date__gt=date(2025, 10, 1)
            )
            .select_related("period")
            .order_by("pk")
            .first()
        )
        assert episode is not None
        content, made = _made(demo, "2025-26", start=date(2025, 4, 1), end=date(2025, 9, 30))
    rows = files_in_zip(content)["episodes.csv"].decode().splitlines()
    mine = [r.split(",") for r in rows if r.startswith(f"{episode.period.child_id},")]
    started = f"{episode.start_date:%d/%m/%Y}"
    (row,) = [r for r in mine if r[1] == started]
    assert (row[7], row[8]) == ("", "")  # DEC, REC
    assert made.filename == "ssda903-2025-26-20250401-20250930.zip"
    report = validate_903(files_in_zip(content), filename="p.zip", year="2025-26")
    assert not [f for f in report.findings if f.code in ("142", "148", "385")]


def test_a_fixed_number_of_queries(demo, django_db_blocker):
    with django_db_blocker.unblock(), CaptureQueriesContext(connection) as queries:
        _, made = _made(demo, "2025-26")
    assert made.children > 10
    assert len(queries) <= 30, len(queries)  # not one per child


def test_the_903_is_audited_naming_every_child_restricted_too(demo, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        content, made = _made(demo, "2025-26")
        row = AuditEvent.objects.filter(actor=demo, action=AuditAction.EXPORT).latest("pk")
        restricted = set(Person.objects.filter(is_restricted=True).values_list("pk", flat=True))
        transaction.set_rollback(True)
    named = [int(i) for i in row.subject_ids.strip(",").split(",")]
    header = files_in_zip(content)["header.csv"].decode().splitlines()[1:]
    assert sorted(named) == sorted(int(r.split(",")[0]) for r in header)
    assert row.object_type == "returns.ssda903"
    assert row.detail["children"] == made.children == len(named)
    assert set(named) & restricted or not restricted & {int(r.split(",")[0]) for r in header}


@pytest.mark.parametrize("role", ["social_worker", "team_manager", "data_protection_officer"])
def test_only_the_returns_team_produces_the_903(demo, django_db_blocker, role):
    with django_db_blocker.unblock():
        actor = User.objects.filter(role=role, is_active=True).order_by("pk").first()
        assert actor is not None
        with pytest.raises(PermissionDeniedError):
            _made(actor, "2025-26")


def test_a_period_outside_its_year_is_refused(demo, django_db_blocker):
    with django_db_blocker.unblock(), pytest.raises(ValueError, match="within the 2025-26"):
        _made(demo, "2025-26", start=date(2025, 4, 1), end=date(2026, 4, 30))
