import base64
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_otp.plugins.otp_totp.models import TOTPDevice

from safehub.access.roles import Role

# The sign-ins `make run` prints: one per role, in the order a newcomer would try them.
PRINTED = [
    "mash.worker",
    "social.worker",
    "social.worker2",
    "team.manager",
    "cp.chair",
    "teacher.dsl",
    "health.visitor",
    "analyst",
    "dpo",
    "sysadmin",
    "sysadmin2",
]


class Command(BaseCommand):
    help = "Print the demo council's sign-ins (demo mode only)."

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEMO_MODE:
            raise CommandError("Demo sign-ins exist only in demo mode (DEMO_MODE=true).")
        from safehub.demo.generator import DEMO_PASSWORD

        devices = {
            d.user.username: d
            for d in TOTPDevice.objects.select_related("user").filter(
                user__username__in=PRINTED, user__is_demo=True, confirmed=True
            )
        }
        if not devices:
            raise CommandError("No demo sign-ins found: run `manage.py seed_demo` first.")
        out = self.stdout
        out.write("\nSafeHub demo council (Demoshire) is at http://127.0.0.1:8000/")
        out.write(f"Every demo account's password: {DEMO_PASSWORD}\n")
        out.write(f"{'username':<16} {'role':<30} authenticator secret (TOTP)")
        for username in PRINTED:
            device = devices.get(username)
            if device is None:
                continue
            secret = base64.b32encode(device.bin_key).decode()
            out.write(f"{username:<16} {Role(device.user.role).label:<30} {secret}")
        out.write("\nFor the current 6-digit code: make totp USER=<username>\n")
