"""Lays out a person's family network as rows by generation, for the SVG diagram on the
person page. Pure arithmetic: no queries, no markup."""

from collections.abc import Iterable
from dataclasses import dataclass

from safehub.people.codes import INVERSE
from safehub.people.codes import RelationshipType as T
from safehub.people.models import Person
from safehub.people.selectors import Relative

GENERATION = {
    T.GRANDPARENT: -2,
    T.PARENT: -1,
    T.STEP_PARENT: -1,
    T.CARER: -1,
    T.SIBLING: 0,
    T.HALF_SIBLING: 0,
    T.STEP_SIBLING: 0,
    T.PARTNER: 0,
    T.HOUSEHOLD_MEMBER: 0,
    T.OTHER_RELATIVE: 0,
    T.CHILD: 1,
    T.STEP_CHILD: 1,
    T.CARED_FOR: 1,
    T.GRANDCHILD: 2,
}
BOX_W, BOX_H, GAP_X, GAP_Y, MARGIN = 170, 56, 20, 50, 10


@dataclass
class Node:
    person_id: int | None  # None: a relative the reader may not see (no link, no name)
    name: str
    label: str
    x: int
    y: int
    is_centre: bool = False
    dashed: bool = False  # step, half and non-family relations


@dataclass
class Network:
    nodes: list[Node]
    width: int
    height: int
    centre: Node

    def edges(self) -> list[tuple[int, int, int, int, bool]]:
        cx, cy = self.centre.x + BOX_W // 2, self.centre.y + BOX_H // 2
        return [
            (cx, cy, n.x + BOX_W // 2, n.y + BOX_H // 2, n.dashed)
            for n in self.nodes
            if not n.is_centre
        ]


def build_network(person: Person, relationships: Iterable[Relative]) -> Network:
    rows: dict[int, list[Node]] = {}
    centre = Node(person.pk, person.full_name, "This person", 0, 0, is_centre=True)
    rows.setdefault(0, []).append(centre)
    for rel in relationships:
        if rel.end_date is not None:
            continue
        # A row reads "this person is <type> of other", so the other person is this
        # person's INVERSE[type]: this person is a child of a parent.
        role = T(INVERSE[rel.type])
        generation = GENERATION.get(role, 0)
        dashed = role not in (T.PARENT, T.CHILD, T.SIBLING, T.PARTNER)
        rows.setdefault(generation, []).append(
            Node(rel.person_id, rel.name, role.label, 0, 0, dashed=dashed)
        )
    # Put the centre in the middle of its row.
    row0 = rows[0]
    row0.remove(centre)
    row0.insert(len(row0) // 2, centre)
    widest = max(len(r) for r in rows.values())
    width = MARGIN * 2 + widest * BOX_W + (widest - 1) * GAP_X
    generations = sorted(rows)
    for index, generation in enumerate(generations):
        row = rows[generation]
        row_width = len(row) * BOX_W + (len(row) - 1) * GAP_X
        start = (width - row_width) // 2
        for position, node in enumerate(row):
            node.x = start + position * (BOX_W + GAP_X)
            node.y = MARGIN + index * (BOX_H + GAP_Y)
    height = MARGIN * 2 + len(generations) * BOX_H + (len(generations) - 1) * GAP_Y
    nodes = [n for g in generations for n in rows[g]]
    return Network(nodes=nodes, width=width, height=height, centre=centre)
