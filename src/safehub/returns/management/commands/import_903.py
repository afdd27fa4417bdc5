"""`manage.py import_903 FOLDER|ZIP --year 2024-25 --user NAME [--dry-run]`: load a council's
earlier SSDA903 files as its history (ADR 0051), the CIN import's twin (`import_cin`). Files
that stop part-way resume when sent again; the same files twice change nothing. The report
lists every child not imported and every item left out, with the reason."""

from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from safehub.core.exceptions import PermissionDeniedError
from safehub.returns.management.commands.import_cin import report_lines
from safehub.returns.safexml import size_refusal
from safehub.returns.services import s903_history_import
from safehub.returns.ssda903.spec import YEARS
from safehub.returns.ssda903.tables import MAX_FILE_BYTES, files_in_folder


class Command(BaseCommand):
    help = "Import a folder or zip of SSDA903 CSV files from a council's earlier system."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("path", help="the folder of 903 CSV files, or a zip of them")
        parser.add_argument("--year", required=True, choices=list(YEARS), help="e.g. 2024-25")
        parser.add_argument("--user", required=True, help="the username the import is by")
        parser.add_argument("--dry-run", action="store_true", help="report only; keep nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        user = get_user_model().objects.filter(username=options["user"], is_active=True).first()
        if user is None:
            raise CommandError("No active user has that username.")
        path = Path(options["path"])
        try:
            report = s903_history_import(
                actor=user,
                files=_read(path),
                filename=path.name,
                year=options["year"],
                now=timezone.now(),
                dry_run=options["dry_run"],
                progress=lambda done, total: self.stderr.write(f"{done} of {total} children"),
            )
        except PermissionDeniedError as refused:
            raise CommandError(str(refused)) from None
        if report.refused:
            raise CommandError(report.refused)
        self.stdout.write("\n".join(report_lines(report, id_name="CHILD")))


def _read(path: Path) -> dict[str, bytes] | bytes:
    """A folder's files (each size checked first), or a zip's bytes, refused before reading
    if far too big to be a 903."""
    try:
        if path.is_dir():
            return files_in_folder(path)
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise CommandError(f"{size_refusal(size, MAX_FILE_BYTES)} Nothing was imported.")
        return path.read_bytes()
    except OSError as error:
        raise CommandError(f"The files could not be read: {error.strerror}.") from None
