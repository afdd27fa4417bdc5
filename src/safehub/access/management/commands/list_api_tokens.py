from datetime import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from safehub.access.services import OPERATOR, api_token_list


def _when(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if value else "-"


class Command(BaseCommand):
    help = (
        "List API tokens: id, user, name, created, expires, last used and revoked. Audited "
        "as manage.py. Revoke one with revoke_api_token ID."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--user", help="only this username's tokens")

    def handle(self, *args: Any, **options: Any) -> None:
        user = None
        if options["user"]:
            user = get_user_model().objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError("No user has that username.")
        tokens = api_token_list(actor=OPERATOR, user=user)
        rows = [("ID", "User", "Name", "Created", "Expires", "Last used", "Revoked")]
        rows += [
            (
                str(t.pk),
                t.user.username,
                t.name,
                _when(t.created_at),
                _when(t.expires_at) if t.expires_at else "never",
                _when(t.last_used_at) if t.last_used_at else "never",
                _when(t.revoked_at),
            )
            for t in tokens
        ]
        widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
        for row in rows:
            self.stdout.write("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)))
        self.stdout.write(f"{len(tokens)} token{'' if len(tokens) == 1 else 's'}.")
