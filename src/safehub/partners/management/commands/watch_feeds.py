from typing import Any

from django.core.management.base import BaseCommand

from safehub.partners.feeds import feeds_watch
from safehub.partners.management.commands._as_of import add_as_of, resolve


class Command(BaseCommand):
    help = (
        "Watch the partner feeds: tell the MASH's managers and the partnership, once, of each "
        "feed newly quiet; end the quiet spell of each feed sending again. Run by a scheduler."
    )

    def add_arguments(self, parser: Any) -> None:
        add_as_of(parser)

    def handle(self, *args: Any, as_of: Any, **options: Any) -> None:
        result = feeds_watch(as_of=resolve(as_of))
        for feed in result.opened:
            self.stdout.write(f"quiet: {feed.agency_name}: {feed.label} ({feed.quiet_days} days)")
        self.stdout.write(f"feeds: {len(result.opened)} newly quiet, {result.closed} resumed")
