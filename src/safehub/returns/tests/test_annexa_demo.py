"""Annex A produced from the seeded demo council (pinned as of the test day) by the returns
team, through the management command, and opened with openpyxl: every sheet is there with
Ofsted's headers, each row names a child in the council, and the lists the demo's records
put children on are not empty."""

import io
from typing import Any

import pytest
from conftest import TEST_TODAY
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from openpyxl import load_workbook

from safehub.organisations.models import User
from safehub.people.models import Person
from safehub.returns.annexa.spec import LISTS

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup: Any, django_db_blocker: Any) -> Any:
    with django_db_blocker.unblock(), transaction.atomic():
        call_command(
            "seed_demo", "--scale", "small", "--as-of", str(TEST_TODAY), stdout=io.StringIO()
        )
        yield User.objects.get(username="analyst")
        transaction.set_rollback(True)


def test_the_demo_workbook_opens_with_every_sheet(demo, django_db_blocker, tmp_path):
    path = tmp_path / "annex-a.xlsx"
    with django_db_blocker.unblock():
        out = io.StringIO()
        call_command(
            "annex_a",
            "--end",
            str(TEST_TODAY),
            "--user",
            "analyst",
            "--out",
            str(path),
            stdout=out,
        )
        ids = {str(pk) for pk in Person.objects.values_list("pk", flat=True)}
    assert "Wrote" in out.getvalue()
    book = load_workbook(path, read_only=True)
    assert book.sheetnames == [a.sheet for a in LISTS] + ["About"]
    for annex in LISTS:
        rows = list(book[annex.sheet].iter_rows(values_only=True))
        assert list(rows[0]) == annex.headers, annex.sheet
        for row in rows[1:]:
            assert len(row) <= len(annex.headers)  # blank cells at the end are left off
            if annex.number < 11:  # list 11 is of adopters, not children
                assert row[0] in ids, (annex.sheet, row[0])
        if annex.number in (1, 3, 4, 5, 6, 7, 8, 9, 10, 11):
            assert len(rows) > 1, f"{annex.sheet} is empty for the demo"


def test_the_command_refuses_someone_outside_the_returns_team(demo, django_db_blocker, tmp_path):
    with django_db_blocker.unblock(), pytest.raises(CommandError, match="returns team"):
        call_command(
            "annex_a", "--end", "2026-03-31", "--user", "dpo", "--out", str(tmp_path / "x.xlsx")
        )
    assert not (tmp_path / "x.xlsx").exists()


def test_a_bad_date_is_explained(demo, django_db_blocker, tmp_path):
    with pytest.raises(CommandError, match="like 2026-03-31"):
        call_command("annex_a", "--end", "31/03/2026", "--user", "analyst", "--out", "x")
