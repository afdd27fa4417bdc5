import argparse
from datetime import date
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from safehub.organisations.models import Agency


def _iso_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date: use YYYY-MM-DD") from None


class Command(BaseCommand):
    help = (
        "Create the synthetic council Demoshire with its demo sign-ins, families and "
        "chronologies (demo mode only)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        from safehub.demo.generator import SCALES

        parser.add_argument(
            "--scale",
            choices=list(SCALES),
            default="small",
            help="small: about 2,000 people; county: 50,000; large: 1,000,000 (PostgreSQL only)",
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing if the database already has organisations",
        )
        parser.add_argument(
            "--persons", type=int, default=None, help="Override the number of people for the scale"
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=None,
            help="Another seed gives another (still deterministic) council",
        )
        parser.add_argument(
            "--as-of",
            type=_iso_date,
            default=None,
            metavar="YYYY-MM-DD",
            help="The day the council's history runs up to (default: today); ages, open "
            "work and what is overdue are all reckoned from it",
        )
        parser.add_argument(
            "--no-signins",
            dest="signins",
            action="store_false",
            help="Do not print the sign-ins at the end (make run prints them once, with the "
            "address it serves on)",
        )
        parser.add_argument(
            "--method",
            choices=["auto", "copy", "bulk_create"],
            default="auto",
            help="How rows are inserted: auto = COPY on PostgreSQL, bulk_create elsewhere",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEMO_MODE:
            raise CommandError(
                "Refusing to create the demo council: DEMO_MODE is off. Demo accounts must "
                "never exist under production settings; use the local settings or set "
                "DEMO_MODE=true on a throwaway database."
            )
        from safehub.demo.generator import DEFAULT_SEED, generate

        if Agency.objects.exists():
            if options["if_empty"]:
                self.stdout.write(
                    "The database already has organisations: not seeding the demo council."
                )
                return
            raise CommandError(
                "The database already has organisations. Seed an empty "
                "database, or pass --if-empty to skip quietly."
            )
        scale = str(options["scale"])
        if scale == "large" and connection.vendor != "postgresql":
            raise CommandError("The large scale needs PostgreSQL (set DATABASE_URL).")
        self.stdout.write(f"Creating the demo council Demoshire ({scale})...")
        result = generate(
            scale,
            persons=options["persons"],
            seed=options["seed"] or DEFAULT_SEED,
            method=str(options["method"]),
            reference_date=options["as_of"],
            progress=self.stdout.write,
        )
        c = result.counts
        self.stdout.write(
            f"Done in {result.seconds:,.1f}s: {c['persons']:,} people in {c['families']:,} "
            f"families ({c['known_families']:,} known to the council), "
            f"{c['relationships']:,} relationship rows, {c['involvements']:,} involvements, "
            f"{c['entries']:,} chronology entries, {c['links']:,} links; "
            f"{c['contacts']:,} front-door contacts ({c['open_contacts']:,} open), "
            f"{c['information_requests']:,} partner information requests."
        )
        for person_id in result.long_history_person_ids:
            self.stdout.write(f"Long-history child: SafeHub ID {person_id}")
        if options["signins"]:
            call_command("demo_signins", stdout=self.stdout)
