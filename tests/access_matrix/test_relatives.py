"""Every person a page, export or API response shows is decided by the policy, not only the
person the page is about.

A family: Amber (the social worker's case; her school contributes), her restricted half-sister
Rowan (a North colleague's case, restricted, nobody allow-listed), her brother Sol (South's
case) and her father Pat (the social worker's case, the school not involved). They live
together. Each reader walks every page, export and API response that can show a relative;
the names and dates of birth of those they may not see must never appear, a relative they
may not see appears as "A person you cannot see", and a restricted one not at all."""

import json
import uuid
from datetime import date
from typing import Any

import pytest
from conftest import allocate, make_person
from django.urls import reverse

from safehub.access.models import Involvement, InvolvementKind
from safehub.frontdoor.tests.factories import public_submission
from safehub.people.codes import RelationshipType
from safehub.people.models import Address, Household, PersonAddress, Relationship
from safehub.people.selectors import WITHHELD_NAME

pytestmark = pytest.mark.django_db

ROWAN = ("Rowan", "Hiddleston", date(2014, 6, 6), "6 June 2014")
SOL = ("Sol", "Southey", date(2012, 3, 9), "9 March 2012")
PAT = ("Pat", "Parentson", date(1984, 11, 2), "2 November 1984")


def _related(subject: Any, other: Any, type: str) -> None:
    pair = uuid.uuid4()
    Relationship.objects.create(subject=subject, other=other, type=type, pair_key=pair)
    inverse = {"sibling": "sibling", "parent": "child", "child": "parent"}[type]
    Relationship.objects.create(subject=other, other=subject, type=inverse, pair_key=pair)


@pytest.fixture
def family(users: dict[str, Any], council: dict[str, Any]) -> dict[str, Any]:
    amber = make_person("Amber", "Secretsby", date(2016, 5, 5))
    allocate(amber, users["social_worker"])
    Involvement.objects.create(
        person=amber, kind=InvolvementKind.CONTRIBUTING_AGENCY, agency=council["school"]
    )
    rowan = make_person(*ROWAN[:3], is_restricted=True, restriction_reason="Adoption")
    allocate(rowan, users["colleague"])
    sol = make_person(*SOL[:3])
    allocate(sol, users["south_worker"])
    pat = make_person(*PAT[:3], kind="adult")
    allocate(pat, users["social_worker"])
    _related(amber, rowan, RelationshipType.SIBLING)
    _related(amber, sol, RelationshipType.SIBLING)
    _related(pat, amber, RelationshipType.PARENT)
    home = Address.objects.create(line_1="1 Hidden Row", town="Testford", postcode="TF1 1AA")
    household = Household.objects.create(address=home)
    for member in (amber, rowan, sol, pat):
        PersonAddress.objects.create(
            person=member, address=home, household=household, start_date=date(2020, 1, 1)
        )
    return {"amber": amber, "rowan": rowan, "sol": sol, "pat": pat}


def _pages(client: Any, person: Any) -> dict[str, str]:
    """Every page and export about `person` that can show a relative, as this reader gets
    them (only those that answer 200)."""
    found = {}
    for name in ("people:person-detail", "people:person-export"):
        response = client.get(reverse(name, args=[person.pk]))
        if response.status_code == 200:
            found[name] = response.content.decode()
    return found


def _leaks(text: str, relative: tuple[str, str, date, str]) -> list[str]:
    given, family, born, born_text = relative
    return [
        clue for clue in (f"{given} {family}", family, born.isoformat(), born_text) if clue in text
    ]


# Who may see whom, written out by hand: reader -> relatives they may see by name.
SEES = {
    "social_worker": {"pat"},  # Rowan: restricted, not allow-listed; Sol: South's case
    "partner_practitioner": set(),  # the school works with Amber only
    "mash_worker": {"pat", "sol"},  # every unrestricted person; Rowan needs break-glass
    "team_manager": {"pat"},  # North's cases: Amber, Pat (and Rowan only by break-glass)
}
# Relatives each reader is told exist but not who: unrestricted ones they may not see.
WITHHELD = {
    "social_worker": {"sol"},
    "partner_practitioner": {"sol", "pat"},
    "mash_worker": set(),
    "team_manager": {"sol"},
}
RELATIVES = {"rowan": ROWAN, "sol": SOL, "pat": PAT}


@pytest.mark.parametrize("reader", sorted(SEES))
def test_relatives_are_shown_only_as_the_policy_allows(
    reader: str, family: dict[str, Any], client_for: Any
) -> None:
    pages = _pages(client_for(reader), family["amber"])
    assert "people:person-detail" in pages, f"{reader} should open Amber's page"
    for url_name, text in pages.items():
        for key, relative in RELATIVES.items():
            if key in SEES[reader]:
                assert f"{relative[0]} {relative[1]}" in text, (reader, url_name, key)
            else:
                assert _leaks(text, relative) == [], (reader, url_name, key)
        # Rowan is restricted and left out altogether; each withheld relative appears once
        # in the relationships table and once in the household list.
        if url_name == "people:person-detail":
            assert text.count(WITHHELD_NAME) >= 2 * len(WITHHELD[reader]), (reader, url_name)
            assert text.count(WITHHELD_NAME) <= 3 * len(WITHHELD[reader]), (reader, url_name)


@pytest.mark.parametrize("reader", sorted(SEES))
def test_the_export_lists_relatives_as_the_policy_allows(
    reader: str, family: dict[str, Any], client_for: Any
) -> None:
    response = client_for(reader).get(reverse("people:person-export", args=[family["amber"].pk]))
    if response.status_code != 200:
        assert reader == "partner_practitioner" or response.status_code == 200
        return
    document = json.loads(response.content)
    by_id = {row["safehub_id"] for row in document["relationships"] if row["safehub_id"]}
    seen = {key for key in RELATIVES if family[key].pk in by_id}
    assert seen == SEES[reader]
    withheld = [row for row in document["relationships"] if row["safehub_id"] is None]
    assert len(withheld) == len(WITHHELD[reader])
    assert all(row["name"] == WITHHELD_NAME and row["date_of_birth"] is None for row in withheld)
    assert family["rowan"].pk not in by_id
    assert len(document["household"]) == len(SEES[reader]) + len(WITHHELD[reader])


def test_the_allow_list_and_break_glass_open_the_restricted_sister(
    family: dict[str, Any], users: dict[str, Any], client_for: Any
) -> None:
    from safehub.access.models import RestrictedAccess

    RestrictedAccess.objects.create(person=family["rowan"], user=users["social_worker"])
    text = _pages(client_for("social_worker"), family["amber"])["people:person-detail"]
    assert "Rowan Hiddleston" in text


def test_a_contact_about_the_family_shows_linked_records_as_the_policy_allows(
    family: dict[str, Any], users: dict[str, Any], client_for: Any
) -> None:
    """The MASH linked Amber and (after breaking the glass) Rowan to a contact. Readers of
    the contact see the linked records as the policy lets them."""
    from safehub.frontdoor.models import ContactSubject
    from safehub.frontdoor.services import contact_submit

    data = public_submission()
    data["children"][0].update(given_name="Amber", family_name="Secretsby")
    contact, _ = contact_submit(actor=None, channel="public", data=data)
    ContactSubject.objects.filter(contact=contact, role="child").update(person=family["amber"])
    ContactSubject.objects.create(
        contact=contact, role="child", given_name="A", family_name="Sibling", person=family["rowan"]
    )
    url = reverse("frontdoor:contact-detail", args=[contact.reference])
    # The MASH may break the glass on Rowan: told a restricted record is linked, not whose.
    mash = client_for("mash_worker").get(url).content.decode()
    assert "Linked to a restricted record" in mash
    assert _leaks(mash, ROWAN) == []
    # A social worker who holds Amber but could only break the glass on Rowan: the contact
    # is theirs to read, Rowan's record stays unnamed.
    worker = client_for("social_worker").get(url)
    assert worker.status_code == 200
    assert _leaks(worker.content.decode(), ROWAN) == []
    # South's worker sees neither child, so not the contact.
    assert client_for("south_worker").get(url).status_code == 404


# --- writes: every person a change touches goes through the policy --------------------------


END_TODAY = {"end_date-day": "23", "end_date-month": "11", "end_date-year": "2026"}


def _changes_to(person: Any) -> tuple[int, int, int]:
    from safehub.audit.models import AuditEvent
    from safehub.chronology.models import ChronologyLink

    return (
        Relationship.objects.filter(subject=person, end_date__isnull=False).count(),
        ChronologyLink.objects.filter(person=person).count(),
        AuditEvent.objects.filter(person_id=person.pk, action="change").count(),
    )


def test_ending_a_relationship_from_the_other_side_needs_the_restricted_record_opened(
    family: dict[str, Any], client_for: Any
) -> None:
    amber, rowan = family["amber"], family["rowan"]
    row = Relationship.objects.get(subject=amber, other=rowan)
    before = (_changes_to(amber), _changes_to(rowan))
    url = reverse("people:relationship-end", args=[amber.pk, row.pk])
    response = client_for("social_worker").post(url, END_TODAY)
    assert response.status_code == 302
    assert response["Location"] == reverse("people:person-break-glass", args=[rowan.pk])
    assert (_changes_to(amber), _changes_to(rowan)) == before


def test_a_relationship_with_someone_the_worker_may_not_change_cannot_be_ended(
    family: dict[str, Any], client_for: Any
) -> None:
    amber, sol = family["amber"], family["sol"]
    row = Relationship.objects.get(subject=amber, other=sol)
    before = (_changes_to(amber), _changes_to(sol))
    url = reverse("people:relationship-end", args=[amber.pk, row.pk])
    assert client_for("social_worker").post(url, END_TODAY).status_code == 404
    assert (_changes_to(amber), _changes_to(sol)) == before


def test_after_breaking_the_glass_the_relationship_ends_on_both_records(
    family: dict[str, Any], users: dict[str, Any], client_for: Any
) -> None:
    from safehub.access.services import break_glass_open

    amber, rowan = family["amber"], family["rowan"]
    break_glass_open(
        actor=users["social_worker"], person=rowan, reason="Sibling contact arrangements"
    )
    row = Relationship.objects.get(subject=amber, other=rowan)
    url = reverse("people:relationship-end", args=[amber.pk, row.pk])
    assert client_for("social_worker").post(url, END_TODAY).status_code == 302
    assert Relationship.objects.filter(pair_key=row.pair_key, end_date__isnull=True).count() == 0
    assert _changes_to(rowan)[2] == 1  # the change to Rowan's record is audited as hers


def test_a_mash_decision_is_not_made_final_on_a_restricted_childs_record_without_the_glass(
    family: dict[str, Any], users: dict[str, Any]
) -> None:
    """The MASH decided on a contact about Rowan; the manager who signs it off would put
    the decision on her record (and open her casework), so must open it first."""
    from safehub.chronology.models import ChronologyLink
    from safehub.core.exceptions import BreakGlassRequired
    from safehub.frontdoor import services
    from safehub.frontdoor.models import Contact, ContactSubject

    contact, _ = services.contact_submit(actor=None, channel="public", data=public_submission())
    ContactSubject.objects.filter(contact=contact).update(person=family["rowan"])
    mash, manager = users["mash_worker"], users["team_manager"]
    contact = Contact.objects.get(pk=contact.pk)
    services.contact_rate(
        actor=mash,
        contact=contact,
        expected_version=contact.version,
        rag="red",
        level_of_need="4",
    )
    contact = Contact.objects.get(pk=contact.pk)
    services.contact_decide(
        actor=mash,
        contact=contact,
        expected_version=contact.version,
        decision="assessment",
        reasons="Referral for a child and family assessment.",
        primary_need="N1",
    )
    contact = Contact.objects.get(pk=contact.pk)
    with pytest.raises(BreakGlassRequired):
        services.contact_sign_off(
            actor=manager, contact=contact, expected_version=contact.version, approve=True
        )
    assert not ChronologyLink.objects.filter(person=family["rowan"]).exists()


@pytest.mark.parametrize("reader", ["social_worker", "partner_practitioner"])
def test_the_api_shows_no_relative_the_reader_may_not_see(
    reader: str, family: dict[str, Any], users: dict[str, Any]
) -> None:
    """The API's person read and search answer about the people asked for, and search
    finds only people the reader may see: Rowan, restricted, is never among them."""
    from django.test import Client

    from safehub.access.services import api_token_create

    token = api_token_create(actor=users[reader], user=users[reader], name="walk")
    api = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    read = api.get(f"/api/v1/persons/{family['amber'].pk}").content.decode()
    found = api.post(
        "/api/v1/persons/search", {"name": "Hiddleston"}, content_type="application/json"
    ).content.decode()
    for text in (read, found):
        assert _leaks(text, ROWAN) == []
        for key in ("sol", "pat"):
            if key not in SEES[reader]:
                assert _leaks(text, RELATIVES[key]) == []
