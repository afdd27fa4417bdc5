"""The --as-of argument the scheduled partner commands share: the moment the run counts
from, so a run (and a test) says what "now" is rather than reading the clock."""

import argparse
from datetime import datetime

from django.utils import timezone

from safehub.core.workdays import LONDON


def as_of(value: str) -> datetime:
    """An ISO date and time; without a zone it is London time."""
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{value!r} is not a date and time like 2026-11-24T09:00"
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=LONDON)


def add_as_of(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--as-of",
        type=as_of,
        default=None,
        help="Count from this moment (ISO, London time unless a zone is given); default now.",
    )


def resolve(value: datetime | None) -> datetime:
    return value or timezone.now()
