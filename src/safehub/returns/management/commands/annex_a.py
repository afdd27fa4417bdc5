"""Write Ofsted's Annex A workbook for a period's last day, as a named member of the returns
team (the policy decides, and the export is audited as from the page)."""

from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from safehub.core.exceptions import PermissionDeniedError
from safehub.organisations.models import User
from safehub.returns.selectors import annex_a_write


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as error:
        raise CommandError(f"--end must be a date like 2026-03-31, not {text!r}") from error


class Command(BaseCommand):
    help = "Write Ofsted's Annex A lists 1 to 11 as one Excel workbook"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--end", required=True, type=_day, help="the lists' last day")
        parser.add_argument("--user", required=True, help="the returns team member producing it")
        parser.add_argument("--out", required=True, type=Path, help="where to write the .xlsx")

    def handle(self, *args: Any, **options: Any) -> None:
        actor = User.objects.filter(username=options["user"], is_active=True).first()
        if actor is None:
            raise CommandError(f"No active user called {options['user']!r}")
        try:
            with transaction.atomic(), options["out"].open("wb") as out:
                made = annex_a_write(actor=actor, out=out, end=options["end"])
        except PermissionDeniedError as error:
            options["out"].unlink(missing_ok=True)
            raise CommandError(str(error)) from error
        counts = ", ".join(f"list {n}: {len(rows)}" for n, rows in made.rows.items())
        self.stdout.write(f"Wrote {options['out']} ({counts})")
