"""Every role against the returns pages: the CIN census page, the census download (which
names every child in need, restricted records too, and only for the returns team), the
validator's upload page and the history import's (the returns team and the administrator).
Every other role is answered "not found" and shown no one."""

from datetime import date
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from lxml import etree

from safehub.audit.models import AuditAction, AuditEvent
from safehub.casework.models import Episode
from safehub.returns.models import LegacyChildId
from safehub.returns.tests.cin_builder import clean, texts, xml
from tests.access_matrix.matrix import EVERY_SIGNED_IN_ROLE, IMPORT_ROLES, RETURNS_ROLES
from tests.access_matrix.test_matrix import _without_random_tokens

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
            assert person.family_name.encode() not in _without_random_tokens(census.content)
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
