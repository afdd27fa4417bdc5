"""CIN census import benchmark (ADR 0044): how fast a council's history loads. A demo council
(`county` by default) is seeded into one database and its census exported; the file is then
imported into an empty database (children per second), and imported again as another file
(a new header, so every child is matched and every record recognised: the re-run's speed).

    python bench/returns_cin_import.py                      # county, census 2025-26
    python bench/returns_cin_import.py --scale small --database sqlite

The stages and the results are `history_import.py`'s, shared with the 903's twin. The source
database and its census file are kept in var/bench-cin-import/ and reused (pass --fresh to
seed again). Results: bench/results/<time>-cin-import-<scale>.json.
"""

from datetime import UTC, datetime
from pathlib import Path
from typing import Any, BinaryIO

from history_import import HistoryImport, main


def _write(analyst: Any, out: BinaryIO, year: str) -> int:
    from safehub.returns.selectors import cin_census_write

    return cin_census_write(actor=analyst, out=out, year=year, now=datetime.now(UTC)).children


def _files(census: Path) -> list[tuple[str, bytes]]:
    content = census.read_bytes()
    return [("first", content), ("again", _another_header(content))]


def _another_header(content: bytes) -> bytes:
    """The same census with another DateTime in its header: another file by its hash."""
    start = content.index(b"<DateTime>") + len(b"<DateTime>")
    return content[:start] + b"2000-01-01T00:00:00" + content[content.index(b"</", start) :]


def _load(actor: Any, content: bytes, name: str, year: str) -> Any:
    from safehub.returns.cin.importer import import_cin

    return import_cin(actor=actor, content=content, filename=name, now=datetime.now(UTC))


CIN = HistoryImport(
    name="cin-import",
    benchmark="returns_cin_import",
    file_name="census-{scale}-{year}.xml",
    default_scale="county",
    write=_write,
    files=_files,
    load=_load,
)

if __name__ == "__main__":
    main(CIN, script=__file__, doc=__doc__ or "")
