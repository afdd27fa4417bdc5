"""Mistakes planted on purpose in Demoshire's records, so the CIN census validator has
something real to find in the demo (everything else in the demo's census passes the
format and every rule; `returns/tests/test_cin_round_trip.py` holds both to that).

They stand for what a council's census really trips on, records carried over from the
system before SafeHub, written here straight to the table as a migration would have done,
not through the services that would refuse them today:

- rule 1510: a child's UPN keyed with the wrong check letter;
- rule 8540: a child in need whose disability answer was never recorded.

Each is planted on a child in the last census year that ended before the demo's day
(`census_plant_targets`), chosen the same way every time, so tests can find them."""

from dataclasses import dataclass
from datetime import date

from safehub.casework.codes import EpisodeKind
from safehub.casework.models import Episode
from safehub.core.identifiers import UPN_LETTERS
from safehub.people.models import Person


@dataclass(frozen=True)
class Plant:
    rule: str
    person_id: int
    what: str


def last_census_year(today: date) -> tuple[date, date]:
    """1 April to 31 March of the last census year that ended before `today`."""
    end_year = today.year if today >= date(today.year, 4, 1) else today.year - 1
    return date(end_year - 1, 4, 1), date(end_year, 3, 31)


def census_plant_targets(today: date) -> list[int]:
    """The two children the plants go on: the first, by SafeHub ID, with a UPN and an
    episode of need open in the last census year that was not closed as no further action."""
    start, end = last_census_year(today)
    episodes = Episode.objects.filter(
        kind=EpisodeKind.CIN, referral_date__lte=end, referral_nfa=False
    ).exclude(closure_date__lt=start)
    people = (
        Person.objects.filter(pk__in=episodes.values("child_id"), date_of_birth__isnull=False)
        .exclude(upn="")
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    return list(people[:2])


def _wrong_check_letter(upn: str) -> str:
    """The same UPN with another letter of the UPN alphabet in front."""
    other = UPN_LETTERS[(UPN_LETTERS.index(upn[0]) + 1) % len(UPN_LETTERS)]
    return other + upn[1:]


def seed_census_plants(today: date) -> list[Plant]:
    targets = census_plant_targets(today)
    if len(targets) < 2:
        return []
    bad_upn, no_answer = targets
    upn = Person.objects.values_list("upn", flat=True).get(pk=bad_upn)
    Person.objects.filter(pk=bad_upn).update(upn=_wrong_check_letter(upn))
    Person.objects.filter(pk=no_answer).update(disabilities=[])
    return [
        Plant("1510", bad_upn, "UPN with the wrong check letter"),
        Plant("8540", no_answer, "no disability answer"),
    ]
