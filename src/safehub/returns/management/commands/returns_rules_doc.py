"""Write docs/cin-validation-rules.md, docs/903-validation-rules.md and the CIN census XSDs
from the rule registries and the census specification (a test keeps them current)."""

from typing import Any

from django.core.management.base import BaseCommand

from safehub.returns.cin.schema import write_schemas
from safehub.returns.docs import DOC, DOC_903, rules_903_markdown, rules_markdown


class Command(BaseCommand):
    help = "Write the lists of CIN and 903 validation rules SafeHub checks, and the census XSDs"

    def handle(self, *args: Any, **options: Any) -> None:
        DOC.write_text(rules_markdown(), encoding="utf-8")
        self.stdout.write(f"Wrote {DOC}")
        DOC_903.write_text(rules_903_markdown(), encoding="utf-8")
        self.stdout.write(f"Wrote {DOC_903}")
        for path in write_schemas():
            self.stdout.write(f"Wrote {path}")
