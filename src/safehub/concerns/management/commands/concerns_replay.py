"""Replay every live concern rule over all people and all chronology as of a past day, to
measure what the rules would have raised and how early; or, with --raise-alerts, evaluate
them as of that day and raise what is new (the daily sweep)."""

import json
from datetime import date, datetime, time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from safehub.audit.services import ServerOperator
from safehub.concerns.services import concerns_replay, concerns_sweep
from safehub.core.workdays import LONDON


def _end_of(day: str, name: str) -> datetime:
    try:
        parsed = date.fromisoformat(day)
    except ValueError as error:
        raise CommandError(f"{name} must be a date written YYYY-MM-DD, like 2026-03-31") from error
    return datetime.combine(parsed, time(23, 59, 59), tzinfo=LONDON)


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--as-of", required=True, help="replay up to the end of this day")
        parser.add_argument("--since", help="count alerts from this day (default: all history)")
        parser.add_argument(
            "--raise-alerts",
            action="store_true",
            help="evaluate as of the day and raise new alerts instead of only reporting",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        until = _end_of(options["as_of"], "--as-of")
        if options["raise_alerts"]:
            raised = concerns_sweep(as_of=until)
            self.stdout.write(f"Raised {len(raised)} new alert(s) as of {options['as_of']}.")
            return
        since = _end_of(options["since"], "--since") if options["since"] else None
        results = concerns_replay(actor=ServerOperator(), until=until, since=since)
        self.stdout.write(json.dumps(results, indent=2))
