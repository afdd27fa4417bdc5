"""`manage.py import_cin FILE.xml --user NAME [--dry-run] [--year 2024-25]`: load a council's
earlier CIN census file as its history (ADR 0044). A file that stops part-way resumes when
run again; the same file twice changes nothing. The report lists every child not imported
and every item left out, with the reason."""

from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from safehub.core.exceptions import PermissionDeniedError
from safehub.returns.cin.importer import ImportReport
from safehub.returns.safexml import MAX_BYTES, UnreadableFile, size_refusal
from safehub.returns.services import cin_history_import


class Command(BaseCommand):
    help = "Import a CIN census XML file from a council's earlier system as its history."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", help="the census XML file")
        parser.add_argument("--user", required=True, help="the username the import is by")
        parser.add_argument("--dry-run", action="store_true", help="report only; keep nothing")
        parser.add_argument("--year", help="refuse a file for any other census year (2024-25)")

    def handle(self, *args: Any, **options: Any) -> None:
        user = get_user_model().objects.filter(username=options["user"], is_active=True).first()
        if user is None:
            raise CommandError("No active user has that username.")
        content = _read(Path(options["file"]))
        try:
            report = cin_history_import(
                actor=user,
                content=content,
                filename=Path(options["file"]).name,
                now=timezone.now(),
                dry_run=options["dry_run"],
                year=options["year"],
                progress=lambda done, total: self.stderr.write(f"{done} of {total} children"),
            )
        except PermissionDeniedError as refused:
            raise CommandError(str(refused)) from None
        if report.refused:
            raise CommandError(report.refused)
        self.stdout.write("\n".join(report_lines(report)))


def _read(path: Path) -> bytes:
    """The file's bytes, refused before reading if it is far too big to be a census."""
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise UnreadableFile(size_refusal(size, MAX_BYTES))
        return path.read_bytes()
    except OSError as error:
        raise CommandError(f"The file could not be read: {error.strerror}.") from None
    except UnreadableFile as problem:
        raise CommandError(f"{problem} Nothing was imported.") from None


def report_lines(report: ImportReport, id_name: str = "LAchildID") -> list[str]:
    counts = report.counts()
    head = "Dry run: nothing was kept. " if report.dry_run else ""
    if report.already_done:
        head += "This file was imported before; nothing was changed. "
    lines = [
        f"{head}{report.filename} ({report.year}): {counts['children']} children, "
        f"{counts['created']} new records, {counts['matched']} matched, "
        f"{counts['refused']} not imported."
    ]
    if report.resumed_at:
        lines.append(f"Carried on after the first {report.resumed_at} children, already done.")
    made = ", ".join(f"{kind} {n}" for kind, n in sorted(counts["made"].items()))
    lines.append(f"Records made: {made or 'none'}.")
    for child in report.with_problems:
        for p in child.problems:
            where = f"line {p.line}" if p.line else "no line"
            lines.append(
                f"{id_name} {child.la_child_id or '(none)'} ({where}) {p.item}: {p.reason}"
            )
    return lines
