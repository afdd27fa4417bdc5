from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice


class Command(BaseCommand):
    help = "Print the current 6-digit sign-in code of a demo account (demo mode only)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEMO_MODE:
            raise CommandError(
                "Demo sign-in codes are available only in demo mode (DEMO_MODE=true)."
            )
        username = str(options["username"])
        device = (
            TOTPDevice.objects.select_related("user")
            .filter(user__username=username, user__is_demo=True, confirmed=True)
            .order_by("pk")
            .first()
        )
        if device is None:
            raise CommandError(
                f"No demo account called {username!r} with an authenticator. "
                "Run `manage.py seed_demo` first, or check the username."
            )
        # The same computation TOTPDevice.verify_token checks against, at the current time.
        code = totp(
            device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift
        )
        self.stdout.write(f"{code:0{device.digits}d}")
