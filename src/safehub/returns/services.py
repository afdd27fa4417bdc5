"""What the returns pages and commands write: a council's earlier CIN census files imported
as its history (ADR 0044). The policy check, the matching and the audit rows are the
importer's (`cin/importer.py`); this is the one entry point pages and commands call."""

from datetime import datetime

from safehub.organisations.models import User
from safehub.returns.cin.importer import ImportReport, Progress, import_cin
from safehub.returns.safexml import MAX_BYTES


def cin_history_import(
    *,
    actor: User,
    content: bytes,
    filename: str,
    now: datetime,
    dry_run: bool = False,
    year: str | None = None,
    max_bytes: int = MAX_BYTES,
    progress: Progress | None = None,
) -> ImportReport:
    """Import the census file `content` (or, as a dry run, report what importing it would
    do and keep nothing). Refused files, refused children and every item left out are in
    the report; nothing here raises on bad input."""
    return import_cin(
        actor=actor,
        content=content,
        filename=filename,
        now=now,
        dry_run=dry_run,
        year=year,
        max_bytes=max_bytes,
        progress=progress,
    )
