import base64
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django_otp.plugins.otp_totp.models import TOTPDevice

from safehub.access.roles import Role

DEFAULT_URL = "http://127.0.0.1:8000/"


class Command(BaseCommand):
    help = (
        "Print the demo council's sign-ins and where it is served (demo mode only). "
        "`seed_demo` and `make run` both print them through this command."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--url",
            default=DEFAULT_URL,
            help="Where the server answers (make run passes its HOST and PORT)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEMO_MODE:
            raise CommandError("Demo sign-ins exist only in demo mode (DEMO_MODE=true).")
        from safehub.demo.generator import DEMO_PASSWORD, PRINTED_SIGNINS

        usernames = [s.username for s in PRINTED_SIGNINS]
        devices = {
            d.user.username: d
            for d in TOTPDevice.objects.select_related("user").filter(
                user__username__in=usernames, user__is_demo=True, confirmed=True
            )
        }
        if not devices:
            raise CommandError("No demo sign-ins found: run `manage.py seed_demo` first.")
        out = self.stdout
        out.write(f"\nSafeHub demo council (Demoshire) is at {options['url']}")
        out.write("Demo sign-ins (demo mode only):")
        out.write(f"{'username':<16} {'role':<33} {'password':<21} authenticator secret (TOTP)")
        for username in usernames:
            device = devices.get(username)
            if device is None:
                continue
            secret = base64.b32encode(device.bin_key).decode()
            role = Role(device.user.role).label
            out.write(f"{username:<16} {role:<33} {DEMO_PASSWORD:<21} {secret}")
        out.write("Current code: make totp USER=<username>\n")
