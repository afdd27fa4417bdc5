"""`manage.py load_neglect_template FILE`: load a neglect profile template (the format:
docs/how-to/neglect-templates.md). A file with mistakes changes nothing and every mistake is
named."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from safehub.neglect.services import TemplateFileError, template_load_file


class Command(BaseCommand):
    help = "Load a neglect profile template from its JSON file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="the template's JSON file")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            template, new = template_load_file(path=options["file"])
        except TemplateFileError as error:
            raise CommandError(
                "The template was not loaded:\n" + "\n".join(f"- {p}" for p in error.problems)
            ) from error
        if new:
            self.stdout.write(f"Loaded {template}.")
        else:
            self.stdout.write(f"{template} is already loaded; nothing changed.")
