import re
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from safehub.audit.sealing import audit_verify


def _head(value: str) -> tuple[int, str]:
    match = re.fullmatch(r"(\d+):([0-9a-f]{64})", value.strip())
    if not match:
        raise CommandError("--head is NUMBER:DIGEST, as `audit_seal` prints it.")
    return int(match[1]), match[2]


class Command(BaseCommand):
    help = (
        "Recompute every audit seal and check the chain; exit 1 naming the seal and its "
        "audit rows if any row was changed, deleted or added, or a seal altered or removed."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--head",
            help="NUMBER:DIGEST of a seal recorded outside the database (audit_seal prints "
            "it): also checks that no seals were removed from the end of the chain.",
        )

    def handle(self, *args: Any, head: str | None, **options: Any) -> None:
        report = audit_verify(expected_head=_head(head) if head else None)
        for problem in report.problems:
            self.stderr.write(problem)
        summary = (
            f"{report.seals} seal{'' if report.seals == 1 else 's'} covering "
            f"{report.rows_sealed} audit rows checked; "
            f"{report.rows_unsealed} rows are not sealed yet."
        )
        if report.head is not None:
            summary += f" Newest seal: {report.head.number}:{report.head.digest}"
        if not report.ok:
            raise CommandError(
                f"The audit trail is NOT intact: {len(report.problems)} problem(s) above. "
                + summary
            )
        self.stdout.write("The audit trail is intact. " + summary)
