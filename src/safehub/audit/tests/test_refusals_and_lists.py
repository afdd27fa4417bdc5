"""The audit trail records what was refused as well as what was allowed (written after the
refused request's own transaction rolls back), and a list that names children records, in
one row, every child it showed."""

from typing import Any

import pytest
from conftest import TEST_TODAY, allocate
from django.test import Client
from django.urls import reverse

from safehub.audit.models import AuditAction, AuditEvent
from safehub.frontdoor.services import contact_submit
from safehub.frontdoor.tests.factories import professional_submission, public_submission

pytestmark = pytest.mark.django_db


def _rows(user: Any, action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(actor=user, action=action).order_by("pk"))


def _ids(row: AuditEvent) -> set[int]:
    return {int(i) for i in row.subject_ids.strip(",").split(",") if i}


def test_a_hidden_record_answers_not_found_and_the_refusal_is_audited(
    users: dict[str, Any], people: dict[str, Any], client_for: Any
) -> None:
    worker, hidden = users["social_worker"], people["unrelated"]
    response = client_for("social_worker").get(reverse("people:person-detail", args=[hidden.pk]))
    assert response.status_code == 404
    [refused] = _rows(worker, AuditAction.REFUSED)
    assert refused.person_id == hidden.pk
    assert refused.detail == {"action": "view"}
    assert refused.ip_address == "127.0.0.1"
    assert not _rows(worker, AuditAction.VIEW)


def test_asking_for_a_record_that_does_not_exist_is_audited_too(
    users: dict[str, Any], client_for: Any
) -> None:
    client_for("social_worker").get(reverse("people:person-detail", args=[987654]))
    [refused] = _rows(users["social_worker"], AuditAction.REFUSED)
    assert (refused.person_id, refused.object_id) == (None, "987654")


def test_the_break_glass_prompt_is_audited(
    users: dict[str, Any], people: dict[str, Any], client_for: Any
) -> None:
    restricted = people["restricted"]
    response = client_for("social_worker").get(
        reverse("people:person-detail", args=[restricted.pk])
    )
    assert response.status_code == 302
    [prompt] = _rows(users["social_worker"], AuditAction.BREAK_GLASS_PROMPT)
    assert prompt.person_id == restricted.pk


def test_the_api_audits_its_refusals(users: dict[str, Any], people: dict[str, Any]) -> None:
    from safehub.access.services import api_token_create

    worker = users["social_worker"]
    token = api_token_create(actor=worker, user=worker, name="test")
    response = Client().get(
        f"/api/v1/persons/{people['unrelated'].pk}", HTTP_AUTHORIZATION=f"Bearer {token}"
    )
    assert response.status_code == 404
    [refused] = _rows(worker, AuditAction.REFUSED)
    assert (refused.person_id, refused.channel) == (people["unrelated"].pk, "api")


def test_my_work_records_in_one_row_the_children_it_named(
    users: dict[str, Any], people: dict[str, Any], client_for: Any
) -> None:
    from safehub.access.models import Involvement
    from safehub.casework.codes import AllocationReason
    from safehub.casework.models import Allocation

    worker = users["social_worker"]
    for key in ("involved", "restricted"):
        child = people[key]
        allocate(child, worker)
        involvement = Involvement.objects.filter(person=child, user=worker).last()
        assert involvement is not None
        Allocation.objects.create(
            child=child,
            worker=worker,
            team=worker.team,
            start_date=TEST_TODAY,
            reason=AllocationReason.NEW,
            involvement=involvement,
            allocated_by=users["team_manager"],
        )
    assert client_for("social_worker").get(reverse("casework:my-work")).status_code == 200
    [listed] = _rows(worker, AuditAction.LIST)
    assert listed.object_type == "casework.my_work"
    # The restricted child is not named on the page (it needs the glass broken), so the
    # row does not say the worker saw it.
    assert _ids(listed) == {people["involved"].pk}


def test_the_mash_queue_and_a_partners_referrals_record_what_they_listed(
    users: dict[str, Any], people: dict[str, Any], client_for: Any
) -> None:
    from safehub.frontdoor.models import ContactSubject

    public, _ = contact_submit(actor=None, channel="public", data=public_submission())
    ContactSubject.objects.filter(contact=public).update(person=people["involved"])
    referral, _ = contact_submit(
        actor=users["partner_practitioner"], channel="professional", data=professional_submission()
    )
    client_for("mash_worker").get(reverse("frontdoor:contact-queue"))
    [queue] = _rows(users["mash_worker"], AuditAction.LIST)
    assert queue.object_type == "frontdoor.mash_queue"
    assert set(queue.detail["contacts"]) == {public.reference, referral.reference}
    assert _ids(queue) == {people["involved"].pk}
    client_for("partner_practitioner").get(reverse("frontdoor:referral-list"))
    rows = _rows(users["partner_practitioner"], AuditAction.LIST)
    referrals = next(r for r in rows if r.object_type == "frontdoor.referrals_made")
    assert referrals.detail["contacts"] == [referral.reference]


def test_the_dpo_finds_who_saw_a_child_in_a_list(
    users: dict[str, Any], people: dict[str, Any], client_for: Any
) -> None:
    from safehub.frontdoor.models import ContactSubject

    contact, _ = contact_submit(actor=None, channel="public", data=public_submission())
    ContactSubject.objects.filter(contact=contact).update(person=people["involved"])
    client_for("mash_worker").get(reverse("frontdoor:contact-queue"))
    page = client_for("data_protection_officer").get(
        reverse("audit:audit-home"), {"person_id": people["involved"].pk}
    )
    text = page.content.decode()
    assert "Listed" in text
    assert "mash" in text
