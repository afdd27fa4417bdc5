import time
from typing import Any

from django.core.management.base import BaseCommand

from safehub.notifications.services import outbox_relay


class Command(BaseCommand):
    help = "Deliver pending outbox messages (e-mail, inbox). --loop keeps running."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--loop", action="store_true")
        parser.add_argument("--interval", type=float, default=5.0)

    def handle(self, *args: Any, loop: bool, interval: float, **options: Any) -> None:
        while True:
            sent = outbox_relay()
            if sent:
                self.stdout.write(f"outbox: sent {sent}")
            if not loop:
                return
            time.sleep(interval)
