"""User administration never grants its actor access to case data: nobody changes their own
account, access to records waits for a second administrator, and every action is audited
where the data protection officer sees it."""

from typing import Any

import pytest
from conftest import make_user, sign_in
from django.test import Client
from django.urls import reverse

from safehub.access.roles import Role
from safehub.audit.models import AuditAction, AuditEvent
from safehub.core.exceptions import PermissionDeniedError
from safehub.organisations import services
from safehub.organisations.models import AccessGrant, GrantOutcome, User

pytestmark = pytest.mark.django_db


def _form(user: User, **changes: Any) -> dict[str, str]:
    data = {
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "job_title": user.job_title,
        "role": user.role,
        "team": str(user.team_id),
        "employment_type": user.employment_type,
        "is_active": "true" if user.is_active else "",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v != ""}


@pytest.fixture
def second_admin(council: dict[str, Any]) -> User:
    return make_user("admin2", Role.SYSTEM_ADMINISTRATOR, council["teams"]["IT"])


def _what(user: User) -> list[str]:
    """What was done to `user`, in the order it was done: by id, since rows written in one
    frozen instant share their time, and an unordered read comes back in whatever order
    PostgreSQL finds the rows (space left by earlier tests' rolled-back rows is reused)."""
    rows = AuditEvent.objects.filter(action=AuditAction.USER_ADMIN, object_id=str(user.pk))
    return list(rows.order_by("pk").values_list("detail__what", flat=True))


def test_an_administrator_cannot_give_themselves_case_access(
    users: dict[str, User], council: dict[str, Any], people: dict[str, Any], client_for: Any
) -> None:
    """The review: an administrator changed their own role to MASH worker, then read and
    exported children's records."""
    admin = users["system_administrator"]
    client = client_for("system_administrator")
    url = reverse("organisations:user-edit", args=[admin.pk])
    assert client.get(url).status_code == 403
    response = client.post(url, _form(admin, role=Role.MASH_WORKER))
    assert response.status_code == 403
    admin.refresh_from_db()
    assert admin.role == Role.SYSTEM_ADMINISTRATOR
    assert not AccessGrant.objects.exists()
    child = people["involved"]
    assert client.get(reverse("people:person-detail", args=[child.pk])).status_code == 404
    assert client.get(reverse("people:person-export", args=[child.pk])).status_code == 404
    with pytest.raises(PermissionDeniedError):
        services.user_update(actor=admin, user=admin, data={"team": council["teams"]["MASH"]})


def test_nor_through_an_account_they_make_for_themselves(
    users: dict[str, User], council: dict[str, Any], second_admin: User
) -> None:
    admin = users["system_administrator"]
    puppet = services.user_create(
        actor=admin,
        username="imran.mash",
        password="a-long-temporary-passphrase",
        data={
            "first_name": "Imran",
            "last_name": "Q",
            "email": "iq@example.org",
            "role": Role.MASH_WORKER,
            "team": council["teams"]["MASH"],
            "employment_type": "permanent",
            "is_active": True,
        },
    )
    assert not puppet.is_active  # it can reach nothing until a second administrator agrees
    grant = AccessGrant.objects.get(user=puppet, outcome=GrantOutcome.PENDING)
    with pytest.raises(PermissionDeniedError):
        services.access_grant_approve(actor=admin, grant_id=grant.pk)
    puppet.refresh_from_db()
    assert not puppet.is_active
    services.access_grant_approve(actor=second_admin, grant_id=grant.pk)
    puppet.refresh_from_db()
    assert puppet.is_active
    assert puppet.role == Role.MASH_WORKER
    assert _what(puppet) == ["create", "access_requested", "access_approved"]


def test_a_new_role_or_team_waits_for_a_second_administrator(
    users: dict[str, User], council: dict[str, Any], second_admin: User, client_for: Any
) -> None:
    analyst = users["performance_analyst"]
    client = client_for("system_administrator")
    url = reverse("organisations:user-edit", args=[analyst.pk])
    response = client.post(url, _form(analyst, role=Role.MASH_WORKER, last_name="Moved"))
    assert response.status_code == 302
    analyst.refresh_from_db()
    # The details change at once; the access waits.
    assert (analyst.last_name, analyst.role) == ("Moved", Role.PERFORMANCE_ANALYST)
    grant = AccessGrant.objects.get(user=analyst)
    page = client.get(url).content.decode()
    assert "Waiting for a second administrator" in page
    assert "Approve this access" not in page  # not by the one who asked
    other = sign_in(Client(), second_admin)
    assert "Approve this access" in other.get(url).content.decode()
    decide = reverse("organisations:access-grant-decide", args=[grant.pk])
    assert client.post(decide, {"decision": "approve"}).status_code == 403
    assert other.post(decide, {"decision": "approve"}).status_code == 302
    analyst.refresh_from_db()
    assert analyst.role == Role.MASH_WORKER
    # Moving a social worker to another team is new access too.
    worker = users["social_worker"]
    services.user_update(actor=second_admin, user=worker, data={"team": council["teams"]["South"]})
    worker.refresh_from_db()
    assert worker.team == council["teams"]["North"]
    assert AccessGrant.objects.filter(user=worker, outcome=GrantOutcome.PENDING).exists()


def test_nobody_decides_a_grant_for_themselves(
    users: dict[str, User], council: dict[str, Any], second_admin: User
) -> None:
    admin = users["system_administrator"]
    services.user_update(
        actor=admin, user=second_admin, data={"team": council["teams"]["Governance"]}
    )
    grant = AccessGrant.objects.get(user=second_admin)
    with pytest.raises(PermissionDeniedError):
        services.access_grant_approve(actor=second_admin, grant_id=grant.pk)
    with pytest.raises(PermissionDeniedError):
        services.access_grant_refuse(actor=second_admin, grant_id=grant.pk)


def test_taking_access_away_is_immediate_and_withdraws_what_was_waiting(
    users: dict[str, User], council: dict[str, Any], second_admin: User
) -> None:
    admin, worker = users["system_administrator"], users["social_worker"]
    services.user_update(actor=admin, user=worker, data={"team": council["teams"]["South"]})
    services.user_update(actor=second_admin, user=worker, data={"is_active": False})
    worker.refresh_from_db()
    assert not worker.is_active
    assert not AccessGrant.objects.filter(user=worker, outcome=GrantOutcome.PENDING).exists()
    assert _what(worker)[-3:] == ["change", "disable", "sign_out"]


def test_every_user_administration_action_is_audited_and_shown_to_the_dpo(
    users: dict[str, User], client_for: Any
) -> None:
    admin, worker = users["system_administrator"], users["social_worker"]
    services.user_unlock(actor=admin, user=worker)
    services.user_reset_second_factor(actor=admin, user=worker)
    services.user_end_sessions(actor=admin, user=worker)
    services.sessions_end_all(actor=admin, keep=None)
    assert _what(worker) == ["unlock", "second_factor_reset", "sign_out", "sign_out"]
    assert _what(admin) == ["sign_out_everyone"]
    for refused in (services.user_unlock, services.user_reset_second_factor):
        with pytest.raises(PermissionDeniedError):
            refused(actor=admin, user=admin)
    page = client_for("data_protection_officer").get(reverse("audit:user-admin-log"))
    text = page.content.decode()
    assert page.status_code == 200
    assert "Second factor reset" in text
    assert worker.username in text
    admin_page = client_for("system_administrator").get(reverse("audit:user-admin-log"))
    assert admin_page.status_code == 404


def test_an_administrator_cannot_issue_themselves_someone_elses_api_token(
    users: dict[str, User],
) -> None:
    """A token acts with its user's access: one issued by an administrator for a MASH
    worker would be the administrator reading children's records."""
    from safehub.access.models import ApiToken
    from safehub.access.services import api_token_create

    with pytest.raises(PermissionDeniedError):
        api_token_create(
            actor=users["system_administrator"], user=users["mash_worker"], name="backdoor"
        )
    assert not ApiToken.objects.exists()
    api_token_create(actor=users["mash_worker"], user=users["mash_worker"], name="own feed")
    issued = AuditEvent.objects.get(action=AuditAction.USER_ADMIN, object_type="access.ApiToken")
    assert issued.detail["what"] == "api_token_issued"
