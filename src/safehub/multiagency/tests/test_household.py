"""The household view: the chronologies of everyone in the child's household interleaved,
each line saying whose it is, each person shown as the policy decides."""

from datetime import date

import pytest
from conftest import make_person
from django.urls import reverse

from safehub.access.models import Involvement, InvolvementKind
from safehub.audit.models import AuditEvent
from safehub.partners.tests.conftest import event, send
from safehub.people.models import Address, Household, PersonAddress

pytestmark = pytest.mark.django_db


def nhs_number(stem: str) -> str:
    """A valid NHS number from nine digits (the modulus 11 check digit)."""
    total = sum(int(d) * (10 - i) for i, d in enumerate(stem))
    check = 11 - total % 11
    check = 0 if check == 11 else check
    assert check != 10
    return stem + str(check)


@pytest.fixture
def household(fed, council, people):
    child = fed["child"]
    address = Address.objects.create(line_1="1 Elm Row", town="Testford", postcode="TE1 1AA")
    home = Household.objects.create(address=address, start_date=date(2020, 1, 1))
    mum = make_person(
        "Grace", "Hart", date(1990, 5, 1), kind="adult", nhs_number=nhs_number("401023213")
    )
    lodger = make_person(
        "Victor", "Crane", date(1985, 3, 3), kind="adult", nhs_number=nhs_number("401023214")
    )
    secret = make_person(
        "Rowan",
        "Vale",
        date(1988, 8, 8),
        kind="adult",
        is_restricted=True,
        restriction_reason="Witness protection",
    )
    for person in (child, mum, lodger, secret):
        PersonAddress.objects.create(person=person, address=address, household=home)
    # North's team works with Grace; nobody the social worker knows works with Victor.
    Involvement.objects.create(
        person=mum, kind=InvolvementKind.TEAM, team=council["teams"]["North"]
    )
    police = fed["senders"]["police"]
    for body in (
        event(
            event_id="P10",
            type="household_adult_arrested",
            nhs_number=mum.nhs_number,
            occurred_at="2026-11-10",
            summary="Grace was arrested at the address.",
        ),
        event(
            event_id="P11",
            type="household_adult_arrested",
            nhs_number=lodger.nhs_number,
            occurred_at="2026-11-11",
            summary="Victor was arrested at the address.",
        ),
        event(
            event_id="P12",
            type="exploitation_intelligence",
            nhs_number=mum.nhs_number,
            occurred_at="2026-11-12",
            summary="Grace is thought to be targeted.",
            restricted=True,
        ),
    ):
        assert send(police, [body]).json()["results"][0]["outcome"] == "accepted"
    return {"child": child, "mum": mum, "lodger": lodger, "secret": secret}


def test_the_household_view_interleaves_the_people_the_reader_may_see(household, client_for):
    child, mum = household["child"], household["mum"]
    response = client_for("social_worker").get(reverse("multiagency:household", args=[child.pk]))
    assert response.status_code == 200
    text = response.content.decode()
    # Amelia's four entries and Grace's arrest, each saying whose it is.
    assert "5 entries, newest first" in text
    assert "Grace was arrested at the address." in text
    assert "Concerns: Grace Hart" in text
    assert "Concerns: Amelia Hart" in text
    # Victor is "a person you cannot see", and his arrest is counted, never shown.
    assert "A person you cannot see" in text
    assert "Victor" not in text
    assert "Crane" not in text
    assert "1 entry hidden: they are about people you cannot see" in text
    # Grace's restricted report is kept from Amelia's worker (she is not Grace's allocated
    # worker); the restricted person is not shown at all.
    assert "1 entry hidden: restricted information" in text
    assert "Grace is thought to be targeted" not in text
    assert "Rowan" not in text
    assert "Vale" not in text
    listed = AuditEvent.objects.get(object_type="multiagency.household")
    assert listed.subject_ids == f",{child.pk},{mum.pk},"
    assert AuditEvent.objects.filter(action="view", person_id=child.pk).count() == 1


def test_the_mash_sees_every_unrestricted_member_and_their_restricted_entries(
    household, client_for
):
    text = (
        client_for("mash_worker")
        .get(reverse("multiagency:household", args=[household["child"].pk]))
        .content.decode()
    )
    assert "7 entries, newest first" in text
    assert "Victor was arrested at the address." in text
    assert "Grace is thought to be targeted." in text
    assert "entry hidden" not in text
    assert "entries hidden" not in text


def test_a_child_with_no_household_shows_their_own_chronology(fed, client_for):
    text = (
        client_for("social_worker")
        .get(reverse("multiagency:household", args=[fed["child"].pk]))
        .content.decode()
    )
    assert "Nobody else is recorded as living in Amelia’s current household." in text
    assert "4 entries, newest first" in text
