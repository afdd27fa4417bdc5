"""List the schools named on records, in words, that name no school agency (ADR 0033): each
name once with how many records name it. A person then chooses the school on each record,
or adds the school to SafeHub with its URN. Names no child."""

from typing import Any

from django.core.management.base import BaseCommand

from safehub.people.selectors import schools_unmatched


class Command(BaseCommand):
    help = __doc__

    def handle(self, *args: Any, **options: Any) -> None:
        found = schools_unmatched()
        for school in found:
            self.stdout.write(f"{school.people:>7}  {school.name}")
        total = sum(s.people for s in found)
        self.stdout.write(f"{len(found)} school names on {total} records match no school.")
