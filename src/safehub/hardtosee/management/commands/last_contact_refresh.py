"""Rebuild the registers' stored facts from the chronology: every person's last
professional contact (ADR 0033), education register status (ADR 0053) and first service
event (ADR 0057), then every child's register row (ADR 0060). After a bulk
load that bypassed `chronology_append`, or when the codes either reads change. Safe to run
at any time; the registers read the result at once."""

from typing import Any

from django.core.management.base import BaseCommand

from safehub.hardtosee.services import (
    first_service_refresh,
    last_contact_refresh,
    register_facts_refresh,
    register_status_refresh,
)


class Command(BaseCommand):
    help = __doc__

    def handle(self, *args: Any, **options: Any) -> None:
        count = last_contact_refresh()
        self.stdout.write(f"{count} people have a last professional contact.")
        statuses = register_status_refresh()
        self.stdout.write(f"{statuses} education register statuses stored.")
        first = first_service_refresh()
        self.stdout.write(f"{first} people have a first service event.")
        rows = register_facts_refresh()
        self.stdout.write(f"{rows} children have a register row.")
