"""The performance pages: every role × every page that is not a plain GET of the role table
(a drill-down and its CSV, the commentary, a job's page and file, working the figures out);
allowed, or "not found" with nothing written. Then each child behind a figure, by relation,
as the two roles that see the figures have them listed (FIGURE_LISTING)."""

import csv
import io
from datetime import date
from typing import Any

import pytest
from conftest import TEST_TODAY
from django.urls import reverse

from safehub.insight.models import Commentary, Job, JobKind
from safehub.insight.services import figures_refresh, job_run
from safehub.insight.tests.conftest import plan
from tests.access_matrix.matrix import (
    EVERY_SIGNED_IN_ROLE,
    FIGURE_LISTING,
    PERFORMANCE_ROLES,
    RELATIONS,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(users: Any, people: Any) -> Job:
    """Every test person on a plan in October 2026, the figures worked out, a report built."""
    for person in people.values():
        plan(person, users["team_manager"], date(2026, 6, 1))
    figures_refresh(as_of=TEST_TODAY)
    job = Job.objects.create(kind=JobKind.COMMITTEE_REPORT, params={"quarter_start": "2026-07-01"})
    job_run(job_id=job.pk)
    return job


def _request(client: Any, name: str, job: Job) -> Any:
    if name in {"insight:figure", "insight:figure-csv"}:
        return client.get(reverse(name, args=["cp_plans", "2026-10"]))
    if name in {"insight:job", "insight:job-file"}:
        return client.get(reverse(name, args=[job.pk]))
    if name == "insight:commentary":
        url = reverse(name) + "?quarter=2026-07-01"
        return client.post(url, {"text": "Steady.", "version": ""})
    return client.post(reverse(name))  # insight:figures-refresh


NAMES = ["insight:figure", "insight:figure-csv", "insight:commentary", "insight:job",
         "insight:job-file", "insight:figures-refresh"]  # fmt: skip


@pytest.mark.parametrize("role", sorted(EVERY_SIGNED_IN_ROLE))
@pytest.mark.parametrize("name", NAMES)
def test_performance_pages_matrix(role, name, report, client_for):
    jobs = Job.objects.count()
    response = _request(client_for(role), name, report)
    if role in PERFORMANCE_ROLES:
        assert response.status_code in (200, 302), (role, name, response.status_code)
    else:
        assert response.status_code == 404, (role, name, response.status_code)
        assert Job.objects.count() == jobs
        assert not Commentary.objects.exists()


@pytest.mark.parametrize("role", sorted(FIGURE_LISTING))
def test_children_behind_a_figure_are_listed_as_the_policy_says(role, report, people, client_for):
    client = client_for(role)
    page = client.get(reverse("insight:figure", args=["cp_plans", "2026-10"])).content.decode()
    export = client.get(reverse("insight:figure-csv", args=["cp_plans", "2026-10"]))
    rows = list(csv.reader(io.StringIO(export.content.decode())))
    exported = {r[0]: r[1] for r in rows[1:] if r[0]}
    for relation, expected in zip(RELATIONS, FIGURE_LISTING[role].split(), strict=True):
        person = people[relation]
        named = person.full_name in page
        by_id = f"SafeHub ID {person.pk}" in page
        got = "N" if named else "I" if by_id else "C"
        assert got == expected, (role, relation, got)
        in_export = exported.get(str(person.pk))
        assert (in_export is not None) == (expected != "C"), (role, relation)
        if in_export is not None:
            assert (in_export == person.full_name) == (expected == "N"), (role, relation)
