"""Work out the dashboard's monthly figures now, in this process (the demo loader, a nightly
timer, the benchmark), as the figures job does on the queue."""

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from safehub.insight.selectors import figures_as_of
from safehub.insight.services import figures_refresh


class Command(BaseCommand):
    help = "Work out the performance dashboard's monthly figures (24 months to --as-of)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--as-of", type=date.fromisoformat, default=None)
        parser.add_argument(
            "--if-empty", action="store_true", help="only if no figures are stored yet"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["if_empty"] and figures_as_of() is not None:
            return
        as_of = options["as_of"] or timezone.localdate()
        rows = figures_refresh(as_of=as_of)
        self.stdout.write(f"insight: {rows} monthly figures worked out as of {as_of}")
