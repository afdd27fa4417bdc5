"""The dashboard, a drill-down as each kind of reader sees it (and its audit row), the CSV
exports, and the committee report: commentary saved, the PDF built by the job and read back
with pypdf."""

import csv
import io
import re
from datetime import date

import pytest
from conftest import TEST_TODAY
from django.template import engines
from django.urls import reverse
from pypdf import PdfReader

from safehub.audit.models import AuditEvent
from safehub.insight.figures import FIGURES
from safehub.insight.models import Commentary, Job, JobKind, JobStatus
from safehub.insight.selectors import Point, Series
from safehub.insight.services import figures_refresh, job_run
from safehub.insight.tests.conftest import plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def plans(users, people, by, settings):
    """Children on a plan at the end of October 2026: one the social worker holds (in the
    manager's team), one of South's, one restricted; the figures worked out."""
    settings.CHILD_POPULATION = 10_000
    for relation in ("involved", "unrelated", "restricted"):
        plan(people[relation], by, date(2026, 6, 1))
    figures_refresh(as_of=TEST_TODAY)
    return people


def test_dashboard_shows_each_figure_its_chart_table_and_england(plans, client_for):
    page = client_for("performance_analyst").get(reverse("insight:dashboard"))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="figure-cp_plans"' in html
    assert 'id="table-cp_plans"' in html
    assert 'id="chart-cp_plans-title"' in html
    assert "October 2026: <a" in html
    assert "England 70.0 (31 March 2024)" in html  # looked-after rate beside England's
    # A count is charted alone: England's total would flatten the council's line.
    chart = html[html.index('id="chart-looked_after-title"') :]
    chart = chart[: chart.index("</svg>")]
    assert "England" not in chart
    assert "83,630" in html  # the table still gives it
    assert "Regional figures are not shown" in html


def test_drill_down_names_only_whom_the_reader_may_see(plans, client_for, users):
    url = reverse("insight:figure", args=["cp_plans", "2026-10"])
    manager = client_for("team_manager").get(url).content.decode()
    # The manager's team holds the involved child: named, with a link; South's and the
    # restricted child are counted only.
    assert plans["involved"].full_name in manager
    assert plans["unrelated"].full_name not in manager
    assert f"SafeHub ID {plans['unrelated'].pk}" not in manager
    assert "2 more on this page not listed" in manager
    analyst = client_for("performance_analyst").get(url).content.decode()
    # The analyst sees every unrestricted child by SafeHub ID, never a name; the restricted
    # child is counted only.
    assert f"SafeHub ID {plans['involved'].pk}" in analyst
    assert f"SafeHub ID {plans['unrelated'].pk}" in analyst
    assert f"SafeHub ID {plans['restricted'].pk}" not in analyst
    assert plans["involved"].full_name not in analyst
    assert "1 more on this page not listed" in analyst
    row = AuditEvent.objects.filter(actor=users["performance_analyst"], action="list").latest("pk")
    assert row.object_type == "insight.figure.cp_plans"
    shown = {int(pk) for pk in row.subject_ids.strip(",").split(",")}
    assert shown == {plans["involved"].pk, plans["unrelated"].pk}


def test_figure_export_writes_what_the_page_lists(plans, client_for):
    response = client_for("performance_analyst").get(
        reverse("insight:figure-csv", args=["cp_plans", "2026-10"])
    )
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][0] == "SafeHub ID"
    ids = {r[0] for r in rows[1:] if r[0]}
    assert ids == {str(plans["involved"].pk), str(plans["unrelated"].pk)}
    assert all(r[1] == "" for r in rows[1:] if r[0])  # no names for an analyst
    assert "1 more not listed" in rows[-1][1]


def test_dashboard_csv_has_every_month(plans, client_for):
    response = client_for("team_manager").get(reverse("insight:dashboard-csv"))
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    plans_rows = [r for r in rows if r[1] == "Children on a child protection plan"]
    assert len(plans_rows) == 24
    assert plans_rows[-1][2:4] == ["2026-10", "3"]


def test_bad_figure_or_month_is_not_found(plans, client_for):
    client = client_for("performance_analyst")
    assert client.get(reverse("insight:figure", args=["nonsense", "2026-10"])).status_code == 404
    assert client.get(reverse("insight:figure", args=["cp_plans", "2026-13"])).status_code == 404


def test_committee_report_pdf_has_the_figures_and_the_commentary(plans, client_for, users):
    client = client_for("performance_analyst")
    quarter = "2026-07-01"
    url = reverse("insight:commentary") + f"?quarter={quarter}"
    words = "Child protection plans held steady; visits were on time."
    assert client.post(url, {"text": words, "version": ""}).status_code == 302
    assert Commentary.objects.get(quarter_start=date(2026, 7, 1)).text == words
    response = client.post(reverse("insight:report"), {"quarter": quarter})
    job = Job.objects.get(kind=JobKind.COMMITTEE_REPORT)
    assert response.url == reverse("insight:job", args=[job.pk])
    assert job.status == JobStatus.QUEUED
    assert job_run(job_id=job.pk) == "done"
    page = client.get(reverse("insight:job", args=[job.pk])).content.decode()
    assert "100% done" in page
    assert "committee-report-2026-07.pdf" in page
    pdf = client.get(reverse("insight:job-file", args=[job.pk]))
    assert pdf["Content-Type"] == "application/pdf"
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Quarter: July to September 2026" in text
    assert words in text
    assert "Children on a child protection plan" in text
    assert "England" in text
    # The chart's England line names its period (the one held may be years old).
    assert "England 70.0 (31 March 2024)" in text
    assert "Director's commentary" in text
    assert AuditEvent.objects.filter(
        actor=users["performance_analyst"], action="export", object_type="insight.job"
    ).exists()


def test_commentary_edited_by_two_at_once_keeps_the_first(plans, client_for):
    quarter = "2026-07-01"
    url = reverse("insight:commentary") + f"?quarter={quarter}"
    analyst, manager = client_for("performance_analyst"), client_for("team_manager")
    analyst.post(url, {"text": "First words", "version": ""})
    saved = Commentary.objects.get()
    manager.post(url, {"text": "Second words", "version": saved.version})
    stale = analyst.post(url, {"text": "Stale words", "version": saved.version})
    assert stale.status_code == 409
    assert Commentary.objects.get().text == "Second words"


def test_report_refuses_a_quarter_not_offered(plans, client_for):
    response = client_for("performance_analyst").post(
        reverse("insight:report"), {"quarter": "2026-08-01"}
    )
    assert response.status_code == 400
    assert not Job.objects.exists()


@pytest.mark.parametrize("quarter", ["324", "not a date", "\x00", "2026-13-01"])
def test_a_quarter_that_is_not_a_date_is_refused_in_words_not_a_server_error(
    plans, client_for, quarter
):
    """Found by the form fuzzer: the page re-read the posted quarter as a date after the
    form had refused it (and a typed ?quarter= on the address did the same)."""
    client = client_for("performance_analyst")
    response = client.post(reverse("insight:report"), {"quarter": quarter})
    assert response.status_code == 400
    assert "govuk-error-summary" in response.content.decode()
    assert client.get(reverse("insight:report"), {"quarter": quarter}).status_code == 200
    assert not Job.objects.exists()


def test_the_same_build_sent_twice_queues_one_job(plans, client_for):
    client = client_for("team_manager")
    data = {"quarter": "2026-07-01", "idempotency_key": "same-token"}
    client.post(reverse("insight:report"), data)
    client.post(reverse("insight:report"), data)
    assert Job.objects.count() == 1


def test_a_chart_line_breaks_at_a_month_without_a_figure():
    """Nothing to divide by in May (no child on a plan): the line stops at April and starts
    again at June, rather than joining the two across a month with no figure."""
    months = [date(2026, m, 1) for m in (3, 4, 5, 6, 7)]
    values = [40.0, 50.0, None, 30.0, 20.0]
    series = Series(
        FIGURES["cp_two_years"],
        [Point(m, 1 if v else 0, 2 if v else 0, v) for m, v in zip(months, values, strict=True)],
        [],
    )
    svg = (
        engines["jinja2"]
        .from_string('{% from "insight/_line.html" import line_chart %}{{ line_chart("c", s) }}')
        .render({"s": series})
    )
    (path,) = re.findall(r'<path d="([^"]*)"', svg)
    stretches = [part.strip() for part in path.split("M") if part.strip()]
    assert [len(s.split(" L")) for s in stretches] == [2, 2]
    assert svg.count("<circle") == 4
