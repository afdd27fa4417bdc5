from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from safehub.access.services import api_token_create


class Command(BaseCommand):
    help = (
        "Issue an API token for a machine client acting as USERNAME (under that user's "
        "access). The secret is shown once; only its hash is stored."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("name", help="what the client is, e.g. 'School MIS feed'")
        parser.add_argument("--days", type=int, default=90)

    def handle(self, *args: Any, **options: Any) -> None:
        user = get_user_model().objects.filter(username=options["username"], is_active=True).first()
        if user is None:
            raise CommandError("No active user has that username.")
        secret = api_token_create(
            actor=user, user=user, name=str(options["name"]), days=int(options["days"])
        )
        self.stdout.write(
            f"Token for {user.username} ({options['name']}), valid "
            f"{options['days']} days:\n{secret}"
        )
