"""The family network diagram puts each relative in the right generation with the right
label, read from this person's point of view."""

from datetime import date

from conftest import allocate, make_person

from safehub.people.network import build_network
from safehub.people.selectors import person_profile
from safehub.people.services import relationship_create


def test_parents_above_children_below_siblings_beside(users, people):
    child = make_person("Chloe", "Pope", date(2016, 1, 1))
    mother = make_person("Gina", "Pope", date(1990, 1, 1), kind="adult")
    baby = make_person("Ivy", "Pope", date(2024, 1, 1))
    stepdad = make_person("Alex", "Stan", date(1987, 1, 1), kind="adult")
    actor = users["social_worker"]
    for person in (child, mother, baby, stepdad):
        allocate(person, actor)
    relationship_create(actor=actor, subject=mother, other=child, type="parent")
    relationship_create(actor=actor, subject=child, other=baby, type="half_sibling")
    relationship_create(actor=actor, subject=stepdad, other=child, type="step_parent")
    network = build_network(child, person_profile(actor=actor, person=child).relationships)
    nodes = {n.name: n for n in network.nodes}
    centre = nodes["Chloe Pope"]
    assert nodes["Gina Pope"].label == "Parent"
    assert nodes["Gina Pope"].y < centre.y
    assert nodes["Alex Stan"].label == "Step-parent"
    assert nodes["Alex Stan"].y < centre.y
    assert nodes["Alex Stan"].dashed
    assert nodes["Ivy Pope"].label == "Half-sibling"
    assert nodes["Ivy Pope"].y == centre.y
    from_mother = build_network(mother, person_profile(actor=actor, person=mother).relationships)
    chloe = next(n for n in from_mother.nodes if n.name == "Chloe Pope")
    assert chloe.label == "Child"
    assert chloe.y > from_mother.centre.y
