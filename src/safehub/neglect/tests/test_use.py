"""The use-and-effect figures: trained practitioners and those who profile, profiles per 100
children on a neglect plan, the median time to a repeat, movement between the first and
latest profile, and improved children whose plan then ended; worked out in a fixed number of
queries; the page's charts with their tables; the CSV safe from formulas; the children behind
a figure named only where the policy allows."""

import csv
import io
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from conftest import shows
from django.urls import reverse

from safehub.access.models import Involvement
from safehub.audit.models import AuditEvent
from safehub.casework.models import Allocation, CPPlan, Episode
from safehub.neglect.services import profile_complete, profile_start
from safehub.neglect.tests.test_profiles import fill
from safehub.neglect.use import csv_cell, use_and_effect

pytestmark = pytest.mark.django_db

START, END = date(2025, 11, 23), date(2026, 11, 23)
LONDON = ZoneInfo("Europe/London")


def _complete_on(day: date, actor: Any, child: Any, template: Any, grades: list[int]) -> Any:
    with time_machine.travel(datetime(day.year, day.month, day.day, 10, tzinfo=LONDON)):
        profile = profile_start(actor=actor, child=child, template=template)
        fill(actor, profile, grades)
        return profile_complete(actor=actor, profile=profile, expected_version=profile.version)


def _neglect_plan(child: Any, worker: Any, *, ends: date | None) -> None:
    episode = Episode.objects.create(
        kind="cin", child=child, referral_date=date(2025, 12, 1), opened_by=worker
    )
    CPPlan.objects.create(
        episode=episode,
        child=child,
        start_date=date(2026, 1, 5),
        initial_category="NEG",
        latest_category="NEG",
        end_date=ends,
    )
    involvement = Involvement.objects.filter(person=child).first()
    assert involvement is not None
    Allocation.objects.create(
        child=child,
        worker=worker,
        team=worker.team,
        start_date=date(2025, 12, 1),
        reason="NEW",
        involvement=involvement,
        allocated_by=worker,
    )


@pytest.fixture
def history(trained: Any, people: Any, template: Any, users: Any) -> dict[str, Any]:
    """Amelia (North): first profile in March graded 5 overall, repeat in September graded
    4, her neglect plan ended in October. A South child on a neglect plan, no profile."""
    sw, child = trained["social_worker"], people["involved"]
    _complete_on(date(2026, 3, 2), sw, child, template, [4, 4, 5])
    _complete_on(date(2026, 9, 1), sw, child, template, [2, 2, 5])
    _neglect_plan(child, sw, ends=date(2026, 10, 1))
    _neglect_plan(people["unrelated"], users["south_worker"], ends=None)
    return {"child": child, "south_child": people["unrelated"]}


def test_the_figures_for_the_period(history, trained, django_assert_max_num_queries) -> None:
    with django_assert_max_num_queries(7):
        report = use_and_effect(start=START, end=END)
    total = report.total
    assert len(total.trained) == 4
    assert total.profiling == {trained["social_worker"].pk}
    assert total.profiles == 2
    assert total.children["neglect_plans"] == {history["child"].pk, history["south_child"].pk}
    assert total.per_100 == 100.0
    assert total.median_repeat_days == (date(2026, 9, 1) - date(2026, 3, 2)).days
    assert total.movements == [-1]
    assert total.children["improved"] == {history["child"].pk}
    assert total.share_stepped_down == 100
    north = next(r for _, teams in report.agencies for r in teams if r.label == "North")
    assert (north.profiles, len(north.children["neglect_plans"]), north.per_100) == (2, 1, 200.0)


def test_a_period_before_the_repeat_counts_only_the_first_profile(history) -> None:
    report = use_and_effect(start=date(2026, 1, 1), end=date(2026, 6, 30))
    assert report.total.profiles == 1
    assert report.total.movements == []
    assert report.total.median_repeat_days is None


def test_the_page_shows_charts_with_their_tables(history, client_for) -> None:
    response = client_for("performance_analyst").get(reverse("neglect:use"))
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count('role="img"') == 2
    assert 'id="chart-share-table"' in page
    assert 'id="chart-per-100-table"' in page
    assert "183 days" in page
    # Amelia's overall grade went from 5 to 4: said as better, not as "-1".
    assert "1 grade better on average, over 1 child with a later profile" in page
    # The tables say what the bars are: kinds of agency here, teams on an agency's page.
    assert page.count('<th scope="col" class="govuk-table__header">Kind of agency</th>') == 2
    assert page.count('class="sh-chart ') == 2  # drawn in the service's font


def test_the_csv_has_every_row_and_no_formula(history, council, client_for) -> None:
    north = council["teams"]["North"]
    north.name = "=HYPERLINK(1)"
    north.save()
    response = client_for("team_manager").get(reverse("neglect:use-csv"))
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][0] == "Agency"
    assert [r[1] for r in rows if "HYPERLINK" in r[1]] == ["'=HYPERLINK(1)"]
    assert rows[-1][0] == "All agencies"
    assert csv_cell("+1") == "'+1"
    assert csv_cell(-1) == "-1"


def test_the_children_behind_a_figure_are_named_only_where_the_policy_allows(
    history, client_for
) -> None:
    url = reverse("neglect:use-children", args=["neglect_plans"])
    manager = client_for("team_manager").get(url).content.decode()
    assert "Amelia Hart" in manager
    assert "And 1 more child you do not have access to" in manager
    assert not shows(history["south_child"].family_name, manager)
    analyst = client_for("performance_analyst").get(url).content.decode()
    assert "Amelia" not in analyst
    assert "2 children, not named" in analyst
    listed = AuditEvent.objects.filter(action="list", object_type="neglect.use.neglect_plans")
    assert [e.subject_ids for e in listed.order_by("pk")] == [f",{history['child'].pk},", ""]


def test_only_managers_and_analysts_see_the_figures(users, client_for) -> None:
    for role in ("social_worker", "partner_practitioner", "system_administrator"):
        assert client_for(role).get(reverse("neglect:use")).status_code == 404


def test_the_page_lists_agencies_and_an_agency_its_teams(history, council, client_for) -> None:
    """A county has hundreds of teams: the page shows each agency (charts by kind of
    agency), and an agency's own page its teams; the children behind an agency's figure
    are a drill-down like a team's."""
    agency = council["teams"]["North"].agency
    client = client_for("performance_analyst")
    page = client.get(reverse("neglect:use")).content.decode()
    assert f"agency={agency.pk}" in page
    assert "by kind of agency" in page
    assert ">North</th>" not in page
    teams = client.get(reverse("neglect:use") + f"?agency={agency.pk}").content.decode()
    assert ">North</th>" in teams
    assert ">South</th>" in teams
    assert "by team" in teams
    for chart in ("chart-share", "chart-per-100"):
        table = teams.split(f'id="{chart}-table"')[1].split("</thead>")[0]
        assert '<th scope="col" class="govuk-table__header">Team</th>' in table
    figure = reverse("neglect:use-children", args=["neglect_plans"]) + f"?agency={agency.pk}"
    named = client_for("team_manager").get(figure).content.decode()
    assert "Amelia Hart" in named
    assert client.get(reverse("neglect:use") + "?agency=999999").status_code == 200
    assert client.get(reverse("neglect:use") + "?agency=%C2%B2").status_code == 200
    assert client.get(figure.replace(f"agency={agency.pk}", "team=%C2%B2")).status_code == 200
    too_long = "9" * 5000  # no id; more digits than Python reads as a number
    assert client.get(reverse("neglect:use") + f"?agency={too_long}").status_code == 200
    assert client.get(figure.replace(f"agency={agency.pk}", f"team={too_long}")).status_code == 200
