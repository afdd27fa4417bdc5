import time
from typing import Any

from django.core.management.base import BaseCommand

from safehub.audit.sealing import SealConflict, audit_seal


class Command(BaseCommand):
    help = (
        "Seal the audit rows written since the last seal, once they have settled "
        "(AUDIT_SEAL_SETTLE_SECONDS). --loop keeps running. See ADR 0011."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--loop", action="store_true")
        parser.add_argument("--interval", type=float, default=30.0)

    def handle(self, *args: Any, loop: bool, interval: float, **options: Any) -> None:
        while True:
            try:
                for seal in audit_seal():
                    # The newest seal's number and digest: keep a copy outside the database
                    # (the log) so `audit_verify --head` can tell if seals were removed.
                    self.stdout.write(
                        f"audit: sealed {seal} ({seal.row_count} rows), "
                        f"head {seal.number}:{seal.digest}"
                    )
            except SealConflict as conflict:
                self.stderr.write(f"audit: {conflict}")
            if not loop:
                return
            time.sleep(interval)
