"""Rebuild every person's stored last professional contact from the chronology (ADR 0033):
after a bulk load that bypassed `chronology_append`, or when the set of professional-contact
codes changes. Safe to run at any time; the registers read the result at once."""

from typing import Any

from django.core.management.base import BaseCommand

from safehub.hardtosee.services import last_contact_refresh


class Command(BaseCommand):
    help = __doc__

    def handle(self, *args: Any, **options: Any) -> None:
        count = last_contact_refresh()
        self.stdout.write(f"{count} people have a last professional contact.")
