"""Write a CIN census file one child at a time (lxml's incremental writer), so a county's
census never sits in memory as one tree. A child is a plain dict keyed by the element names
in `spec.py`, groups as dicts (or lists of dicts where they repeat); the writer walks the
spec, so the order of elements is always the XSD's."""

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import IO, Any

from lxml import etree

from safehub.returns.cin.spec import CHILD, HEADER, ROOT, Group, Leaf

Record = Mapping[str, Any]


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.replace(microsecond=0, tzinfo=None).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _empty(value: Any) -> bool:
    """Nothing to write: no value, or a group whose every part is empty (an element with
    nothing inside would break the schema, e.g. <Reviews/>)."""
    if type(value) is dict:
        return all(_empty(v) for v in value.values())
    return value is None or value == [] or value == ""


def _fill(parent: etree._Element, group: Group, record: Record) -> None:
    for part in group.parts:
        value: Any = record.get(part.name)
        if _empty(value):
            continue
        items = value if part.repeats else [value]
        for item in items:
            if _empty(item):
                continue
            if isinstance(part, Leaf):
                etree.SubElement(parent, part.name).text = _text(item)
            else:
                _fill(etree.SubElement(parent, part.name), part, item)


def child_element(child: Record) -> etree._Element:
    element = etree.Element(CHILD.name)
    _fill(element, CHILD, child)
    return element


def write_census(out: IO[bytes], header: Record, children: Iterable[Record]) -> int:
    """Write the census to `out` (a binary file); the number of children written."""
    count = 0
    with etree.xmlfile(out, encoding="UTF-8") as xf:
        xf.write_declaration()
        with xf.element(ROOT):
            header_element = etree.Element(HEADER.name)
            _fill(header_element, HEADER, header)
            xf.write(header_element, pretty_print=True)
            with xf.element("Children"):
                for child in children:
                    xf.write(child_element(child), pretty_print=True)
                    count += 1
    return count
