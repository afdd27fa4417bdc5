"""The monthly retention job: list every record the schedule says is due for review."""

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from safehub.access.services import OPERATOR
from safehub.retention.services import reviews_list_due


class Command(BaseCommand):
    help = (
        "List the children's records the retention schedule says are due for review by "
        "--as-of (default today), once each; the data protection officer decides each on "
        "the retention review page. Run monthly by a scheduler."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--as-of", dest="as_of", help="the day to review as of, YYYY-MM-DD")

    def handle(self, *args: Any, as_of: str | None = None, **options: Any) -> None:
        try:
            day = date.fromisoformat(as_of) if as_of else timezone.localdate()
        except ValueError as error:
            raise CommandError("--as-of must be a date like 2026-12-01") from error
        listed = reviews_list_due(actor=OPERATOR, as_of=day)
        for review in listed:
            self.stdout.write(
                f"due: SafeHub ID {review.person_id} {review.record_class} "
                f"kept until {review.due_on.isoformat()}"
            )
        self.stdout.write(f"retention: {len(listed)} listed for review as of {day.isoformat()}")
