from typing import Any

from django.core.management.base import BaseCommand

from safehub.partners.encompass import encompass_chase
from safehub.partners.management.commands._as_of import add_as_of, resolve


class Command(BaseCommand):
    help = (
        "Chase Operation Encompass notices not acknowledged by their due time: tell the "
        "school's safeguarding leads again and tell the MASH, once each. Run by a scheduler."
    )

    def add_arguments(self, parser: Any) -> None:
        add_as_of(parser)

    def handle(self, *args: Any, as_of: Any, **options: Any) -> None:
        chased = encompass_chase(as_of=resolve(as_of))
        self.stdout.write(f"encompass: {chased} chased")
