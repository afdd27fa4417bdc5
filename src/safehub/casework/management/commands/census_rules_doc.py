"""Write docs/census-rules-at-entry.md from the list in `casework.census_rules`."""

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from safehub.casework.census_rules import as_markdown

DOC = Path(settings.PROJECT_ROOT) / "docs" / "census-rules-at-entry.md"


class Command(BaseCommand):
    help = "Write the list of census errors stopped at entry into the docs"

    def handle(self, *args: Any, **options: Any) -> None:
        DOC.write_text(as_markdown(), encoding="utf-8")
        self.stdout.write(f"Wrote {DOC}")
