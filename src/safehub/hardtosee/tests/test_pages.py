"""The register pages: filters from the address bar (and their errors), paging, the CSV
export with its formula protection, and naming a child's EHE officer."""

import csv
import io
import re
from datetime import date

import pytest
from django.urls import reverse

from safehub.audit.models import AuditAction, AuditEvent
from safehub.chronology.models import ChronologyLink
from safehub.hardtosee.models import EheOfficer
from safehub.hardtosee.selectors import PAGE_SIZE
from safehub.hardtosee.tests.conftest import allocate, child, happened, subjects

pytestmark = pytest.mark.django_db


@pytest.fixture
def home_educated(users):
    person = child("Harriet", born=date(2015, 6, 1))
    allocate(person, users["social_worker"])
    happened(users["mash_worker"], person, "ehe_registered", date(2026, 4, 1))
    return person


def test_the_registers_page_counts_each_register(client_for, home_educated):
    response = client_for("mash_worker").get(reverse("hardtosee:registers"))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Elective home education" in text
    assert "Children missing education" in text


def test_a_register_lists_and_filters(client_for, home_educated):
    client = client_for("mash_worker")
    url = reverse("hardtosee:register", args=["elective-home-education"])
    response = client.get(url)
    assert "Harriet Register" in response.content.decode()
    assert "Not assigned<br>" in response.content.decode()  # no EHE officer yet, not "None"
    filtered = client.get(url, {"filtered": "1", "age_band": "0-4"})
    assert "Harriet Register" not in filtered.content.decode()
    assert "No children you may see are on this register with these filters" in (
        filtered.content.decode()
    )


def test_the_team_filter_offers_the_teams_that_work_with_children(client_for, home_educated):
    """North holds Harriet's case; the council's insight, governance and IT teams never hold
    one, and a school's team is not the council's."""
    url = reverse("hardtosee:register", args=["elective-home-education"])
    text = client_for("mash_worker").get(url).content.decode()
    offered = re.findall(r'<option value="\d+"[^>]*>([^<]+)</option>', text)
    assert "North" in offered
    assert not {"Insight", "Governance", "IT", "Safeguarding"} & set(offered)


def test_a_filter_it_cannot_read_says_so_and_filters_nothing(client_for, home_educated):
    client = client_for("mash_worker")
    url = reverse("hardtosee:register", args=["elective-home-education"])
    response = client.get(url, {"filtered": "1", "district": "1AB", "days_without_contact": "x"})
    text = response.content.decode()
    assert response.status_code == 200
    assert "Enter the postcode district as the first part of a postcode, like DM1" in text
    assert "The number of days must be a whole number, like 90" in text
    assert "Harriet Register" in text


def test_an_unknown_register_is_not_found(client_for):
    response = client_for("mash_worker").get(reverse("hardtosee:register", args=["nothing"]))
    assert response.status_code == 404


def test_pages_of_the_register(client_for, users):
    for n in range(PAGE_SIZE + 3):
        person = child(f"Page{n:02d}")
        allocate(person, users["social_worker"])
    client = client_for("mash_worker")
    url = reverse("hardtosee:register", args=["no-professional-contact"])
    first = client.get(url).content.decode()
    second = client.get(url, {"page": "2"}).content.decode()
    assert first.count("Page") >= PAGE_SIZE
    assert "Page27" in first + second
    assert second.count(" Register</a>") == 3
    # Every nearby page is linked, keeping the filter; the table scrolls rather than clips.
    filtered = client.get(url, {"filtered": "1", "page": "2"}).content.decode()
    assert f'href="{url}?filtered=1&amp;page=1"' in filtered
    assert 'aria-label="Pages of the register"' in filtered
    assert 'class="sh-table-scroll"' in filtered


def test_the_export_is_csv_with_formulas_made_text(client_for, users):
    sneaky = child('=HYPERLINK("x")')
    allocate(sneaky, users["social_worker"])
    happened(users["mash_worker"], sneaky, "child_missing_education", date(2026, 10, 2))
    response = client_for("mash_worker").get(
        reverse("hardtosee:export", args=["missing-education"]), {"filtered": "1"}
    )
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:2] == ["SafeHub ID", "Name"]
    assert rows[0][6] == "Reported missing education"
    assert rows[1][1] == '\'=HYPERLINK("x") Register'
    assert rows[1][6] == "2026-10-02"
    export = AuditEvent.objects.get(action=AuditAction.EXPORT)
    assert subjects(export) == [sneaky.pk]


def test_naming_an_ehe_officer(client_for, users, home_educated):
    client = client_for("team_manager")
    url = reverse("hardtosee:ehe-officer", args=[home_educated.pk])
    assert client.get(url).status_code == 200
    missing = client.post(url, {"officer": ""})
    assert "Select the officer" in missing.content.decode()
    stranger = client.post(url, {"officer": users["partner_practitioner"].pk})
    assert "Select the officer from the list" in stranger.content.decode()
    assert not EheOfficer.objects.exists()

    response = client.post(url, {"officer": users["colleague"].pk})
    assert response.status_code == 302
    first = EheOfficer.objects.get()
    assert first.officer == users["colleague"]
    assert first.ended_on is None
    client.post(url, {"officer": users["social_worker"].pk})
    first.refresh_from_db()
    assert first.ended_on is not None
    current = EheOfficer.objects.get(ended_on__isnull=True)
    assert current.officer == users["social_worker"]
    assert (
        AuditEvent.objects.filter(
            action=AuditAction.CHANGE, object_type="hardtosee.EheOfficer"
        ).count()
        == 2
    )
    assert (
        ChronologyLink.objects.filter(
            person=home_educated, entry__event_type="EHE_OFFICER_ASSIGNED"
        ).count()
        == 2
    )
    page = client.get(reverse("hardtosee:register", args=["elective-home-education"]))
    assert "Sw Tester" in page.content.decode()
