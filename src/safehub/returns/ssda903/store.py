"""903 CSV files streamed, row by row, into a throwaway SQLite database on disk, for the
validator (ADR 0059). No file is held in memory whole: a file is read twice as a stream (once
to check it is UTF-8 text and to look for formula-like cells and trailing spaces, once to
parse it) and its rows go into one table per file, so the validator's memory is SQLite's
small page cache and one batch of rows, whatever the return's size.

The guards are `tables.py`'s, with its sentences: size, empty, binary or spreadsheet
content, UTF-8, CSV shape, recognised by the columns, a second file of a kind, cells that
start like a spreadsheet formula. Each table has the file's columns as text (stripped where
the file has trailing spaces, as `tables.py` strips them), the row's `line` (the header is
line 1; blank lines are skipped), and for each date column a twin `"COLUMN@"` holding the
date as ISO text (yyyy-mm-dd, which sorts and compares as dates do) or NULL where the text
is not a dd/mm/yyyy date."""

import csv
import io
import re
import sqlite3
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from itertools import islice
from pathlib import Path
from typing import IO

from safehub.returns.ssda903 import tables
from safehub.returns.ssda903.spec import DATE_COLUMNS, DATE_FORMAT, FILES, File

PARSED = "@"  # a date column's twin: f'"{column}@"'
BATCH = 2_000  # rows inserted at a time
CACHE_KB = 1_024  # SQLite's page cache; the tables themselves stay on disk
# What SQLite may hold in all (caches, sorts, the windows the rules order episodes in)
# before it spills to its temporary files.
HEAP_BYTES = 4 * 1024 * 1024
CHUNK = 1 << 20  # characters of text searched at a time
OVERLAP = 3  # the longest match of either search below
# `tables.TRAILING_SPACE` but for its `$` (the end of the text), which `_scan` asks at the end.
SPACE_BEFORE_END = re.compile(r"[ \t](?:,|\r?\n)")

# A file as sent: its content, or (a folder's files) its path, read from disk as a stream.
Source = bytes | Path


class _NotCsv(Exception):
    """A row splits into more cells than the header names."""


@dataclass
class Store:
    db: sqlite3.Connection
    present: set[str] = field(default_factory=set)  # keys of the files read
    problems: list[tuple[str, str]] = field(default_factory=list)  # (file name, sentence)
    # (file name, child, line, column) of each cell that starts like a spreadsheet formula
    formulas: list[tuple[str, str, int, str]] = field(default_factory=list)


def column(name: str) -> str:
    """A file column as an SQL identifier."""
    return f'"{name}"'


def parsed(name: str) -> str:
    """A date column's parsed twin as an SQL identifier."""
    return f'"{name}{PARSED}"'


def open_store(files: Mapping[str, Source], path: Path) -> Store:
    """Every file in `files` read into a new database at `path` (a temporary file)."""
    db = sqlite3.connect(path, isolation_level=None)
    for pragma in (
        "journal_mode = OFF",
        "synchronous = OFF",
        "temp_store = FILE",
        f"cache_size = -{CACHE_KB}",
        f"temp.cache_size = -{CACHE_KB}",
        f"soft_heap_limit = {HEAP_BYTES}",
    ):
        db.execute(f"PRAGMA {pragma}")
    store = Store(db)
    for spec in FILES:
        _create(db, spec)
    for name, source in files.items():
        problem = _read_one(name, source, store)
        if problem:
            store.problems.append((name, problem))
    for spec in FILES:
        db.execute(f"CREATE INDEX {spec.key}_child ON {spec.key} (CHILD, line)")
    db.execute("ANALYZE")
    return store


def _create(db: sqlite3.Connection, spec: File) -> None:
    columns = ["line INTEGER", *(f"{column(c)} TEXT" for c in spec.names)]
    columns += [f"{parsed(c)} TEXT" for c in spec.names if c in DATE_COLUMNS]
    db.execute(f"CREATE TABLE {spec.key} ({', '.join(columns)})")


def _size(source: Source) -> int:
    return len(source) if isinstance(source, bytes) else source.stat().st_size


def _binary(source: Source) -> IO[bytes]:
    return io.BytesIO(source) if isinstance(source, bytes) else source.open("rb")


def _read_one(name: str, source: Source, store: Store) -> str:
    if source == tables.TOO_BIG or _size(source) > tables.MAX_FILE_BYTES:
        return tables.too_big(name)
    with _binary(source) as raw:
        if tables.looks_binary(raw.read(4096)):
            return tables.BINARY.format(name=name)
    try:
        scan = _scan(source)
    except UnicodeDecodeError:
        return tables.NOT_UTF8.format(name=name)
    if scan is None:
        return tables.empty(name)
    maybe_formulas, strip = scan
    with _binary(source) as raw, _text(raw) as text:
        rows = csv.reader(text, skipinitialspace=True)
        try:
            return _load(name, rows, store, maybe_formulas=maybe_formulas, strip=strip)
        except (_NotCsv, csv.Error):
            return tables.NOT_CSV.format(name=name)


def _text(raw: IO[bytes]) -> io.TextIOWrapper:
    return io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")


def _scan(source: Source) -> tuple[bool, bool] | None:
    """Whether any cell may start like a formula and whether any value ends with a space, as
    `tables.py` asks of the whole text; None for a file of only white space. Raises
    UnicodeDecodeError for a file that is not UTF-8 text.

    The text is searched a chunk at a time, each chunk after the last few characters of the
    one before, so a match across two chunks is seen. A chunk's start may look like a line's
    start to `^`, which can only make the formula question yes where the answer is no; that
    only asks for the cell by cell check, which is exact. `$` (a value ending the file with
    a space) is looked for once, at the end."""
    maybe_formulas = strip = written = False
    carry = ""
    with _binary(source) as raw, _text(raw) as text:
        while chunk := text.read(CHUNK):
            window = carry + chunk
            written = written or not chunk.isspace()
            maybe_formulas = maybe_formulas or bool(tables.MAYBE_FORMULA.search(window))
            strip = strip or bool(SPACE_BEFORE_END.search(window))
            carry = window[-OVERLAP:]
    strip = strip or carry[-1:] in (" ", "\t")
    return (maybe_formulas, strip) if written else None


def _load(
    name: str, rows: Iterator[list[str]], store: Store, *, maybe_formulas: bool, strip: bool
) -> str:
    header = next(rows, None)
    if header is None:
        return tables.empty(name)
    found = tables.recognise([c.strip().upper() for c in header])
    if isinstance(found, str) or found.key in store.present:
        for row in rows:  # a row that does not split is said first, as `tables.py` says it
            if len(row) > len(header):
                raise _NotCsv
        if isinstance(found, str):
            return f"{name}: {found}"
        return tables.SECOND.format(name=name, title=found.title)
    spec = found
    order = [[c.strip().upper() for c in header].index(c) for c in spec.names]
    dates = [i for i, c in enumerate(spec.names) if c in DATE_COLUMNS]
    placeholders = ", ".join("?" * (1 + len(spec.names) + len(dates)))
    insert = f"INSERT INTO {spec.key} VALUES ({placeholders})"
    formulas: list[tuple[str, str, int, str]] = []
    records = _records(rows, len(header), order, dates, strip)
    store.db.execute("BEGIN")
    try:
        while batch := list(islice(records, BATCH)):
            store.db.executemany(insert, batch)
            if maybe_formulas:
                formulas += _formulas(name, spec, batch)
    except (_NotCsv, csv.Error):
        store.db.execute("ROLLBACK")
        raise
    store.db.execute("COMMIT")
    store.present.add(spec.key)
    # Column by column, as `tables.py` lists them.
    position = {c: i for i, c in enumerate(spec.names)}
    store.formulas += sorted(formulas, key=lambda f: (position[f[3]], f[2]))
    return ""


def _records(
    rows: Iterable[list[str]], width: int, order: list[int], dates: list[int], strip: bool
) -> Iterator[tuple[object, ...]]:
    line = 1
    for row in rows:
        if not row:
            continue  # a blank line is no row
        if len(row) > width:
            raise _NotCsv
        if len(row) < width:
            row = row + [""] * (width - len(row))
        line += 1
        values = [row[i].strip() if strip else row[i] for i in order]
        yield (line, *values, *[_iso(values[i]) for i in dates])


@lru_cache(maxsize=16_384)  # a few megabytes at most; a return has a few thousand dates
def _iso(text: str) -> str | None:
    """A dd/mm/yyyy date as yyyy-mm-dd, or None; the same dates as pandas' `to_datetime`
    with the same format (which uses the standard library's patterns) accepts."""
    try:
        return datetime.strptime(text, DATE_FORMAT).date().isoformat()  # noqa: DTZ007 (a date alone)
    except ValueError:
        return None


def _formulas(
    name: str, spec: File, batch: list[tuple[object, ...]]
) -> list[tuple[str, str, int, str]]:
    found = []
    for record in batch:
        for i, value in enumerate(record[1 : 1 + len(spec.names)]):
            if str(value).startswith(tables.FORMULA_STARTS):
                found.append((name, str(record[1]), int(str(record[0])), spec.names[i]))
    return found


def files_in_folder(folder: Path) -> dict[str, Source]:
    """The files directly in `folder` by name, as paths: each is read from disk as a stream."""
    return {p.name: p for p in sorted(folder.iterdir())[: tables.MAX_FILES] if p.is_file()}
