"""Nothing the referrer said is lost: a new record's form starts from what they told us, and
once people are linked the relationships, address and school they described are offered
for the worker to confirm, then written through the people services (policy, audit,
chronology). Nothing is written until the worker confirms."""

import html
from datetime import date, timedelta
from typing import Any

import pytest
from conftest import TEST_TODAY, make_person
from django.core.exceptions import ValidationError
from django.urls import reverse

from safehub.audit.models import AuditEvent
from safehub.chronology.models import ChronologyEntry
from safehub.frontdoor import services
from safehub.frontdoor.carry_over import contact_suggestions, described, person_prefill
from safehub.frontdoor.codes import described_in_words
from safehub.frontdoor.models import Contact, ContactSubject
from safehub.frontdoor.tests.factories import professional_submission
from safehub.people.models import Address, Person, PersonAddress, Relationship

pytestmark = pytest.mark.django_db


def _text(response: Any) -> str:
    return html.unescape(response.content.decode()).replace("\xa0", " ")


@pytest.mark.parametrize(
    ("words", "code"),
    [
        ("Mother", "mother"),
        ("mum", "mother"),
        ("Mum's boyfriend", "parents_partner"),
        ("mother’s partner", "parents_partner"),
        ("Nan", "grandparent"),
        ("Grandmother", "grandparent"),
        ("Stepdad", "step_parent"),
        ("step-mum", "step_parent"),
        ("Half-sister", "half_sibling"),
        ("stepbrother", "step_sibling"),
        ("older brother", "sibling"),
        ("Dad", "father"),
        ("Aunt", "other_relative"),
        ("Special guardian", "carer"),
        ("Mother's former partner", ""),
        ("mum's ex-boyfriend", ""),
        ("Class teacher", ""),
        ("", ""),
    ],
)
def test_a_relationship_in_the_referrers_words_is_read_as_a_code(words: str, code: str) -> None:
    assert described_in_words(words) == code


FAMILY = {
    "children": [
        {
            "given_name": "Amelia",
            "family_name": "Hart",
            "date_of_birth": "2015-04-03",
            "address_line_1": "4 Mill Lane",
            "town": "Testford",
            "postcode": "te1 4ab",
            "school": "Elm Primary School",
            "nhs_number": "943 476 5919",
        },
        {
            "given_name": "Oliver",
            "family_name": "Hart",
            "date_of_birth": "2012-09-01",
            "relationship_to_child": "sibling",
        },
    ],
    "adults": [
        {"given_name": "Dana", "family_name": "Hart", "relationship_to_child": "mother"},
        {"given_name": "Lee", "family_name": "Brown", "relationship": "Mum's partner"},
    ],
}


@pytest.fixture
def contact(users: Any) -> Contact:
    made, _ = services.contact_submit(
        actor=users["partner_practitioner"],
        channel="professional",
        data=professional_submission(**FAMILY),
    )
    return made


@pytest.fixture
def family(users: Any) -> dict[str, Person]:
    """The records already held: Amelia at an old address, her brother, her mother and the
    mother's partner, none related to each other yet."""
    amelia = make_person("Amelia", "Hart", date(2015, 4, 3))
    old = Address.objects.create(line_1="1 Old Road", town="Testford", postcode="TE2 2BB")
    PersonAddress.objects.create(person=amelia, address=old, start_date=date(2020, 1, 1))
    return {
        "amelia": amelia,
        "oliver": make_person("Oliver", "Hart", date(2012, 9, 1)),
        "dana": make_person("Dana", "Hart", date(1990, 2, 2), kind="adult"),
        "lee": make_person("Lee", "Brown", date(1988, 8, 8), kind="adult"),
    }


def _subject(contact: Contact, given: str) -> ContactSubject:
    return contact.subjects.get(given_name=given)


def _link_all(contact: Contact, family: dict[str, Person], actor: Any) -> None:
    for given, person in (
        ("Amelia", family["amelia"]),
        ("Oliver", family["oliver"]),
        ("Dana", family["dana"]),
        ("Lee", family["lee"]),
    ):
        services.contact_link_subject(
            actor=actor, contact=contact, subject=_subject(contact, given), person=person
        )


def _pairs() -> set[tuple[str, str, str]]:
    return {
        (r.subject.given_name, r.type, r.other.given_name)
        for r in Relationship.objects.select_related("subject", "other")
    }


def test_the_new_record_form_starts_from_everything_the_referrer_gave(
    users: Any, contact: Contact, client_for: Any
) -> None:
    subject = _subject(contact, "Amelia")
    data, address = person_prefill(contact=contact, subject=subject)
    assert data["kind"] == "child"
    assert (data["given_name"], data["family_name"]) == ("Amelia", "Hart")
    assert data["date_of_birth"] == date(2015, 4, 3)
    assert (data["school"], data["nhs_number"]) == ("Elm Primary School", "9434765919")
    assert address == {"line_1": "4 Mill Lane", "town": "Testford", "postcode": "TE1 4AB"}
    mother, _ = person_prefill(contact=contact, subject=_subject(contact, "Dana"))
    assert (mother["kind"], mother["sex"]) == ("adult", "F")

    before = Person.objects.count()
    page = _text(
        client_for("mash_worker").get(
            reverse("frontdoor:contact-new-person", args=[contact.reference, subject.pk])
        )
    )
    for shown in ("Amelia", "4 Mill Lane", "TE1 4AB", "Elm Primary School", "9434765919"):
        assert f'value="{shown}"' in page, shown
    assert Person.objects.count() == before  # the form saves nothing


def test_saving_the_checked_form_creates_and_links_the_record(
    users: Any, contact: Contact, client_for: Any
) -> None:
    subject = _subject(contact, "Amelia")
    client = client_for("mash_worker")
    url = reverse("frontdoor:contact-new-person", args=[contact.reference, subject.pk])
    response = client.post(
        url,
        {
            "kind": "child",
            "given_name": "Amelia",
            "family_name": "Hart",
            "date_of_birth-day": "3",
            "date_of_birth-month": "4",
            "date_of_birth-year": "2015",
            "sex": "F",
            "ethnicity": "NOBT",
            "gender_current": "0",
            "nhs_number": "9434765919",
            "school": "Elm Primary School",
            "line_1": "4 Mill Lane",
            "town": "Testford",
            "postcode": "TE1 4AB",
        },
    )
    assert response.status_code == 302, _text(response)[:3000]
    subject.refresh_from_db()
    person = subject.person
    assert person is not None
    assert (person.school, person.nhs_number, person.sex) == (
        "Elm Primary School",
        "9434765919",
        "F",
    )
    lives = person.addresses.get(end_date=None).address
    assert (lives.line_1, lives.postcode) == ("4 Mill Lane", "TE1 4AB")


def test_the_form_refuses_in_plain_english_and_saves_nothing(
    users: Any, contact: Contact, client_for: Any
) -> None:
    subject = _subject(contact, "Oliver")
    before = Person.objects.count()
    response = client_for("mash_worker").post(
        reverse("frontdoor:contact-new-person", args=[contact.reference, subject.pk]),
        {"kind": "child", "given_name": "Oliver", "family_name": "", "postcode": "not one"},
    )
    assert response.status_code == 200
    page = _text(response)
    assert "Enter a last name" in page
    assert Person.objects.count() == before


def test_linking_writes_nothing_the_referrer_said_until_the_worker_confirms(
    users: Any, contact: Contact, family: dict[str, Person]
) -> None:
    mash = users["mash_worker"]
    _link_all(contact, family, mash)
    assert not Relationship.objects.exists()
    family["amelia"].refresh_from_db()
    assert family["amelia"].school == ""
    assert family["amelia"].addresses.get(end_date=None).address.postcode == "TE2 2BB"

    offered = {s.key: s for s in contact_suggestions(actor=mash, contact=contact)}
    a, o, d, lee = (family[k].pk for k in ("amelia", "oliver", "dana", "lee"))
    assert set(offered) == {
        f"relationship:{d}:parent:{a}",
        f"relationship:{o}:sibling:{a}",
        f"relationship:{lee}:partner:{d}",
        f"relationship:{d}:parent:{o}",  # Amelia's mother is her full brother's mother too
        f"address:{_subject(contact, 'Amelia').pk}",
        f"school:{_subject(contact, 'Amelia').pk}",
    }
    assert offered[f"relationship:{d}:parent:{a}"].change == "Dana Hart is Amelia Hart’s parent"
    assert "mother" in offered[f"relationship:{d}:parent:{a}"].said
    assert offered[f"address:{_subject(contact, 'Amelia').pk}"].record.startswith("1 Old Road")


def test_confirming_one_suggestion_records_that_one_with_audit_and_chronology(
    users: Any, contact: Contact, family: dict[str, Person]
) -> None:
    mash = users["mash_worker"]
    _link_all(contact, family, mash)
    dana, amelia = family["dana"], family["amelia"]
    key = f"relationship:{dana.pk}:parent:{amelia.pk}"
    result = services.contact_carry_over(actor=mash, contact=contact, keys=[key])
    assert result.recorded == [key]
    assert _pairs() == {("Dana", "parent", "Amelia"), ("Amelia", "child", "Dana")}
    for person in (dana, amelia):
        assert AuditEvent.objects.filter(
            actor=mash, action="change", person_id=person.pk, detail__fields=["relationships"]
        ).exists()
        assert ChronologyEntry.objects.filter(
            links__person=person, event_type="RELATIONSHIP_RECORDED"
        ).exists()
    assert AuditEvent.objects.filter(
        action="change", object_id=contact.reference, detail__step="carry_over"
    ).exists()
    # What is recorded is no longer offered; the rest still are.
    keys = {s.key for s in contact_suggestions(actor=mash, contact=contact)}
    assert key not in keys
    assert len(keys) == 5


def test_confirming_all_carries_relationships_address_and_school_into_the_records(
    users: Any, contact: Contact, family: dict[str, Person]
) -> None:
    mash = users["mash_worker"]
    _link_all(contact, family, mash)
    result = services.contact_carry_over(actor=mash, contact=contact)
    assert len(result.recorded) == 6
    assert not result.refused
    assert {
        ("Dana", "parent", "Amelia"),
        ("Dana", "parent", "Oliver"),
        ("Oliver", "sibling", "Amelia"),
        ("Amelia", "sibling", "Oliver"),
        ("Lee", "partner", "Dana"),
        ("Dana", "partner", "Lee"),
    } <= _pairs()
    amelia = Person.objects.get(pk=family["amelia"].pk)
    assert amelia.school == "Elm Primary School"
    now = amelia.addresses.get(end_date=None)
    assert (now.address.line_1, now.address.postcode) == ("4 Mill Lane", "TE1 4AB")
    assert now.start_date == TEST_TODAY  # from the day the referral came in
    events = set(
        ChronologyEntry.objects.filter(links__person=amelia).values_list("event_type", flat=True)
    )
    assert {"ADDRESS_CHANGED", "PERSON_DETAILS_CHANGED", "RELATIONSHIP_RECORDED"} <= events
    assert contact_suggestions(actor=mash, contact=contact) == []


def test_what_the_records_already_say_is_not_offered_again(
    users: Any, contact: Contact, family: dict[str, Person]
) -> None:
    from safehub.people.services import person_move, relationship_create

    mash = users["mash_worker"]
    relationship_create(
        actor=mash, subject=family["dana"], other=family["amelia"], type="step_parent"
    )
    person_move(
        actor=mash,
        person=family["amelia"],
        address={"line_1": "4 mill lane", "town": "Testford", "postcode": "TE14AB"},
        start_date=TEST_TODAY - timedelta(days=3),
    )
    _link_all(contact, family, mash)
    kinds = {
        (s.kind, s.person.given_name) for s in contact_suggestions(actor=mash, contact=contact)
    }
    assert ("address", "Amelia") not in kinds  # the same place, written differently
    # Dana and Amelia are related in the records already (however that is recorded).
    keys = {s.key for s in contact_suggestions(actor=mash, contact=contact)}
    assert f"relationship:{family['dana'].pk}:parent:{family['amelia'].pk}" not in keys


def test_an_address_that_cannot_be_recorded_from_here_says_why(users: Any) -> None:
    mash = users["mash_worker"]
    made, _ = services.contact_submit(
        actor=users["partner_practitioner"],
        channel="professional",
        data=professional_submission(),  # a postcode, no street
    )
    child = make_person("Amelia", "Hart", date(2015, 4, 3))
    services.contact_link_subject(
        actor=mash, contact=made, subject=made.subjects.get(role="child"), person=child
    )
    address = next(s for s in contact_suggestions(actor=mash, contact=made) if s.kind == "address")
    assert not address.actionable
    assert "did not give the whole address" in address.blocked
    with pytest.raises(ValidationError):
        services.contact_carry_over(actor=mash, contact=made, keys=[address.key])
    assert not child.addresses.exists()


def test_one_the_records_refuse_is_reported_and_the_rest_recorded(
    users: Any, contact: Contact, family: dict[str, Person]
) -> None:
    mash = users["mash_worker"]
    # The record of "Dana" says she was born after Amelia: she cannot be her parent.
    Person.objects.filter(pk=family["dana"].pk).update(date_of_birth=date(2016, 1, 1))
    _link_all(contact, family, mash)
    result = services.contact_carry_over(actor=mash, contact=contact)
    key = f"relationship:{family['dana'].pk}:parent:{family['amelia'].pk}"
    assert "must be born before" in result.refused[key]
    assert ("Dana", "parent", "Amelia") not in _pairs()
    assert ("Oliver", "sibling", "Amelia") in _pairs()


def test_people_the_worker_may_not_see_are_never_suggested_or_written(
    users: Any, contact: Contact, family: dict[str, Person]
) -> None:
    mash = users["mash_worker"]
    _link_all(contact, family, mash)
    Person.objects.filter(pk=family["dana"].pk).update(is_restricted=True)
    offered = contact_suggestions(actor=mash, contact=contact)
    assert all(
        family["dana"].pk not in (s.person.pk, getattr(s.other, "pk", None)) for s in offered
    )
    services.contact_carry_over(actor=mash, contact=contact)
    assert not any("Dana" in pair for pair in _pairs())
    # A team manager sees only their team's people: nobody here, so nothing to confirm.
    with pytest.raises(ValidationError):
        services.contact_carry_over(actor=users["team_manager"], contact=contact)


def test_the_contact_page_offers_each_suggestion_and_confirm_all(
    users: Any, contact: Contact, family: dict[str, Person], client_for: Any
) -> None:
    _link_all(contact, family, users["mash_worker"])
    client = client_for("mash_worker")
    page = _text(client.get(reverse("frontdoor:contact-detail", args=[contact.reference])))
    assert "What the referrer told us that the records do not say" in page
    assert "Dana Hart is Amelia Hart’s parent" in page
    assert "Amelia Hart’s school or nursery is Elm Primary School" in page
    assert "Confirm all 6" in page
    assert not Relationship.objects.exists()  # showing them writes nothing
    url = reverse("frontdoor:contact-carry-over", args=[contact.reference])
    key = f"school:{_subject(contact, 'Amelia').pk}"
    assert client.post(url, {"suggestion": key}).status_code == 302
    assert Person.objects.get(pk=family["amelia"].pk).school == "Elm Primary School"
    assert not Relationship.objects.exists()
    assert client.post(url, {"all": "1"}).status_code == 302
    assert ("Dana", "parent", "Amelia") in _pairs()
    again = client.post(url, {"all": "1"})
    assert "There is nothing left to record" in _text(again)


def test_the_unborn_baby_gets_a_record_linked_to_the_mother(users: Any, client_for: Any) -> None:
    due = TEST_TODAY + timedelta(weeks=10)
    made, _ = services.contact_submit(
        actor=users["partner_practitioner"],
        channel="professional",
        data=professional_submission(
            children=[{"expected_date_of_birth": due.isoformat(), "postcode": "TE1 4AB"}],
            adults=[{"given_name": "Dana", "family_name": "Hart", "relationship": "Mother"}],
        ),
    )
    baby = made.subjects.get(role="child")
    data, _address = person_prefill(contact=made, subject=baby)
    assert (data["kind"], data["given_name"], data["family_name"]) == ("unborn", "Unborn", "Hart")
    assert data["expected_date_of_birth"] == due
    mother_subject = made.subjects.get(role="adult")
    assert described(mother_subject) == "mother"
    # The baby lives where the mother does: the address given is hers too.
    assert person_prefill(contact=made, subject=mother_subject)[1]["postcode"] == "TE1 4AB"
    mash = users["mash_worker"]
    client = client_for("mash_worker")
    response = client.post(
        reverse("frontdoor:contact-new-person", args=[made.reference, baby.pk]),
        {
            "kind": "unborn",
            "given_name": "Unborn",
            "family_name": "Hart",
            "expected_date_of_birth-day": str(due.day),
            "expected_date_of_birth-month": str(due.month),
            "expected_date_of_birth-year": str(due.year),
            "sex": "U",
        },
    )
    assert response.status_code == 302, _text(response)[:3000]
    unborn = Person.objects.get(kind="unborn")
    assert unborn.expected_date_of_birth == due
    mother = make_person("Dana", "Hart", date(1990, 2, 2), kind="adult")
    services.contact_link_subject(
        actor=mash, contact=made, subject=made.subjects.get(role="adult"), person=mother
    )
    services.contact_carry_over(actor=mash, contact=made)
    assert ("Dana", "parent", "Unborn") in _pairs()
