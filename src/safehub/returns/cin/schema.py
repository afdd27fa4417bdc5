"""The CIN census XSD, written from `spec.py` (no published XSD for 2024-25 or later ships in
the domain files; the tree and code sets come from shared/domain/reference.md section 1).
`schema_text(year)` is what `xsd/cin_YYYY_YY.xsd` holds, a test keeps the files current, and
`load_schema(year)` compiles the file for the validator."""

from functools import cache
from pathlib import Path
from xml.sax.saxutils import quoteattr

from lxml import etree

from safehub.returns.cin.spec import CHILD, CODE_SETS, HEADER, ROOT, YEARS, YES_NO, Group, Leaf

XSD_DIR = Path(__file__).parent / "xsd"

# The restrictions of the base types (see spec.py); code sets become enumerations.
_BASE = {
    "date": '<xs:restriction base="xs:date"/>',
    "datetime": '<xs:restriction base="xs:dateTime"/>',
    "int": '<xs:restriction base="xs:nonNegativeInteger"/>',
    "text": '<xs:restriction base="xs:string"><xs:maxLength value="100"/></xs:restriction>',
    "childid": '<xs:restriction base="xs:string"><xs:minLength value="1"/>'
    '<xs:maxLength value="50"/></xs:restriction>',
    "upn": '<xs:restriction base="xs:string">'
    '<xs:pattern value="[A-Z][0-9]{12}|[A-Z][0-9]{11}[A-Z]"/></xs:restriction>',
    "year": '<xs:restriction base="xs:gYear"/>',
    "lea": '<xs:restriction base="xs:string"><xs:pattern value="[0-9]{3}"/></xs:restriction>',
    "serial": '<xs:restriction base="xs:string"><xs:pattern value="[0-9]{3,}"/></xs:restriction>',
}
_FIXED = {"bool": YES_NO, "collection": ("CIN",), "source_level": ("L",)}


def _simple_type(name: str) -> str:
    if name in _BASE:
        body = _BASE[name]
    else:
        values = _FIXED.get(name) or CODE_SETS[name]
        enums = "".join(f"<xs:enumeration value={quoteattr(v)}/>" for v in values)
        body = f'<xs:restriction base="xs:string">{enums}</xs:restriction>'
    return f'  <xs:simpleType name="{name}">{body}</xs:simpleType>\n'


def _element(part: Leaf | Group, indent: str, *, top: bool = False) -> str:
    occurs = "" if top else f' minOccurs="{1 if part.required else 0}"'
    occurs += ' maxOccurs="unbounded"' if part.repeats else ""
    if isinstance(part, Leaf):
        return f'{indent}<xs:element name="{part.name}" type="{part.type}"{occurs}/>\n'
    inner = "".join(_element(p, indent + "    ") for p in part.parts)
    return (
        f'{indent}<xs:element name="{part.name}"{occurs}>\n'
        f"{indent}  <xs:complexType><xs:sequence>\n{inner}"
        f"{indent}  </xs:sequence></xs:complexType>\n{indent}</xs:element>\n"
    )


def _types_used(part: Leaf | Group) -> set[str]:
    if isinstance(part, Leaf):
        return {part.type}
    return set().union(*(_types_used(p) for p in part.parts))


def schema_text(year: str) -> str:
    """The XSD for census year `year`: the message, its header and its children."""
    census = YEARS[year]
    types = sorted(_types_used(HEADER) | _types_used(CHILD))
    children = Group("Children", (CHILD,), required=True)
    message = Group(ROOT, (HEADER, children), required=True)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f"<!-- CIN census {census.name}: written by SafeHub from safehub/returns/cin/spec.py\n"
        "     (the DfE tree and code sets as recorded in shared/domain/reference.md section 1).\n"
        "     Regenerate with `manage.py returns_rules_doc`; a test keeps this file current. -->\n"
        '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" elementFormDefault="qualified">\n'
        + "".join(_simple_type(t) for t in types)
        + _element(message, "  ", top=True)
        + "</xs:schema>\n"
    )


def write_schemas() -> list[Path]:
    """Write every year's XSD into xsd/ (the files the validator and other tools read)."""
    written = []
    for name, census in YEARS.items():
        path = XSD_DIR / census.xsd
        path.write_text(schema_text(name), encoding="utf-8")
        written.append(path)
    return written


@cache
def load_schema(year: str) -> etree.XMLSchema:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    document = etree.parse(str(XSD_DIR / YEARS[year].xsd), parser)
    return etree.XMLSchema(document)
