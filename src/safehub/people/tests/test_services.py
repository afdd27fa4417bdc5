"""Person and relationship services against the real database: each change is saved whole
with its audit row and chronology entry, or refused in plain English with nothing saved."""

from datetime import date
from typing import Any

import pytest
from conftest import allocate, make_person
from django.core.exceptions import ValidationError

from safehub.access.models import Involvement
from safehub.audit.models import AuditEvent
from safehub.chronology.models import ChronologyEntry, ChronologyLink
from safehub.core.exceptions import ConcurrentEditError
from safehub.core.identifiers import NHS_NUMBER_ERROR
from safehub.people import events, services
from safehub.people.codes import INVERSE, NameKind, RelationshipType
from safehub.people.models import Address, Person, PersonAddress, PersonName, Relationship
from safehub.people.selectors import SearchCriteria, person_search

pytestmark = pytest.mark.django_db

ROWS = (
    Person,
    PersonName,
    AuditEvent,
    ChronologyEntry,
    ChronologyLink,
    Involvement,
    Address,
    PersonAddress,
    Relationship,
)


def row_counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in ROWS}


def new_child(**changes: Any) -> dict[str, Any]:
    return {
        "kind": "child",
        "given_name": "Leo",
        "family_name": "Marsh",
        "date_of_birth": date(2018, 7, 14),
        "sex": "M",
        **changes,
    }


ADDRESS = {"line_1": "1 Mill Lane", "town": "Testford", "postcode": "tf1 1aa"}


# --- person_create -----------------------------------------------------------------------


def test_creating_a_person_with_an_invalid_nhs_number_saves_nothing_at_all(users):
    before = row_counts()
    with pytest.raises(ValidationError) as refused:
        services.person_create(
            actor=users["mash_worker"], data=new_child(nhs_number="943 476 5918"), address=ADDRESS
        )
    assert refused.value.message_dict == {"nhs_number": [NHS_NUMBER_ERROR]}
    assert row_counts() == before
    assert not Person.objects.filter(family_name="Marsh").exists()


def test_creating_a_person_with_an_nhs_number_already_in_use_saves_nothing(users, people):
    before = row_counts()
    with pytest.raises(ValidationError) as refused:
        services.person_create(
            actor=users["mash_worker"], data=new_child(nhs_number="943 476 5919")
        )
    assert refused.value.message_dict == {
        "nhs_number": ["Another person's record already has this NHS number"]
    }
    assert row_counts() == before


def test_creating_a_person_with_a_bad_postcode_saves_nothing(users):
    before = row_counts()
    with pytest.raises(ValidationError) as refused:
        services.person_create(
            actor=users["mash_worker"], data=new_child(), address={**ADDRESS, "postcode": "Q1 1AA"}
        )
    assert refused.value.message_dict == {"postcode": ["Enter a full UK postcode, like SW1A 1AA"]}
    assert row_counts() == before


def test_creating_a_person_writes_one_audit_row_and_one_chronology_entry(users):
    actor = users["mash_worker"]
    audit_before, entries_before = AuditEvent.objects.count(), ChronologyEntry.objects.count()
    person = services.person_create(
        actor=actor, data=new_child(nhs_number="9434765919"), address=ADDRESS
    )

    audit = list(AuditEvent.objects.order_by("pk")[audit_before:])
    assert [(a.action, a.person_id, a.actor_id, a.object_id) for a in audit] == [
        ("create", person.pk, actor.pk, str(person.pk))
    ]

    entries = list(ChronologyEntry.objects.order_by("pk")[entries_before:])
    assert len(entries) == 1
    assert entries[0].event_type == events.PERSON_CREATED
    assert entries[0].summary == "Record created for Leo Marsh"
    assert list(
        ChronologyLink.objects.filter(entry=entries[0]).values_list("person_id", flat=True)
    ) == [person.pk]

    stored = Person.objects.get(pk=person.pk)
    assert (stored.nhs_number, stored.version, stored.created_by_id) == ("9434765919", 1, actor.pk)
    assert list(stored.names.values_list("kind", "family_name")) == [("current", "Marsh")]
    assert stored.addresses.get().address.postcode == "TF1 1AA"
    # The recording team keeps sight of the person it recorded.
    assert Involvement.objects.filter(person=person, team=actor.team).exists()


# --- person_update -----------------------------------------------------------------------


def test_a_corrected_date_of_birth_is_the_one_an_age_search_finds(users):
    """Each name carries its person's birthday for search (ADR 0031), so a correction must
    reach every name: Leo, born 2018 (8), is corrected to 2012 (14)."""
    actor = users["mash_worker"]
    person = services.person_create(actor=actor, data=new_child())
    services.person_name_add(
        actor=actor, person=person, kind=NameKind.ALIAS, given_name="Lee", family_name="Marsh"
    )

    services.person_update(
        actor=actor, person=person, expected_version=1, data={"date_of_birth": date(2012, 7, 14)}
    )

    assert set(PersonName.objects.filter(person=person).values_list("born", flat=True)) == {
        date(2012, 7, 14)
    }
    as_fourteen = person_search(actor=actor, criteria=SearchCriteria(name="Leo", age=14))
    assert [r.person.pk for r in as_fourteen] == [person.pk]
    assert "Age is about the age given" in as_fourteen[0].reasons
    as_eight = person_search(actor=actor, criteria=SearchCriteria(name="Leo", age=8))
    assert person.pk not in [r.person.pk for r in as_eight]


def test_a_changed_last_name_is_kept_as_a_former_name_and_search_still_finds_it(users):
    actor = users["mash_worker"]
    person = services.person_create(actor=actor, data=new_child())
    audit_before = AuditEvent.objects.count()

    person, changed = services.person_update(
        actor=actor, person=person, expected_version=1, data={"family_name": "Okafor"}
    )

    assert changed == ["family_name"]
    assert Person.objects.get(pk=person.pk).family_name == "Okafor"
    assert Person.objects.get(pk=person.pk).version == 2
    names = {(n.kind, n.family_name) for n in PersonName.objects.filter(person=person)}
    assert names == {(NameKind.CURRENT, "Okafor"), (NameKind.FORMER, "Marsh")}
    change = AuditEvent.objects.order_by("pk")[audit_before]
    assert (change.action, change.detail) == ("change", {"fields": ["family_name"]})

    found = person_search(actor=actor, criteria=SearchCriteria(name="Marsh"))
    assert [r.person.pk for r in found] == [person.pk]
    assert "Former name: Leo Marsh" in found[0].reasons
    assert [
        r.person.pk for r in person_search(actor=actor, criteria=SearchCriteria(name="Leo Okafor"))
    ] == [person.pk]


def test_a_changed_first_name_replaces_the_current_name_without_keeping_a_former_one(users):
    actor = users["mash_worker"]
    person = services.person_create(actor=actor, data=new_child())
    services.person_update(
        actor=actor, person=person, expected_version=1, data={"given_name": "Leon"}
    )
    assert list(
        PersonName.objects.filter(person=person).values_list("kind", "given_name", "family_name")
    ) == [("current", "Leon", "Marsh")]


def test_an_update_from_a_stale_version_is_refused_and_changes_nothing(users):
    actor = users["mash_worker"]
    person = services.person_create(actor=actor, data=new_child())
    services.person_update(
        actor=actor, person=person, expected_version=1, data={"given_name": "Leon"}
    )
    before = row_counts()
    with pytest.raises(ConcurrentEditError) as refused:
        services.person_update(
            actor=actor,
            person=Person.objects.get(pk=person.pk),
            expected_version=1,
            data={"family_name": "Okafor"},
        )
    assert refused.value.current.version == 2
    stored = Person.objects.get(pk=person.pk)
    assert (stored.family_name, stored.version) == ("Marsh", 2)
    assert row_counts() == before


def test_an_invalid_update_is_refused_in_plain_english_and_changes_nothing(users):
    actor = users["mash_worker"]
    person = services.person_create(actor=actor, data=new_child())
    before = row_counts()
    with pytest.raises(ValidationError) as refused:
        services.person_update(
            actor=actor,
            person=person,
            expected_version=1,
            data={"family_name": "M4rsh", "date_of_birth": date(2999, 1, 1)},
        )
    assert set(refused.value.message_dict) == {"family_name", "date_of_birth"}
    assert Person.objects.get(pk=person.pk).family_name == "Marsh"
    assert row_counts() == before


# --- relationships -----------------------------------------------------------------------


@pytest.fixture
def family(users: Any) -> dict[str, Person]:
    """A family allocated to the social worker, so they may change every member."""
    family = {
        "mum": make_person("Grace", "Marsh", date(1990, 2, 1), kind="adult"),
        "gran": make_person("Edna", "Marsh", date(1960, 3, 3), kind="adult"),
        "leo": make_person("Leo", "Marsh", date(2018, 7, 14)),
        "sister": make_person("Ivy", "Marsh", date(2020, 1, 9)),
        "unborn": make_person(
            "Baby", "Marsh", None, kind="unborn", expected_date_of_birth=date(2026, 9, 1)
        ),
        "adult_a": make_person("Alex", "Penn", None, kind="adult"),
        "adult_b": make_person("Sam", "Penn", None, kind="adult"),
    }
    for person in family.values():
        allocate(person, users["social_worker"])
    return family


@pytest.mark.parametrize(
    ("subject", "other", "type"),
    [
        ("mum", "leo", RelationshipType.PARENT),
        ("leo", "mum", RelationshipType.CHILD),
        ("gran", "leo", RelationshipType.GRANDPARENT),
        ("leo", "sister", RelationshipType.SIBLING),
        ("gran", "sister", RelationshipType.CARER),
        ("adult_a", "adult_b", RelationshipType.PARTNER),
    ],
)
def test_a_relationship_is_stored_in_both_directions_as_one_pair(
    users, family, subject, other, type
):
    a, b = family[subject], family[other]
    services.relationship_create(actor=users["social_worker"], subject=a, other=b, type=type)
    forward = Relationship.objects.get(subject=a, other=b)
    backward = Relationship.objects.get(subject=b, other=a)
    assert (forward.type, backward.type) == (type, INVERSE[type])
    assert forward.pair_key == backward.pair_key
    assert forward.end_date is None
    assert backward.end_date is None
    # One entry on each person's timeline, from their side, naming neither.
    entries = {
        link.person_id: link.entry.summary
        for link in ChronologyLink.objects.filter(
            entry__event_type=events.RELATIONSHIP_RECORDED
        ).select_related("entry")
    }
    assert entries == {
        a.pk: f"{RelationshipType(INVERSE[type]).label} added to the family network",
        b.pk: f"{RelationshipType(type).label} added to the family network",
    }


def test_parental_responsibility_is_recorded_only_on_the_parents_side(users, family):
    services.relationship_create(
        actor=users["social_worker"],
        subject=family["leo"],
        other=family["mum"],
        type=RelationshipType.CHILD,
        has_parental_responsibility=True,
    )
    assert Relationship.objects.get(subject=family["mum"]).has_parental_responsibility
    assert not Relationship.objects.get(subject=family["leo"]).has_parental_responsibility


def _refused(
    users: dict[str, Any], subject: Person, other: Person, type: str
) -> dict[str, list[str]]:
    before = row_counts()
    with pytest.raises(ValidationError) as refused:
        services.relationship_create(
            actor=users["social_worker"], subject=subject, other=other, type=type
        )
    assert row_counts() == before, "a refused relationship must leave nothing saved"
    return refused.value.message_dict


def test_a_person_cannot_be_their_own_parent(users, family):
    assert _refused(users, family["leo"], family["leo"], RelationshipType.PARENT) == {
        "other": ["A person cannot be related to themselves"]
    }


@pytest.mark.parametrize(("older", "younger"), [("leo", "mum"), ("leo", "leo_twin")])
def test_a_parent_must_be_born_before_their_child(users, family, older, younger):
    family["leo_twin"] = make_person("Max", "Marsh", date(2018, 7, 14))
    allocate(family["leo_twin"], users["social_worker"])
    assert _refused(users, family[older], family[younger], RelationshipType.PARENT) == {
        "type": ["A parent must be born before the person they are parent of"]
    }


def test_a_child_recorded_as_parent_of_their_own_parent_is_refused_from_either_side(users, family):
    a, b = family["adult_a"], family["adult_b"]
    services.relationship_create(
        actor=users["social_worker"], subject=b, other=a, type=RelationshipType.PARENT
    )
    message = {"type": ["Sam Penn is already recorded as an older generation of Alex Penn"]}
    assert _refused(users, a, b, RelationshipType.PARENT) == message
    # The same loop asked the other way round ("B is child of A").
    assert _refused(users, b, a, RelationshipType.CHILD) == message


def test_a_loop_through_three_generations_is_refused_without_dates_of_birth(users):
    a, b, c = (
        make_person(given, "Rowe", born=None, kind="adult") for given in ("Ash", "Bo", "Cal")
    )
    sw = users["social_worker"]
    for person in (a, b, c):
        allocate(person, sw)
    services.relationship_create(actor=sw, subject=a, other=b, type=RelationshipType.PARENT)
    services.relationship_create(actor=sw, subject=b, other=c, type=RelationshipType.STEP_PARENT)
    message = {"type": ["Ash Rowe is already recorded as an older generation of Cal Rowe"]}
    assert _refused(users, c, a, RelationshipType.PARENT) == message
    assert _refused(users, a, c, RelationshipType.CHILD) == message
    # Siblings and other same-generation ties are not a loop.
    services.relationship_create(actor=sw, subject=c, other=a, type=RelationshipType.OTHER_RELATIVE)


def test_an_unborn_child_cannot_be_a_parent(users, family):
    assert _refused(users, family["unborn"], family["leo"], RelationshipType.PARENT) == {
        "type": ["An unborn child cannot be a parent"]
    }
    assert _refused(users, family["mum"], family["unborn"], RelationshipType.CHILD) == {
        "type": ["An unborn child cannot be a parent"]
    }


def test_the_same_open_relationship_cannot_be_recorded_twice(users, family):
    services.relationship_create(
        actor=users["social_worker"],
        subject=family["leo"],
        other=family["sister"],
        type=RelationshipType.SIBLING,
    )
    assert _refused(users, family["leo"], family["sister"], RelationshipType.SIBLING) == {
        "type": ["This relationship is already recorded"]
    }


def test_ending_a_relationship_ends_both_directions(users, family):
    actor = users["social_worker"]
    services.relationship_create(
        actor=actor,
        subject=family["mum"],
        other=family["leo"],
        type=RelationshipType.PARENT,
        start_date=date(2018, 7, 14),
    )
    # End it from the child's side: the parent's row must end too.
    row = Relationship.objects.get(subject=family["leo"])
    services.relationship_end(
        actor=actor, person=family["leo"], relationship_id=row.pk, end_date=date(2025, 1, 31)
    )
    assert (
        list(Relationship.objects.filter(pair_key=row.pair_key).values_list("end_date", flat=True))
        == [date(2025, 1, 31)] * 2
    )
    assert set(
        ChronologyEntry.objects.filter(event_type=events.RELATIONSHIP_ENDED).values_list(
            "summary", flat=True
        )
    ) == {"Parent relationship ended", "Child relationship ended"}
    with pytest.raises(ValidationError) as refused:
        services.relationship_end(
            actor=actor,
            person=family["mum"],
            relationship_id=Relationship.objects.get(subject=family["mum"]).pk,
            end_date=None,
        )
    assert refused.value.message_dict == {"relationship": ["That relationship is not open"]}


def test_a_relationship_cannot_end_before_it_started(users, family):
    actor = users["social_worker"]
    services.relationship_create(
        actor=actor,
        subject=family["mum"],
        other=family["leo"],
        type=RelationshipType.PARENT,
        start_date=date(2018, 7, 14),
    )
    row = Relationship.objects.get(subject=family["mum"])
    with pytest.raises(ValidationError) as refused:
        services.relationship_end(
            actor=actor, person=family["mum"], relationship_id=row.pk, end_date=date(2018, 7, 13)
        )
    assert refused.value.message_dict == {"end_date": ["End date must be after the start date"]}
    assert not Relationship.objects.filter(end_date__isnull=False).exists()
