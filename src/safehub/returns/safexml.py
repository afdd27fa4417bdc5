"""Read an XML return someone sent us without trusting it: no external entities, no network,
no DTD, no entity expansion (so no "billion laughs"), libxml2's own size limits left on
(`huge_tree` off), and a ceiling on the file's size before parsing starts. Anything wrong
comes back as `UnreadableFile` with a sentence a performance analyst can act on."""

from typing import Any

from lxml import etree

MAX_BYTES = 200 * 1024 * 1024  # a county's CIN census is tens of megabytes


DTD_REFUSED = (
    "The file declares a document type (DTD) or entities. Returns never carry one, so "
    "SafeHub does not read files that do."
)


class UnreadableFile(Exception):
    """The file is not a return we can read; the message says why in plain English."""


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )


def parse_xml(content: bytes, *, max_bytes: int = MAX_BYTES) -> etree._ElementTree:
    """The parsed document, or `UnreadableFile`. A document that declares a DTD is refused:
    returns never carry one, and a DTD is how entity bombs arrive."""
    if not content.strip():
        raise UnreadableFile("The file is empty.")
    if len(content) > max_bytes:
        raise UnreadableFile(size_refusal(len(content), max_bytes))
    if not content.lstrip()[:1] == b"<" and not content.startswith(b"\xef\xbb\xbf<"):
        raise UnreadableFile(
            "The file is not XML: it should start with '<?xml' or '<Message>'. "
            "Check it is the census file and not a spreadsheet or a document."
        )
    if b"<!DOCTYPE" in content[:65536] or b"<!ENTITY" in content[:65536]:
        raise UnreadableFile(DTD_REFUSED)
    try:
        tree = etree.ElementTree(etree.fromstring(content, _parser()))
    except etree.XMLSyntaxError as error:
        line = getattr(error, "lineno", None)
        where = f" at line {line}" if line else ""
        raise UnreadableFile(
            f"The file is not well-formed XML{where}: {_plain(error)}. "
            "It may be cut short, edited by hand, or saved in a different encoding "
            "from the one it declares."
        ) from None
    except ValueError as error:  # e.g. a text declaration lxml will not take from bytes
        raise UnreadableFile(f"The file could not be read as XML: {error}.") from None
    # Entities can only be declared in a DTD, and a reference to an undeclared one does not
    # parse; so a document with no DTD has no entities, and nothing to walk the tree for.
    docinfo: Any = tree.docinfo  # lxml-stubs lack `doctype`
    if docinfo.doctype or docinfo.internalDTD is not None:
        raise UnreadableFile(DTD_REFUSED)
    return tree


def size_refusal(size: int, max_bytes: int) -> str:
    """Why a file of `size` bytes is not read (callers that can see the size first, such as
    a command reading from disk, refuse before reading it)."""
    return (
        f"The file is {_size(size)}; SafeHub reads returns of up to {_size(max_bytes)}. "
        "Check it is the right file."
    )


def _size(n: int) -> str:
    mega = 1024 * 1024
    return f"{n / mega:.0f} MB" if n >= mega else f"{max(1, n // 1024)} KB"


def _has_entities(tree: etree._ElementTree) -> bool:
    root = tree.getroot()
    return any(isinstance(node, etree._Entity) for node in root.iter(etree.Entity))


def _plain(error: etree.XMLSyntaxError) -> str:
    text = str(error.msg or error).split(", line ")[0].strip()
    return text[0].lower() + text[1:] if text else "it could not be read"
