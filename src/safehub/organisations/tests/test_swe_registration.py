"""Social workers' Social Work England registration numbers: recorded by an administrator on
user administration (a detail, so no second administrator), checked for their form and
that nobody else has the number, and shown on the worker's own account page."""

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from safehub.audit.models import AuditEvent
from safehub.core.exceptions import PermissionDeniedError
from safehub.organisations import services
from safehub.organisations.models import AccessGrant, User

pytestmark = pytest.mark.django_db


def _form(user: User, **changes: Any) -> dict[str, Any]:
    data = {
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "job_title": user.job_title,
        "role": user.role,
        "team": str(user.team_id),
        "employment_type": user.employment_type,
        "is_active": "true",
        "swe_registration": "",
    }
    return {**data, **changes}


@pytest.mark.parametrize("typed", ["SW12345", "sw 123 456", " SW1 "])
def test_a_registration_number_is_sw_and_digits(users: Any, typed: str) -> None:
    admin, worker = users["system_administrator"], users["social_worker"]
    services.user_update(actor=admin, user=worker, data={"swe_registration": typed})
    worker.refresh_from_db()
    assert worker.swe_registration == typed.replace(" ", "").upper()
    assert not AccessGrant.objects.exists()  # a detail: no second administrator
    assert AuditEvent.objects.filter(
        action="user_admin", object_id=str(worker.pk), detail__fields=["swe_registration"]
    ).exists()


@pytest.mark.parametrize("typed", ["12345", "SW", "SWE12345", "SW12A45", "XX123456"])
def test_other_forms_are_refused(users: Any, typed: str) -> None:
    admin, worker = users["system_administrator"], users["social_worker"]
    with pytest.raises(ValidationError, match="SW followed by its digits"):
        services.user_update(actor=admin, user=worker, data={"swe_registration": typed})
    worker.refresh_from_db()
    assert worker.swe_registration == ""


def test_two_workers_cannot_share_a_number(users: Any) -> None:
    admin = users["system_administrator"]
    services.user_update(actor=admin, user=users["social_worker"], data={"swe_registration": "SW1"})
    with pytest.raises(ValidationError, match="already has that registration number"):
        services.user_update(actor=admin, user=users["colleague"], data={"swe_registration": "SW1"})


def test_an_administrator_still_cannot_change_their_own_record(users: Any) -> None:
    admin = users["system_administrator"]
    with pytest.raises(PermissionDeniedError):
        services.user_update(actor=admin, user=admin, data={"swe_registration": "SW9"})


def test_recorded_on_user_administration_and_shown_on_the_account_page(
    users: Any, client_for: Any
) -> None:
    worker = users["social_worker"]
    admin = client_for("system_administrator")
    url = reverse("organisations:user-edit", args=[worker.pk])
    refused = admin.post(url, _form(worker, swe_registration="12345"))
    assert "Enter the Social Work England registration number" in refused.content.decode()
    assert admin.post(url, _form(worker, swe_registration="SW654321")).status_code == 302
    page = client_for("social_worker").get(reverse("ui:account")).content.decode()
    assert "Social Work England registration" in page
    assert "SW654321" in page
