"""Write docs/cin-validation-rules.md and the CIN census XSDs from the rule registry and the
census specification (a test keeps both current)."""

from typing import Any

from django.core.management.base import BaseCommand

from safehub.returns.cin.schema import write_schemas
from safehub.returns.docs import DOC, rules_markdown


class Command(BaseCommand):
    help = "Write the list of CIN validation rules SafeHub checks, and the census XSDs"

    def handle(self, *args: Any, **options: Any) -> None:
        DOC.write_text(rules_markdown(), encoding="utf-8")
        self.stdout.write(f"Wrote {DOC}")
        for path in write_schemas():
            self.stdout.write(f"Wrote {path}")
