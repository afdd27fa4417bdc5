"""A drill-down lists what the figures job stored with its figure's month (ADR 0054): the
list behind the number on the dashboard until the job runs again, which replaces it; the
policy deciding, as ever, whom a reader sees; the same queries whatever the list's size,
none of them over the casework records; a month never worked out, worked out live. (Every
figure against its live working-out: test_drill_demo.py.)"""

import csv
import io
import re
from datetime import date, timedelta

import pytest
from conftest import TEST_TODAY, make_person
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from safehub.insight.models import FigureItem, MonthlyFigure
from safehub.insight.selectors import PAGE_SIZE, figure_drill
from safehub.insight.services import figures_refresh
from safehub.insight.tests.conftest import OCT, plan
from safehub.organisations.models import User
from safehub.people.models import Person

pytestmark = pytest.mark.django_db


@pytest.fixture
def plans(users, people, by, settings):
    """Children on a plan at the end of October 2026: one the team manager's team holds, one
    of South's, one restricted; the figures worked out."""
    settings.CHILD_POPULATION = 10_000
    for relation in ("involved", "unrelated", "restricted"):
        plan(people[relation], by, date(2026, 6, 1))
    figures_refresh(as_of=TEST_TODAY)
    return people


def _stored(code: str, month: date) -> list[int | None]:
    return list(
        FigureItem.objects.filter(figure__code=code, figure__month=month)
        .order_by("position")
        .values_list("child_id", flat=True)
    )


def test_the_list_is_the_one_behind_the_dashboard_until_the_job_replaces_it(
    plans, client_for, users, people, by
):
    late = make_person("Late", "Plan")
    plan(late, by, date(2026, 9, 1))
    plan(people["same_team"], by, date(2026, 9, 2))
    manager = client_for("team_manager")
    url = reverse("insight:figure", args=["cp_plans", "2026-10"])
    csv_url = reverse("insight:figure-csv", args=["cp_plans", "2026-10"])

    # The dashboard still says 3, and so do the page and the export: not the 5 on record.
    page = manager.get(url).content.decode()
    assert "<strong>3</strong>" in page
    assert "all 3" in page
    assert people["same_team"].full_name not in page
    assert "worked out on 23 November 2026" in page
    exported = list(csv.reader(io.StringIO(manager.get(csv_url).content.decode())))
    assert [r[1] for r in exported[1:]] == [
        people["involved"].full_name,
        "2 more not listed: not on a record you may see",
    ]

    figures_refresh(as_of=TEST_TODAY)
    page = manager.get(url).content.decode()
    assert "<strong>5</strong>" in page
    assert "all 5" in page
    assert people["same_team"].full_name in page  # a North colleague's: the manager's team
    assert "3 more on this page not listed" in page  # South's, the restricted, and Late's
    # Replaced, not added to: each child once, in the listing order, for every month.
    assert _stored("cp_plans", OCT) == [
        plans["involved"].pk,
        plans["unrelated"].pk,
        plans["restricted"].pk,
        late.pk,
        people["same_team"].pk,
    ]
    counts = MonthlyFigure.objects.values_list("item_count", flat=True)
    assert FigureItem.objects.count() == sum(c or 0 for c in counts)
    assert _stored("cp_plans", date(2026, 8, 1)) == [
        plans["involved"].pk,
        plans["unrelated"].pk,
        plans["restricted"].pk,
    ]


def test_the_stored_list_keeps_every_child_and_the_policy_hides_them_on_reading(plans, client_for):
    assert set(_stored("cp_plans", OCT)) == {
        plans["involved"].pk,
        plans["unrelated"].pk,
        plans["restricted"].pk,
    }
    url = reverse("insight:figure", args=["cp_plans", "2026-10"])
    # Someone who may not see the figures at all is refused, stored or not.
    assert client_for("social_worker").get(url).status_code == 404
    manager = client_for("team_manager").get(url + "?met=yes").content.decode()
    assert plans["involved"].full_name in manager
    assert plans["restricted"].full_name not in manager
    assert f"SafeHub ID {plans['restricted'].pk}" not in manager
    # The list was stored with the child on it; restricting the record afterwards hides
    # them at once from the page and the export: the policy decides on every reading.
    Person.objects.filter(pk=plans["involved"].pk).update(
        is_restricted=True, restriction_reason="Adoption"
    )
    for role in ("team_manager", "performance_analyst"):
        client = client_for(role)
        page = client.get(url).content.decode()
        assert plans["involved"].full_name not in page
        assert f"SafeHub ID {plans['involved'].pk}" not in page
        exported = client.get(reverse("insight:figure-csv", args=["cp_plans", "2026-10"]))
        assert str(plans["involved"].pk) not in {
            r[0] for r in csv.reader(io.StringIO(exported.content.decode()))
        }
    assert "3 more on this page not listed" in client_for("team_manager").get(url).content.decode()


def test_a_month_never_worked_out_is_worked_out_live_and_says_so(plans, client_for):
    # November 2026 has not ended on the suite's day, so the job has not stored it.
    assert not MonthlyFigure.objects.filter(month=date(2026, 11, 1)).exists()
    url = reverse("insight:figure", args=["cp_plans", "2026-11"])
    page = client_for("team_manager").get(url).content.decode()
    assert "worked out from the records just now" in page
    assert plans["involved"].full_name in page
    assert plans["unrelated"].full_name not in page
    assert "2 more on this page not listed" in page
    # Figures stored before items were kept are not trusted to have a list either.
    MonthlyFigure.objects.update(item_count=None)
    FigureItem.objects.all().delete()
    page = client_for("team_manager").get(reverse("insight:figure", args=["cp_plans", "2026-10"]))
    assert "worked out from the records just now" in page.content.decode()
    assert plans["involved"].full_name in page.content.decode()


def _queries(actor: User, code: str, month: date, page: int, met: bool | None = None) -> list:
    with CaptureQueriesContext(connection) as captured:
        drill = figure_drill(actor=actor, code=code, month=month, page=page, met=met)
    assert drill.rows or drill.counted_only
    return [q["sql"] for q in captured.captured_queries]


def test_a_page_of_a_stored_list_costs_the_same_queries_however_long_the_list(
    users, people, by, settings
):
    settings.CHILD_POPULATION = 10_000
    analyst = users["performance_analyst"]
    for relation in ("involved", "unrelated"):
        plan(people[relation], by, date(2026, 6, 1))
    figures_refresh(as_of=TEST_TODAY)
    short = _queries(analyst, "cp_plans", OCT, 1)

    start = date(2026, 1, 5)
    for n in range(2 * PAGE_SIZE + 10):
        plan(make_person("Child", f"Number{n}"), by, start + timedelta(days=n))
    figures_refresh(as_of=TEST_TODAY)
    long_first = _queries(analyst, "cp_plans", OCT, 1)
    long_last = _queries(analyst, "cp_plans", OCT, 3)
    long_filtered = _queries(analyst, "cp_plans", OCT, 2, met=True)
    assert len(short) == len(long_first) == len(long_last) == len(long_filtered)
    # Read from the stored items: nothing is worked out from the casework records.
    for sql in long_first + long_last + long_filtered:
        assert not re.search(r'"casework_', sql), sql


def test_the_pages_of_a_long_list_link_each_other(users, by, settings, client_for):
    settings.CHILD_POPULATION = 10_000
    start = date(2026, 1, 5)
    for n in range(2 * PAGE_SIZE + 10):
        plan(make_person("Child", f"Number{n}"), by, start + timedelta(days=n))
    figures_refresh(as_of=TEST_TODAY)
    url = reverse("insight:figure", args=["cp_plans", "2026-10"])
    page = client_for("performance_analyst").get(url + "?page=2").content.decode()
    assert 'aria-label="Pages of this list"' in page
    for number in (1, 3):
        assert f'href="{url}?page={number}"' in page
    assert 'aria-current="page"' in page
