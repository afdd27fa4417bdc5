from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from safehub.access.services import OPERATOR, api_token_revoke
from safehub.core.exceptions import NotFound


class Command(BaseCommand):
    help = (
        "Revoke an API token by its ID (see list_api_tokens). It stops working at once. "
        "Audited as manage.py."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("token_id", type=int)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            token = api_token_revoke(actor=OPERATOR, token_id=int(options["token_id"]))
        except NotFound:
            raise CommandError("No API token has that ID.") from None
        self.stdout.write(
            f"Token {token.pk} ({token.name}, {token.user.username}) revoked at "
            f"{token.revoked_at:%Y-%m-%d %H:%M}."
        )
