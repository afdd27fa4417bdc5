"""Loading: the planned rows into the database, table by table."""

from typing import Any

from safehub.demo.generator.casework_records.rows import COUNTED, ENTRY, LINK, TABLES, Row, Table
from safehub.demo.generator.organisations import COUNCIL
from safehub.demo.generator.plan import PlannedFamily
from safehub.frontdoor.models import Contact


def write_casework(
    loader: Any, planned: list[tuple[PlannedFamily, list[int]]], involvement_ids: list[int]
) -> None:
    """Insert the batch's casework rows, table by table in dependency order, with the
    loader's writer (COPY on PostgreSQL)."""
    users, teams = loader.users, loader.teams
    council = loader.agencies[COUNCIL]
    involvements: dict[int, int] = {}
    position = 0
    for fam, _ in planned:
        for v in fam.involvements:
            involvements[id(v)] = involvement_ids[position]
            position += 1
    references = [c.reference for fam, _ in planned for c in fam.contacts]
    contacts = (
        dict(Contact.objects.filter(reference__in=references).values_list("reference", "pk"))
        if references
        else {}
    )
    by_table: dict[Table, list[tuple[Row, list[int]]]] = {t: [] for t in TABLES}
    for fam, pks in planned:
        work = getattr(fam, "casework", None)
        if work is None:
            continue
        for row in work.rows:
            by_table[row.table].append((row, pks))

    def resolve(kind: str, value: Any, pks: list[int]) -> Any:
        if kind == "v":
            return value
        if kind == "p":
            return pks[value]
        if kind == "u":
            return users[value] if value else None
        if kind == "r":
            return value.pk if value is not None else None
        if kind == "s":
            return str(value.pk)
        if kind == "t":
            return teams[value]
        if kind == "c":
            return contacts[value.reference] if value is not None else None
        if kind == "i":
            return involvements[id(value)]
        return council  # "a"

    counts = loader.counts
    for table in TABLES:
        items = by_table[table]
        if not items:
            continue
        kinds = table.kinds
        rows = [
            tuple(
                v if k == "v" else resolve(k, v, pks)
                for k, v in zip(kinds, row.values, strict=True)
            )
            for row, pks in items
        ]
        ids = loader.writer.insert(table.model, table.names, rows)
        for (row, _), pk in zip(items, ids, strict=True):
            row.pk = pk
        if table in COUNTED:
            counts[COUNTED[table]] = counts.get(COUNTED[table], 0) + len(ids)
        elif table is ENTRY:
            counts["entries"] += len(ids)
        elif table is LINK:
            counts["links"] += len(ids)
