"""SSDA903 import benchmark (ADR 0051), the CIN import's twin (`returns_cin_import.py`): a
demo council (`small` by default) is seeded into one database and its 903 for a year
exported as a zip; the zip is then imported into an empty database (children per second),
and imported again without its OC2 file (other files, so every child is matched and every
record recognised: the re-run's speed).

    python bench/returns_903_import.py                      # small, 903 2025-26, SQLite
    python bench/returns_903_import.py --scale county --database sqlite

The stages and the results are `history_import.py`'s. The source database and its zip are
kept in var/bench-903-import/ and reused (pass --fresh to seed again). Results:
bench/results/<time>-903-import-<scale>.json.
"""

from datetime import UTC, datetime
from pathlib import Path
from typing import Any, BinaryIO

from history_import import HistoryImport, main


def _write(analyst: Any, out: BinaryIO, year: str) -> int:
    from safehub.returns.selectors import s903_write

    return s903_write(actor=analyst, out=out, year=year).children


def _files(archive: Path) -> list[tuple[str, dict[str, bytes]]]:
    from safehub.returns.ssda903.spec import BY_KEY
    from safehub.returns.ssda903.tables import files_in_zip

    files = files_in_zip(archive.read_bytes())
    other = {k: v for k, v in files.items() if k != BY_KEY["oc2"].filename}
    return [("first", files), ("again", other)]


def _load(actor: Any, files: dict[str, bytes], name: str, year: str) -> Any:
    from safehub.returns.ssda903.importer import import_903

    return import_903(actor=actor, files=files, filename=name, year=year, now=datetime.now(UTC))


S903 = HistoryImport(
    name="903-import",
    benchmark="returns_903_import",
    file_name="903-{scale}-{year}.zip",
    default_scale="small",
    write=_write,
    files=_files,
    load=_load,
    facts=lambda report: {"refused_file": report.refused},
)

if __name__ == "__main__":
    main(S903, script=__file__, doc=__doc__ or "")
