"""Restricted records: hidden from search outside the allow-list; opening one needs a reason
and a fresh security code; it lasts a limited time and reaches the DPO's queue at once."""

from datetime import timedelta

import pytest
from conftest import current_code
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from safehub.access.models import BreakGlass
from safehub.audit.models import AuditAction, AuditEvent


def test_restricted_person_is_not_in_search_outside_allow_list(people, client_for):
    hidden = people["restricted"]
    for role in ("mash_worker", "team_manager"):
        html = (
            client_for(role)
            .post(reverse("people:person-search"), {"name": "Noah Quinn"})
            .content.decode()
        )
        assert f"SafeHub ID {hidden.pk}" not in html, role
        assert "0 people found" in html, role
    html = (
        client_for("social_worker")
        .post(reverse("people:person-search"), {"name": "Ava Stone"})
        .content.decode()
    )
    assert "Ava Stone" in html  # sw is on Ava's allow-list


def test_break_glass_needs_a_reason_and_a_code(people, users, client_for):
    person = people["restricted"]
    client = client_for("mash_worker")
    url = reverse("people:person-break-glass", args=[person.pk])
    page = client.get(url)
    assert page.status_code == 403
    assert "This record is restricted" in page.content.decode()
    assert "Quinn" not in page.content.decode()
    bad = client.post(url, {"reason": "", "code": "12"})
    assert "Enter why you need to open this record" in bad.content.decode()
    assert "Enter the 6-digit code" in bad.content.decode()
    wrong = client.post(url, {"reason": "Child at A&E tonight, police asking", "code": "000000"})
    assert "not correct" in wrong.content.decode()
    assert not BreakGlass.objects.exists()
    # A wrong code throttles the next attempt briefly (django-otp); wait it out.
    TOTPDevice.objects.update(throttling_failure_count=0, throttling_failure_timestamp=None)
    ok = client.post(
        url,
        {
            "reason": "Child at A&E tonight, police asking",
            "code": current_code(users["mash_worker"]),
        },
    )
    assert ok.status_code == 302
    grant = BreakGlass.objects.get()
    assert grant.reason == "Child at A&E tonight, police asking"
    assert grant.expires_at <= timezone.now() + timedelta(hours=4, seconds=5)
    assert (
        AuditEvent.objects.filter(
            action=AuditAction.BREAK_GLASS, person_id=person.pk, reason=grant.reason
        ).count()
        == 1
    )
    detail = client.get(reverse("people:person-detail", args=[person.pk]))
    assert detail.status_code == 200
    assert "Noah Quinn" in detail.content.decode()
    # It is in the DPO's queue straight away.
    queue = client_for("data_protection_officer").get(reverse("audit:break-glass-queue"))
    assert "Child at A&amp;E tonight" in queue.content.decode()
    assert "Waiting" in queue.content.decode()


def test_break_glass_expires(people, users, client_for):
    person = people["restricted"]
    BreakGlass.objects.create(
        person=person,
        user=users["mash_worker"],
        reason="earlier",
        expires_at=timezone.now() - timedelta(minutes=1),
    )
    response = client_for("mash_worker").get(reverse("people:person-detail", args=[person.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("people:person-break-glass", args=[person.pk])


@pytest.mark.parametrize(
    "role", ["partner_practitioner", "cp_chair_iro", "performance_analyst", "system_administrator"]
)
def test_roles_without_reach_cannot_break_glass(role, people, users, client_for):
    url = reverse("people:person-break-glass", args=[people["restricted"].pk])
    client = client_for(role)
    assert client.get(url).status_code == 404
    client.post(url, {"reason": "I would like to look please", "code": current_code(users[role])})
    assert not BreakGlass.objects.exists()


def test_dpo_marks_a_break_glass_reviewed(people, users, client_for):
    grant = BreakGlass.objects.create(
        person=people["restricted"],
        user=users["mash_worker"],
        reason="urgent",
        expires_at=timezone.now(),
    )
    client_for("data_protection_officer").post(
        reverse("audit:break-glass-review", args=[grant.pk]), {"note": "Justified"}
    )
    grant.refresh_from_db()
    assert grant.reviewed_by == users["data_protection_officer"]
    assert grant.review_note == "Justified"
    other = client_for("mash_worker").post(
        reverse("audit:break-glass-review", args=[grant.pk]), {"note": "mine"}
    )
    assert other.status_code == 404
