"""Every role against the returns pages: the CIN census page, the census download (which
names every child in need, restricted records too, and only for the returns team) and the
validator's upload page; the same for the SSDA903 (a zip of CSV files) and Ofsted's Annex A;
the history import's page (the returns team and the administrator). Every other role is
answered "not found" and shown no one."""

import io
import zipfile
from datetime import date
from io import BytesIO
from typing import Any

import pytest
from conftest import shows
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from lxml import etree
from openpyxl import load_workbook

from safehub.audit.models import AuditAction, AuditEvent
from safehub.casework.models import CareEpisode, Episode, PeriodOfCare
from safehub.returns.models import ImportRun, LegacyChildId
from safehub.returns.tests.cin_builder import clean, texts, xml
from safehub.returns.tests.s903_builder import clean_903, zipped
from tests.access_matrix.matrix import EVERY_SIGNED_IN_ROLE, IMPORT_ROLES, RETURNS_ROLES

pytestmark = pytest.mark.django_db


@pytest.fixture
def in_need(users: dict[str, Any], people: dict[str, Any]) -> dict[str, Any]:
    """Each test person a child in need in 2025-26 (one relation each way to every role)."""
    for person in people.values():
        Episode.objects.create(
            kind="cin",
            child=person,
            referral_date=date(2025, 6, 2),
            referral_source="2A",
            primary_need="N1",
            opened_by=users["team_manager"],
        )
    return people


CENSUS = {"year": "2025-26"}


@pytest.mark.parametrize("role", sorted(EVERY_SIGNED_IN_ROLE))
def test_the_census_page_and_download(role, in_need, client_for):
    client = client_for(role)
    page = client.get(reverse("returns:cin"))
    census = client.get(reverse("returns:cin-census"), CENSUS)
    if role not in RETURNS_ROLES:
        assert (page.status_code, census.status_code) == (404, 404), role
        assert not AuditEvent.objects.filter(action=AuditAction.EXPORT).exists()
        for person in in_need.values():
            assert not shows(person.family_name, census.content)
        return
    assert (page.status_code, census.status_code) == (200, 200)
    root = etree.fromstring(b"".join(census.streaming_content))
    named = set(texts(root, "//ChildIdentifiers/LAchildID/text()"))
    assert named == {str(p.pk) for p in in_need.values()}  # restricted records too
    export = AuditEvent.objects.get(action=AuditAction.EXPORT)
    assert export.subject_ids == "," + ",".join(sorted(named, key=int)) + ","


@pytest.mark.parametrize("role", sorted(EVERY_SIGNED_IN_ROLE))
def test_the_validator_page(role, users, client_for):
    client = client_for(role)
    page = client.get(reverse("returns:cin-validate"))
    upload = SimpleUploadedFile("census.xml", xml(*clean()), content_type="application/xml")
    sent = client.post(reverse("returns:cin-validate"), {"file": upload, "report": "html"})
    if role not in RETURNS_ROLES:
        assert (page.status_code, sent.status_code) == (404, 404), role
        assert not AuditEvent.objects.filter(object_type="returns.cin_file").exists()
        return
    assert (page.status_code, sent.status_code) == (200, 200)
    assert b"No errors" in sent.content
    assert AuditEvent.objects.get(object_type="returns.cin_file").detail["children"] == 12


@pytest.fixture
def looked_after(users: dict[str, Any], people: dict[str, Any]) -> dict[str, Any]:
    """Each test person looked after in 2025-26 (one relation each way to every role)."""
    for person in people.values():
        episode = Episode.objects.create(
            kind="cin",
            child=person,
            referral_date=date(2025, 5, 1),
            referral_source="2A",
            primary_need="N1",
            opened_by=users["team_manager"],
        )
        period = PeriodOfCare.objects.create(
            child=person, episode=episode, start_date=date(2025, 6, 2)
        )
        CareEpisode.objects.create(
            period=period,
            start_date=date(2025, 6, 2),
            reason_new_episode="S",
            legal_status="V2",
            placement_type="U6",
            provider="PR1",
        )
    return people


@pytest.mark.parametrize("role", sorted(EVERY_SIGNED_IN_ROLE))
def test_the_903_page_and_download(role, looked_after, client_for):
    client = client_for(role)
    page = client.get(reverse("returns:903"))
    files = client.get(reverse("returns:903-files"), CENSUS)
    if role not in RETURNS_ROLES:
        assert (page.status_code, files.status_code) == (404, 404), role
        assert not AuditEvent.objects.filter(action=AuditAction.EXPORT).exists()
        for person in looked_after.values():
            assert not shows(person.family_name, files.content)
        return
    assert (page.status_code, files.status_code) == (200, 200)
    archive = zipfile.ZipFile(io.BytesIO(b"".join(files.streaming_content)))
    header = archive.read("header.csv").decode().splitlines()[1:]
    named = {line.split(",")[0] for line in header}
    assert named == {str(p.pk) for p in looked_after.values()}  # restricted records too
    export = AuditEvent.objects.get(action=AuditAction.EXPORT)
    assert export.object_type == "returns.ssda903"
    assert export.subject_ids == "," + ",".join(sorted(named, key=int)) + ","


@pytest.mark.parametrize("role", sorted(EVERY_SIGNED_IN_ROLE))
def test_the_903_validator_page(role, users, client_for):
    client = client_for(role)
    page = client.get(reverse("returns:903-validate"))
    upload = SimpleUploadedFile("903.zip", zipped(clean_903()), content_type="application/zip")
    sent = client.post(
        reverse("returns:903-validate"), {"file": upload, "year": "2024-25", "report": "html"}
    )
    if role not in RETURNS_ROLES:
        assert (page.status_code, sent.status_code) == (404, 404), role
        assert not AuditEvent.objects.filter(object_type="returns.ssda903_files").exists()
        return
    assert (page.status_code, sent.status_code) == (200, 200)
    assert b"No errors" in sent.content
    audit = AuditEvent.objects.get(object_type="returns.ssda903_files")
    assert audit.detail["children"] == len(clean_903()["header"])


@pytest.mark.parametrize("role", sorted(EVERY_SIGNED_IN_ROLE))
def test_the_annex_a_page_and_workbook(role, in_need, client_for):
    """Annex A names every child in need (list 6), restricted records too, to the returns
    team only; everyone else is answered "not found" and shown no one."""
    client = client_for(role)
    page = client.get(reverse("returns:annex-a"))
    workbook = client.get(
        reverse("returns:annex-a-workbook"),
        {"end-day": "30", "end-month": "11", "end-year": "2025"},
    )
    if role not in RETURNS_ROLES:
        assert (page.status_code, workbook.status_code) == (404, 404), role
        assert not AuditEvent.objects.filter(action=AuditAction.EXPORT).exists()
        for person in in_need.values():
            assert not shows(person.family_name, workbook.content)
        return
    assert (page.status_code, workbook.status_code) == (200, 200)
    book = load_workbook(BytesIO(b"".join(workbook.streaming_content)), read_only=True)
    named = {str(row[0]) for row in book["List 6"].iter_rows(min_row=2, values_only=True)}
    assert named == {str(p.pk) for p in in_need.values()}  # restricted records too
    export = AuditEvent.objects.get(action=AuditAction.EXPORT, object_type="returns.annex_a")
    assert export.subject_ids == "," + ",".join(sorted(named, key=int)) + ","


def test_a_missing_last_day_is_explained(users, client_for):
    answer = client_for("performance_analyst").get(reverse("returns:annex-a-workbook"))
    assert answer.status_code == 400
    assert b"govuk-error-summary" in answer.content
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT).exists()


@pytest.mark.parametrize("role", sorted(EVERY_SIGNED_IN_ROLE))
def test_the_history_import_page(role, in_need, client_for):
    """The import may match a file's child to any record (restricted ones too), so only the
    roles the policy names see the page; a restricted child matched by UPN is imported onto
    their record and named in the audit row, and nobody else can learn that it exists."""
    restricted = in_need["restricted"]
    head, children = clean()
    type(restricted).objects.filter(pk=restricted.pk).update(
        upn=children[0]["ChildIdentifiers"]["UPN"], date_of_birth=date(2015, 5, 1)
    )  # and their episode closed, so the file's open one may be recorded
    Episode.objects.filter(child=restricted).update(
        closure_date=date(2025, 6, 20), closure_reason="RC8"
    )
    client = client_for(role)
    page = client.get(reverse("returns:cin-import"))
    upload = SimpleUploadedFile("old.xml", xml(head, children), content_type="application/xml")
    sent = client.post(reverse("returns:cin-import"), {"file": upload})
    if role not in IMPORT_ROLES:
        assert (page.status_code, sent.status_code) == (404, 404), role
        assert not LegacyChildId.objects.exists()
        assert not AuditEvent.objects.filter(object_type="returns.cin_import").exists()
        return
    assert (page.status_code, sent.status_code) == (200, 200)
    assert b"Import report" in sent.content
    assert b"Not imported" in sent.content
    assert LegacyChildId.objects.count() == 12
    assert LegacyChildId.objects.get(la_child_id="C0").person_id == restricted.pk
    audit = AuditEvent.objects.get(object_type="returns.cin_import")
    named = {int(i) for i in audit.subject_ids.strip(",").split(",")}
    assert named == set(LegacyChildId.objects.values_list("person_id", flat=True))


@pytest.mark.parametrize("role", sorted(EVERY_SIGNED_IN_ROLE))
def test_the_903_history_import_page(role, people, client_for):
    """The 903 import beside the CIN one: only the roles the policy names see the page; a
    restricted child matched by UPN is imported onto their record and named in the audit
    row, and nobody else can learn that it exists."""
    restricted = people["restricted"]
    rows = clean_903()
    type(restricted).objects.filter(pk=restricted.pk).update(
        upn=rows["header"][0]["UPN"], date_of_birth=date(2008, 5, 10)
    )
    client = client_for(role)
    page = client.get(reverse("returns:903-import"))
    upload = SimpleUploadedFile("old-903.zip", zipped(rows), content_type="application/zip")
    sent = client.post(reverse("returns:903-import"), {"file": upload, "year": "2024-25"})
    if role not in IMPORT_ROLES:
        assert (page.status_code, sent.status_code) == (404, 404), role
        assert not LegacyChildId.objects.exists()
        assert not AuditEvent.objects.filter(object_type="returns.s903_import").exists()
        assert not shows(restricted.family_name, sent.content)
        return
    assert (page.status_code, sent.status_code) == (200, 200)
    assert b"Import report" in sent.content
    assert b"OC2" in sent.content  # the rows not imported are listed
    assert LegacyChildId.objects.count() == 5
    assert LegacyChildId.objects.get(la_child_id="101").person_id == restricted.pk
    assert PeriodOfCare.objects.filter(child=restricted).exists()
    audit = AuditEvent.objects.get(object_type="returns.s903_import")
    named = {int(i) for i in audit.subject_ids.strip(",").split(",")}
    assert named == set(LegacyChildId.objects.values_list("person_id", flat=True))


def test_the_903_import_page_explains_a_missing_year_and_a_bad_zip(users, client_for):
    client = client_for("performance_analyst")
    upload = SimpleUploadedFile("old.zip", b"nonsense", content_type="application/zip")
    missing_year = client.post(reverse("returns:903-import"), {"file": upload})
    assert missing_year.status_code == 400
    assert b"Select a collection year" in missing_year.content
    upload = SimpleUploadedFile("old.zip", b"nonsense", content_type="application/zip")
    bad = client.post(reverse("returns:903-import"), {"file": upload, "year": "2024-25"})
    assert bad.status_code == 200
    assert b"not a zip archive SafeHub can open" in bad.content
    assert not ImportRun.objects.exists()
