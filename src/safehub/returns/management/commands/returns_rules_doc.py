"""Write docs/cin-validation-rules.md, docs/903-validation-rules.md, the CIN census XSDs and
the 903's code sets (`returns/ssda903/code_sets.json`) from the rule registries, the census
specification and the records' choices (tests keep them current)."""

from typing import Any

from django.core.management.base import BaseCommand

from safehub.returns.cin.schema import write_schemas
from safehub.returns.docs import DOC, DOC_903, rules_903_markdown, rules_markdown
from safehub.returns.ssda903.codes import write_code_sets
from safehub.returns.ssda903.spec import CODE_SETS_FILE


class Command(BaseCommand):
    help = (
        "Write the lists of CIN and 903 validation rules SafeHub checks, the census XSDs "
        "and the 903's code sets"
    )

    def handle(self, *args: Any, **options: Any) -> None:
        DOC.write_text(rules_markdown(), encoding="utf-8")
        self.stdout.write(f"Wrote {DOC}")
        DOC_903.write_text(rules_903_markdown(), encoding="utf-8")
        self.stdout.write(f"Wrote {DOC_903}")
        write_code_sets()
        self.stdout.write(f"Wrote {CODE_SETS_FILE}")
        for path in write_schemas():
            self.stdout.write(f"Wrote {path}")
