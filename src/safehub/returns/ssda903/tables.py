"""903 CSV files read without trusting them, into one pandas table per file.

Each file is recognised by its columns (councils name files as they like). Whatever is
wrong with a file (too big, not UTF-8 text, not CSV, a spreadsheet saved as .csv, missing
or unknown columns, a cell that would run as a spreadsheet formula) is a sentence in
`Read.problems`; nothing here raises on bad input. Values stay text as sent; each date
column gains a parsed twin (`DECOM` text, `DECOM@` datetime or missing) so a rule can tell
a blank date from one that is not a date. Every row carries the `line` it came from."""

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from safehub.returns.ssda903.spec import DATE_COLUMNS, DATE_FORMAT, FILES, File

MAX_FILE_BYTES = 200 * 1024 * 1024  # a county's episodes file is a few megabytes
MAX_FILES = 40
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
PARSED = "@"  # a date column's parsed twin: f"{column}{PARSED}"
TOO_BIG = b"\0too-big"  # stands for a file not read because of its size
# One pass over the text says whether any cell could start like a formula, or any value
# ends with a space: most files have neither, so no column is scanned cell by cell.
MAYBE_FORMULA = re.compile(r'(?m)(?:^|,)"?[=+\-@\t]|\r(?!\n)')
TRAILING_SPACE = re.compile(r"[ \t](?:,|\r?\n|$)")


if TYPE_CHECKING:
    import pandas as pd

# The guards' sentences, shared with the validator's streaming reader (`store.py`).
NOT_CSV = "{name} is not a CSV file SafeHub can read: its rows do not split into columns."
BINARY = (
    "{name} is not a CSV file (it looks like a spreadsheet or another binary file). "
    "Save it as CSV UTF-8."
)
NOT_UTF8 = "{name} is not UTF-8 text. Save it as CSV UTF-8 and send it again."
SECOND = "{name} is a second {title} file; send each file once."
FORMULA = "The cell starts like a spreadsheet formula (=, +, -, @); no 903 value does."


def too_big(name: str) -> str:
    return f"{name} is larger than 200 MB, so it was not read."


def empty(name: str) -> str:
    return f"{name} is empty."


def looks_binary(head: bytes) -> bool:
    return head.startswith(b"PK") or b"\0" in head[:4096]


@dataclass
class Read:
    tables: "dict[str, pd.DataFrame]" = field(default_factory=dict)
    problems: list[tuple[str, str]] = field(default_factory=list)  # (file name, sentence)
    formulas: list[tuple[str, str, int, str]] = field(
        default_factory=list
    )  # file, child, line, column


def files_in_folder(folder: Path) -> dict[str, bytes]:
    """The CSV files directly in `folder` by name (sizes checked before reading)."""
    found: dict[str, bytes] = {}
    for path in sorted(folder.iterdir())[:MAX_FILES]:
        if path.is_file():
            too_big = path.stat().st_size > MAX_FILE_BYTES
            found[path.name] = TOO_BIG if too_big else path.read_bytes()
    return found


def files_in_zip(content: bytes) -> dict[str, bytes]:
    """The files in a zip archive by name; sizes are checked from the directory before any
    is unpacked (so a zip bomb is refused, not expanded). Raises ValueError in plain English."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except zipfile.BadZipFile as error:
        raise ValueError("The file is not a zip archive SafeHub can open.") from error
    entries = [i for i in archive.infolist() if not i.is_dir()]
    if len(entries) > MAX_FILES:
        raise ValueError(f"The zip holds {len(entries)} files; a 903 return has at most 11.")
    found: dict[str, bytes] = {}
    for info in entries:
        name = Path(info.filename).name
        if info.file_size > MAX_FILE_BYTES:
            found[name] = TOO_BIG
            continue
        with archive.open(info) as member:
            found[name] = member.read(MAX_FILE_BYTES + 1)
    return found


def read_files(files: dict[str, bytes]) -> Read:
    read = Read()
    for name, content in files.items():
        problem = _read_one(name, content, read)
        if problem:
            read.problems.append((name, problem))
    return read


def _read_one(name: str, content: bytes, read: Read) -> str:
    import pandas as pd  # here, not at the top: the validator reads without pandas (ADR 0059)

    if content == TOO_BIG or len(content) > MAX_FILE_BYTES:
        return too_big(name)
    if not content.strip():
        return empty(name)
    if looks_binary(content):
        return BINARY.format(name=name)
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return NOT_UTF8.format(name=name)
    try:
        frame = pd.read_csv(
            io.StringIO(text), dtype=str, keep_default_na=False, skipinitialspace=True
        )
    except (pd.errors.ParserError, pd.errors.EmptyDataError, csv.Error, ValueError):
        return NOT_CSV.format(name=name)
    frame.columns = [str(c).strip().upper() for c in frame.columns]
    spec = recognise(list(frame.columns))
    if isinstance(spec, str):
        return f"{name}: {spec}"
    if spec.key in read.tables:
        return SECOND.format(name=name, title=spec.title)
    frame = frame[list(spec.names)]
    if TRAILING_SPACE.search(text):
        frame = frame.apply(lambda column: column.str.strip())
    read.tables[spec.key] = _typed(name, spec, frame, read, MAYBE_FORMULA.search(text) is not None)
    return ""


def recognise(columns: list[str]) -> File | str:
    """The file these columns make, or why they make none."""
    have = set(columns)
    for spec in FILES:
        if have == set(spec.names):
            return spec
    # The nearest file, by the columns only it has (CHILD and DOB are in nearly all).
    shared = {"CHILD", "DOB", "SEX"}
    best = max(FILES, key=lambda f: len((have & set(f.names)) - shared))
    if not (have & set(best.names)) - shared:
        return (
            "the columns are not those of any 903 file "
            f"(found {', '.join(list(columns)[:8]) or 'none'})."
        )
    missing = [c for c in best.names if c not in have]
    extra = [c for c in columns if c not in best.names]
    parts = []
    if missing:
        parts.append(f"lacks the column{'s' if len(missing) > 1 else ''} {', '.join(missing)}")
    if extra:
        parts.append(
            f"has column{'s' if len(extra) > 1 else ''} it should not: {', '.join(extra[:8])}"
        )
    return f"looks like the {best.title} file but {' and '.join(parts)}."


def _typed(
    name: str, spec: File, frame: "pd.DataFrame", read: Read, maybe_formulas: bool
) -> "pd.DataFrame":
    import pandas as pd

    frame = frame.copy()
    frame["line"] = range(2, len(frame) + 2)  # line 1 is the header
    if maybe_formulas:
        _note_formulas(name, frame, read)
    for column in spec.names:
        if column in DATE_COLUMNS:
            frame[column + PARSED] = pd.to_datetime(
                frame[column], format=DATE_FORMAT, errors="coerce"
            )
    return frame


def _note_formulas(name: str, frame: "pd.DataFrame", read: Read) -> None:
    """Cells that a spreadsheet would run as a formula: no 903 value starts like one."""
    for column in frame.columns:
        if column == "line":
            continue
        values = frame[column]
        hits = values.str.startswith(FORMULA_STARTS)
        for child, line in frame.loc[hits, ["CHILD", "line"]].itertuples(index=False):
            read.formulas.append((name, str(child), int(line), column))
