"""A council's earlier SSDA903 returns loaded as its history (ADR 0051): the inverse of
`export.py`, built on the CIN census import's runs, matching, batches and report (ADR
0044). The files are read by the 903's guarded reader and refused whole if any is not a 903
file, holds a cell that would run as a spreadsheet formula, or belongs to another year.

Each child is matched by the old system's CHILD ID (kept as a `LegacyChildId` under this
council's LA code, so the CIN census's LAchildID for the same child finds the same record),
else by UPN with the same birth date, else made. Their episodes are grouped into periods of
care, and the reviews, missing episodes, UASC status, adoption decisions and previous
permanence recreated. Records already there (a period holding the same episode, an episode
with the same start, a review on the same day ...) are recognised and only extended with
an end the record lacks. The OC2, OC3 and social worker files are reported, not imported:
SafeHub keeps those as records of their own that the return summarises."""

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from itertools import pairwise
from typing import Any

import pandas as pd
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction

from safehub.access.policy import can_import_history
from safehub.casework.codes import (
    ClosureReason,
    EpisodeKind,
    LegalStatus,
    MissingKind,
    Participation,
    PlacementChangeReason,
    PlacementProvider,
    PlacementType,
    PrimaryNeed,
    ReasonCeased,
    ReasonNewEpisode,
)
from safehub.casework.models import (
    CareEpisode,
    CareReview,
    Episode,
    MissingEpisode,
    PeriodOfCare,
    UASCStatus,
)
from safehub.core.exceptions import PermissionDeniedError
from safehub.organisations.models import User
from safehub.people.codes import Ethnicity, Sex, UpnUnknown
from safehub.permanence.codes import (
    AdopterLegalStatus,
    AdopterSexes,
    PreviousPermanence,
    ReversalReason,
)
from safehub.permanence.models import Adopters, Adoption, PermanenceBefore
from safehub.returns.cin.importer import (
    Batches,
    ChildResult,
    ImportReport,
    Problem,
    Progress,
    _Child,
    _File,
    _Refused,
    dry_run_import,
    run_import,
)
from safehub.returns.models import ChildOutcome, ImportedRecord, ImportRun
from safehub.returns.ssda903.spec import BY_KEY, YEARS, CollectionYear
from safehub.returns.ssda903.tables import PARSED, Read, read_files

AUDITED = "returns.s903_import"
NOT_RECORDED = "Not recorded: imported from an SSDA903 return"
# The files SafeHub does not recreate, and why (said once per row in the report).
NOT_KEPT = {
    "oc2": "SafeHub keeps health checks, SDQs and offences as records of their own, with "
    "dates the OC2 does not carry; record them on the child's care pages.",
    "oc3": "SafeHub keeps a care leaver's birthday contact on their leaving-care record, "
    "which the OC3 does not identify; record it there.",
    "sw_episodes": "SafeHub's allocations name a SafeHub worker and team, which the old "
    "system's SW_ID does not; allocate the case on its casework page.",
}
ADOPTED = (ReasonCeased.E11, ReasonCeased.E12)
# How a care episode of need made for a period is closed when the period ends (census codes).
CLOSURE_FOR: dict[str, str] = {
    ReasonCeased.E11: ClosureReason.RC1,
    ReasonCeased.E12: ClosureReason.RC1,
    ReasonCeased.E2: ClosureReason.RC2,
    ReasonCeased.E41: ClosureReason.RC3,
    ReasonCeased.E45: ClosureReason.RC4,
    ReasonCeased.E46: ClosureReason.RC4,
    ReasonCeased.E47: ClosureReason.RC4,
    ReasonCeased.E48: ClosureReason.RC4,
    ReasonCeased.E3: ClosureReason.RC5,
    ReasonCeased.E7: ClosureReason.RC6,
}

Row = dict[str, Any]


@dataclass
class ChildRows:
    """One child's rows from every file, by the spec's keys, each with its `line`."""

    child_id: str
    rows: dict[str, list[Row]] = field(default_factory=dict)

    def of(self, key: str) -> list[Row]:
        return self.rows.get(key, [])


def import_903(
    *,
    actor: User,
    files: dict[str, bytes],
    filename: str,
    year: str,
    now: datetime,
    dry_run: bool = False,
    batch_size: int = 200,
    progress: Progress | None = None,
) -> ImportReport:
    """Import the 903 files `files` (name to content) as the return for `year`. A dry run
    does everything and keeps nothing."""
    if not can_import_history(actor):
        raise PermissionDeniedError("Only the returns team or an administrator imports history.")
    report = ImportReport(filename[:200], dry_run=dry_run, year=year)
    if year not in YEARS:
        report.refused = f"SafeHub imports the 903 for {', '.join(YEARS)}, not {year or '(none)'}."
        return report
    read = read_files(files)
    refusal = _refusal(read, YEARS[year])
    if refusal:
        report.refused = f"{refusal} Nothing was imported."
        return report
    children = _by_child(read)
    file = _File(settings.LA_CODE, YEARS[year].end, year)
    if dry_run:
        return dry_run_import(
            actor, report, file, children, load_one=_one_child, object_type=AUDITED
        )
    batches = Batches(_one_child, AUDITED, batch_size, progress)
    return run_import(actor, report, file, children, _digest(files), now, batches)


def _digest(files: dict[str, bytes]) -> str:
    """The same files, however named or ordered, are the same import."""
    digest = hashlib.sha256()
    for content in sorted(files.values()):
        digest.update(hashlib.sha256(content).digest())
    return digest.hexdigest()


def _refusal(read: Read, year: CollectionYear) -> str:
    """Why these files are not a 903 SafeHub can import for `year`, or ""."""
    if read.problems:
        return " ".join(problem for _, problem in read.problems[:5])
    if read.formulas:
        name, _, line, column = read.formulas[0]
        return (
            f"{name} line {line}, column {column}, starts like a spreadsheet formula "
            f"(=, +, -, @), which no 903 value does ({len(read.formulas)} such cells)."
        )
    missing = [BY_KEY[k].title for k in ("header", "episodes") if k not in read.tables]
    if missing:
        return f"No {' or '.join(missing)} file was found, so no child's history can be built."
    return _outside(read, year)


def _outside(read: Read, year: CollectionYear) -> str:
    """A date the year's return cannot hold (an episode starting after the year, or ending
    before it; a review outside it) says the files are another year's."""
    first, last = pd.Timestamp(year.start), pd.Timestamp(year.end)
    checks = (
        ("episodes", "DECOM", "An episode starts", lambda d: d > last),
        ("episodes", "DEC", "An episode ends", lambda d: d < first),
        ("reviews", "REVIEW", "A review is held", lambda d: (d < first) | (d > last)),
    )
    for key, column, what, wrong in checks:
        frame = read.tables.get(key)
        days = pd.Series(dtype="datetime64[ns]") if frame is None else frame[column + PARSED]
        bad = days.dropna()[wrong(days.dropna())]
        if not bad.empty:
            return (
                f"{what} on {bad.iloc[0]:%-d %B %Y}, outside {year.name} (1 April "
                f"{year.start.year} to 31 March {year.end.year}): these are not the files "
                f"for {year.name}."
            )
    return ""


def _by_child(read: Read) -> list[ChildRows]:
    """Each child's rows, children in the header's order (then any the header lacks)."""
    children: dict[str, ChildRows] = {}
    for key in ("header", *[k for k in read.tables if k != "header"]):
        frame = read.tables.get(key)
        if frame is None:
            continue
        for record in frame.to_dict("records"):
            row = {str(column): value for column, value in record.items()}
            child = str(row["CHILD"]).strip()
            children.setdefault(child, ChildRows(child)).rows.setdefault(key, []).append(row)
    return list(children.values())


def _one_child(
    actor: User, run: ImportRun, file: _File, rows: ChildRows, position: int
) -> ChildResult:
    header = rows.of("header")
    line = header[0]["line"] if header else _first_line(rows)
    result = ChildResult(position, rows.child_id, line)
    child = _Child903(actor, run, file, result)
    try:
        with transaction.atomic():
            child.load_903(rows)
    except _Refused:
        result.outcome, result.person_id, result.made = ChildOutcome.REFUSED, None, {}
    except (DatabaseError, ValidationError) as error:
        result.outcome, result.person_id, result.made = ChildOutcome.REFUSED, None, {}
        result.problems.append(Problem("Child", line, f"The record could not be saved ({error})."))
    if result.outcome == ChildOutcome.REFUSED:
        result.problems.append(Problem("Child", line, "Nothing of this child was imported."))
    return result


def _first_line(rows: ChildRows) -> int | None:
    lines = [r["line"] for found in rows.rows.values() for r in found]
    return min(lines) if lines else None


def _text(row: Row, column: str) -> str:
    return str(row.get(column) or "").strip()


# --- One child -------------------------------------------------------------------------


class _Child903(_Child):
    """The CIN import's child (matching, making, filling blanks, refusing whole), loading
    the 903's files instead of a census element."""

    FAMILY = "Looked-after child"

    def __init__(self, actor: User, run: ImportRun, file: _File, result: ChildResult) -> None:
        super().__init__(actor, run, file, result)
        self.refusals = 0  # so a part can tell whether it was refused itself
        self.mine: set[tuple[str, int]] = set()  # what this child's load made, dry run too

    def refuse(self, item: str, line: int | None, reason: str) -> None:
        super().refuse(item, line, reason)
        self.refusals += 1

    def made(self, instance: Any, kind: str) -> None:
        super().made(instance, kind)
        self.mine.add((instance._meta.label, instance.pk))

    def load_903(self, rows: ChildRows) -> None:
        line = self.result.line
        header = rows.of("header")
        if not self.result.la_child_id:
            self.refuse("Header", line, "The child has no CHILD ID.")
            raise _Refused
        if len(header) != 1:
            why = "is not in the header file" if not header else "is in the header file twice"
            self.refuse("Header", line, f"The child {why}, so cannot be told who they are.")
            raise _Refused
        self.person = self.match_or_make(self.header_details(header[0]), {}, line)
        self.result.person_id = self.person.pk
        Periods(self, rows.of("episodes")).load()
        for row in rows.of("reviews"):
            self.review(row)
        for row in rows.of("missing"):
            self.missing(row)
        for row in rows.of("uasc"):
            self.uasc(row)
        for row in rows.of("prev_perm"):
            self.previous_permanence(row)
        Adoptions(self, rows.of("placed_adoption"), rows.of("ad1")).load()
        for key, why in NOT_KEPT.items():
            for row in rows.of(key):
                self.left_out(BY_KEY[key].title, row["line"], f"Not imported: {why}")
        self.keep()

    # Reading values ----------------------------------------------------------------------

    def day(self, row: Row, column: str, item: str) -> date | None:
        """The column's date, None when blank; a value that is not a date refuses the child."""
        text = _text(row, column)
        if not text:
            return None
        parsed = row.get(column + PARSED)
        if parsed is None or pd.isna(parsed):
            self.refuse(item, row["line"], f"{column} {text!r} is not a date (dd/mm/yyyy).")
            return None
        return parsed.date()

    def needed(self, row: Row, column: str, codes: Iterable[str], item: str) -> str:
        """A code the record cannot be made without: a missing or unknown one refuses."""
        text = _text(row, column)
        if text not in codes:
            self.refuse(item, row["line"], f"{column} {text or '(blank)'!r} is not a 903 code.")
        return text

    def optional(self, row: Row, column: str, codes: Iterable[str], item: str) -> str:
        """A code the record can do without: an unknown one is left out and said so."""
        text = _text(row, column)
        if text and text not in codes:
            self.left_out(item, row["line"], f"{column} {text!r} is not a 903 code; left blank.")
            return ""
        return text

    def header_details(self, row: Row) -> dict[str, Any]:
        """The person's fields as the header gives them (the fields the CIN import fills)."""
        upn_text = _text(row, "UPN")
        unknown = upn_text if upn_text in UpnUnknown.values else ""
        upn = (
            ""
            if unknown or upn_text.startswith("UN")
            else self.upn({"UPN": upn_text}, "UPN", row["line"])
        )
        if upn_text.startswith("UN") and not unknown:
            self.left_out("Header", row["line"], f"UPN {upn_text!r} is not a reason SafeHub keeps.")
        if _text(row, "MOTHER") == "1":
            self.left_out(
                "Header",
                row["line"],
                "MOTHER and MC_DOB are not imported: SafeHub knows a mother by her baby's own "
                "record; add the baby and the relationship by hand.",
            )
        return {
            "upn": upn,
            "former_upn": "",
            "upn_unknown": unknown,
            "date_of_birth": self.day(row, "DOB", "Header"),
            "expected_date_of_birth": None,
            "sex": self.optional(row, "SEX", Sex.values, "Header") or Sex.UNKNOWN,
            "date_of_death": None,
            "ethnicity": self.optional(row, "ETHNIC", Ethnicity.values, "Header") or "NOBT",
            "disabilities": [],
        }

    # Reviews, missing, UASC, previous permanence ------------------------------------------

    def period_on(self, day: date) -> PeriodOfCare | None:
        return (
            PeriodOfCare.objects.filter(child=self.person, start_date__lte=day)
            .exclude(end_date__lt=day)
            .order_by("-start_date")
            .first()
        )

    def review(self, row: Row) -> None:
        held = self.day(row, "REVIEW", "Reviews")
        if held is None:
            self.refuse("Reviews", row["line"], "The review has no date.")
            return
        period = self.period_on(held)
        if period is None:
            self.refuse(
                "Reviews", row["line"], f"The review on {held:%-d %B %Y} is in no period of care."
            )
            return
        if period.reviews.filter(held_on=held).exists():
            return
        made = CareReview.objects.create(
            period=period,
            held_on=held,
            participation=self.optional(row, "REVIEW_CODE", Participation.values, "Reviews"),
            recorded_by=self.actor,
        )
        self.made(made, "looked-after review")

    def missing(self, row: Row) -> None:
        start = self.day(row, "MIS_START", "Missing")
        end = self.day(row, "MIS_END", "Missing")
        kind = self.needed(row, "MISSING", MissingKind.values, "Missing")
        if start is None or (end and end < start):
            self.refuse(
                "Missing", row["line"], "The missing episode's dates are missing or out of order."
            )
            return
        found = MissingEpisode.objects.filter(child=self.person, start_date=start).first()
        if found is not None:
            if found.end_date is None and end:
                found.end_date = end
                found.save(update_fields=["end_date", "updated_at"])
                self.extended("missing episode")
            return
        if kind in MissingKind.values:
            made = MissingEpisode.objects.create(
                child=self.person, kind=kind, start_date=start, end_date=end, recorded_by=self.actor
            )
            self.made(made, "missing episode")

    def uasc(self, row: Row) -> None:
        """The file has only the day UASC status ceased; it is taken to have begun with the
        child's first period of care or the year, whichever is later."""
        ceased = self.day(row, "DUC", "UASC")
        found = UASCStatus.objects.filter(child=self.person).first()
        if found is not None:
            if found.ceased_on is None and ceased and ceased >= found.started_on:
                found.ceased_on, found.version = ceased, found.version + 1
                found.save(update_fields=["ceased_on", "version", "updated_at"])
                self.extended("UASC status")
            return
        year_start = YEARS[self.file.year].start
        first = (
            PeriodOfCare.objects.filter(child=self.person)
            .order_by("start_date")
            .values_list("start_date", flat=True)
            .first()
        )
        started = max(year_start, first or year_start)
        made = UASCStatus.objects.create(
            child=self.person,
            started_on=min(started, ceased) if ceased else started,
            ceased_on=ceased,
            recorded_by=self.actor,
        )
        self.made(made, "UASC status")

    def previous_permanence(self, row: Row) -> None:
        kind = self.needed(row, "PREV_PERM", PreviousPermanence.values, "PrevPerm")
        on = self.day(row, "DATE_PERM", "PrevPerm")
        local_authority = _text(row, "LA_PERM")
        if len(local_authority) > 60:
            self.left_out(
                "PrevPerm", row["line"], "LA_PERM is longer than 60 characters; left blank."
            )
            local_authority = ""
        found = PermanenceBefore.objects.filter(child=self.person).first()
        if found is not None:
            if (found.kind, found.on) != (kind, on):
                self.left_out(
                    "PrevPerm", row["line"], "Differs from the record's; the record's is kept."
                )
            return
        if kind in PreviousPermanence.values:
            made = PermanenceBefore.objects.create(
                child=self.person,
                kind=kind,
                local_authority=local_authority,
                on=on,
                recorded_by=self.actor,
            )
            self.made(made, "previous permanence")

    def made_here(self, instance: Any) -> bool:
        """Whether this import (this run or an earlier one) made `instance`."""
        label = instance._meta.label
        if (label, instance.pk) in self.mine:
            return True
        return ImportedRecord.objects.filter(kind=label, object_id=instance.pk).exists()


# --- Periods of care -------------------------------------------------------------------


@dataclass
class _Episode:
    """One Episodes row, checked."""

    line: int
    start: date
    end: date | None
    values: dict[str, str]


class Periods:
    """A child's Episodes rows grouped into periods of care (a period starts at RNE S, or at
    the first row when it began before the file, and ends at a reason other than X1), each
    found or made with its episodes."""

    def __init__(self, child: _Child903, rows: list[Row]) -> None:
        self.child, self.rows = child, rows

    def load(self) -> None:
        episodes = [e for e in (self.checked(r) for r in self.rows) if e is not None]
        if self.child.blocked:
            return
        for group in self.groups(sorted(episodes, key=lambda e: (e.start, e.line))):
            if self.joined_up(group):
                Period(self.child, group).load()

    def checked(self, row: Row) -> _Episode | None:
        c, item = self.child, "Episodes"
        start, end = c.day(row, "DECOM", item), c.day(row, "DEC", item)
        values = {
            "rne": c.needed(row, "RNE", ReasonNewEpisode.values, item),
            "ls": c.needed(row, "LS", LegalStatus.values, item),
            "place": c.needed(row, "PLACE", PlacementType.values, item),
            "provider": c.needed(row, "PLACE_PROVIDER", PlacementProvider.values, item),
            "cin": c.optional(row, "CIN", PrimaryNeed.values, item),
            "rec": c.optional(row, "REC", ReasonCeased.values, item),
            "change": c.optional(row, "REASON_PLACE_CHANGE", PlacementChangeReason.values, item),
        }
        for column, name in (("HOME_POST", "home"), ("PL_POST", "placed"), ("URN", "urn")):
            text = _text(row, column)
            if len(text) > 8:
                c.left_out(item, row["line"], f"{column} {text[:20]!r} is too long; left blank.")
                text = ""
            values[name] = text
        if start is None:
            c.refuse(item, row["line"], "The episode has no start date (DECOM).")
            return None
        if (end is None) != (not values["rec"]) or (end and end < start):
            c.refuse(item, row["line"], "DEC and REC must come together, DEC not before DECOM.")
            return None
        return _Episode(row["line"], start, end, values)

    def groups(self, episodes: list[_Episode]) -> list[list[_Episode]]:
        groups: list[list[_Episode]] = []
        for e in episodes:
            ended = groups and groups[-1][-1].values["rec"] not in ("", ReasonCeased.X1)
            if not groups or e.values["rne"] == ReasonNewEpisode.S or ended:
                groups.append([])
            groups[-1].append(e)
        return groups

    def joined_up(self, group: list[_Episode]) -> bool:
        """Each episode of a period ends (X1) the day the next starts; only the last is open."""
        for before, after in pairwise(group):
            if before.end != after.start or before.values["rec"] != ReasonCeased.X1:
                self.child.refuse(
                    "Episodes",
                    after.line,
                    f"The episode from {after.start:%-d %B %Y} does not follow on from the one "
                    "before it (that one must end with X1 the same day).",
                )
                return False
        if group[-1].values["rec"] == ReasonCeased.X1:
            self.child.refuse(
                "Episodes", group[-1].line, "The episode ends with X1 but no episode follows it."
            )
            return False
        return True


class Period:
    """One period of care: found by an episode it already holds (or the day it covers),
    else made with an episode of need to hang from; then each episode found or made."""

    def __init__(self, child: _Child903, group: list[_Episode]) -> None:
        self.child, self.group = child, group
        self.first, self.last = group[0], group[-1]

    def load(self) -> None:
        refusals = self.child.refusals
        period = self.found()
        if self.child.refusals > refusals:
            return
        if period is None:
            period = self.make()
            if period is None:
                return
        for e in self.group:
            self.episode(period, e)
        if self.child.refusals > refusals:
            return
        if period.end_date is None and self.last.end:
            self.end(period, self.last.end, self.last.values["rec"])

    def found(self) -> PeriodOfCare | None:
        c = self.child
        starts = [e.start for e in self.group]
        holding = PeriodOfCare.objects.filter(
            child=c.person, episodes__start_date__in=starts
        ).distinct()
        period = holding.order_by("start_date").first()
        if period is None and self.first.values["rne"] != ReasonNewEpisode.S:
            period = c.period_on(self.first.start)
        if period is not None and self.first.start < period.start_date:
            c.refuse(
                "Episodes",
                self.first.line,
                f"The episodes start before the period of care SafeHub holds from "
                f"{period.start_date:%-d %B %Y}; import the years in order.",
            )
        return period

    def make(self) -> PeriodOfCare | None:
        c, start, end = self.child, self.first.start, self.last.end
        overlapping = PeriodOfCare.objects.filter(child=c.person).exclude(end_date__lt=start)
        if end is not None:
            overlapping = overlapping.filter(start_date__lte=end)
        clash = overlapping.first()
        if clash is not None:
            c.refuse(
                "Episodes",
                self.first.line,
                f"The period from {start:%-d %B %Y} overlaps the one SafeHub holds from "
                f"{clash.start_date:%-d %B %Y}.",
            )
            return None
        need = self.episode_of_need(start)
        if need is None:
            return None
        period = PeriodOfCare.objects.create(child=c.person, episode=need, start_date=start)
        c.made(period, "period of care")
        if self.first.values["rne"] != ReasonNewEpisode.S:
            c.left_out(
                "Episodes",
                self.first.line,
                "The period began before these files; it is recorded from the first episode "
                f"they hold ({start:%-d %B %Y}).",
            )
        return period

    def episode_of_need(self, start: date) -> Episode | None:
        """The child's episode of need open on `start`, or one made from that day (closed
        with the period: see `end`)."""
        c, cin = self.child, self.first.values["cin"]
        found = (
            Episode.objects.filter(child=c.person, kind=EpisodeKind.CIN, referral_date__lte=start)
            .exclude(closure_date__lt=start)
            .order_by("-referral_date")
            .first()
        )
        if found is not None:
            if cin and not found.primary_need:
                found.primary_need, found.version = cin, found.version + 1
                found.save(update_fields=["primary_need", "version"])
            elif cin and cin != found.primary_need:
                c.left_out(
                    "Episodes",
                    self.first.line,
                    "CIN differs from the episode of need's; the record's is kept.",
                )
            return found
        if Episode.objects.filter(
            child=c.person, kind=EpisodeKind.CIN, closure_date__isnull=True
        ).exists():
            c.refuse(
                "Episodes",
                self.first.line,
                "The child has an open episode of need that starts after this period.",
            )
            return None
        made = Episode.objects.create(
            kind=EpisodeKind.CIN,
            child=c.person,
            referral_date=start,
            primary_need=cin,
            opened_by=c.actor,
        )
        c.made(made, "episode")
        return made

    def episode(self, period: PeriodOfCare, e: _Episode) -> None:
        c, v = self.child, e.values
        found = period.episodes.filter(start_date=e.start).first()
        if found is not None:
            if found.end_date is None and e.end:
                found.end_date, found.reason_ceased = e.end, v["rec"]
                found.reason_place_change = v["change"]
                found.save(
                    update_fields=["end_date", "reason_ceased", "reason_place_change", "updated_at"]
                )
                c.extended("care episode")
            return
        if period.episodes.filter(end_date__isnull=True, start_date__lt=e.start).exists():
            c.refuse(
                "Episodes", e.line, "The period's open episode is not in these files to close."
            )
            return
        made = CareEpisode.objects.create(
            period=period,
            start_date=e.start,
            reason_new_episode=v["rne"],
            legal_status=v["ls"],
            placement_type=v["place"],
            provider=v["provider"],
            home_postcode=v["home"],
            placement_postcode=v["placed"],
            urn=v["urn"],
            end_date=e.end,
            reason_ceased=v["rec"] if e.end else "",
            reason_place_change=v["change"] if e.end else "",
        )
        c.made(made, "care episode")

    def end(self, period: PeriodOfCare, day: date, reason: str) -> None:
        period.end_date, period.reason_ceased, period.version = day, reason, period.version + 1
        period.save(update_fields=["end_date", "reason_ceased", "version", "updated_at"])
        need = period.episode
        if need.closure_date is None and self.child.made_here(need):
            need.closure_date = day
            need.closure_reason = CLOSURE_FOR.get(reason, ClosureReason.RC7)
            need.version += 1
            need.save(update_fields=["closure_date", "closure_reason", "version"])


# --- Adoption --------------------------------------------------------------------------


class Adoptions:
    """PlacedAdoption rows (the decision that the child should be placed, its reversal) and
    AD1 rows (the match and the adopters, for a child adopted), as `Adoption` records."""

    def __init__(self, child: _Child903, placed: list[Row], ad1: list[Row]) -> None:
        self.child, self.placed, self.ad1 = child, placed, ad1

    def load(self) -> None:
        for row in self.placed:
            self.decision(row)
        for row in self.ad1:
            self.adopted(row)

    def decision(self, row: Row) -> Adoption | None:
        c, item = self.child, "PlacedAdoption"
        decided = c.day(row, "DATE_PLACED", item)
        ceased = c.day(row, "DATE_PLACED_CEASED", item)
        reason = c.optional(row, "REASON_PLACED_CEASED", ReversalReason.values, item)
        if decided is None or (ceased and ceased < decided) or (ceased is None) != (not reason):
            c.refuse(
                item, row["line"], "The decision's dates or reason are missing or out of order."
            )
            return None
        found = Adoption.objects.filter(child=c.person, decided_on=decided).first()
        if found is not None:
            if found.is_open and ceased:
                found.reversed_on, found.reversal_reason = ceased, reason
                found.version += 1
                found.save(
                    update_fields=["reversed_on", "reversal_reason", "version", "updated_at"]
                )
                c.extended("adoption decision")
            return found
        if (
            ceased is None
            and Adoption.objects.filter(
                child=c.person, order_on__isnull=True, reversed_on__isnull=True
            ).exists()
        ):
            c.refuse(item, row["line"], "The child already has another adoption plan open.")
            return None
        made = Adoption.objects.create(
            child=c.person,
            decided_on=decided,
            reversed_on=ceased,
            reversal_reason=reason,
            recorded_by=c.actor,
        )
        c.made(made, "adoption decision")
        return made

    def adopted(self, row: Row) -> None:
        """The adoption order is taken as the day the period ended by adoption."""
        c, item = self.child, "AD1"
        decided = c.day(row, "DATE_INT", item)
        matched = c.day(row, "DATE_MATCH", item)
        sexes = c.needed(row, "SEX_ADOPTR", AdopterSexes.values, item)
        status = c.needed(row, "LS_ADOPTR", AdopterLegalStatus.values, item)
        if decided is None or (matched and matched < decided):
            c.refuse(item, row["line"], "The adoption's dates are missing or out of order.")
            return
        if c.blocked:
            return
        adoption = Adoption.objects.filter(child=c.person, decided_on=decided).first()
        if adoption is None:
            adoption = Adoption.objects.create(
                child=c.person, decided_on=decided, recorded_by=c.actor
            )
            c.made(adoption, "adoption decision")
        if adoption.adopters_id is not None:
            return
        adopters = Adopters.objects.create(
            reference=f"903-{adoption.pk}"[:12],
            names=NOT_RECORDED,
            sexes=sexes,
            legal_status=status,
            enquiry_on=matched or decided,
            recorded_by=c.actor,
        )
        c.made(adopters, "adopters")
        if _text(row, "NB_ADOPTR") != str(adopters.number):
            c.left_out(item, row["line"], "NB_ADOPTR does not fit SEX_ADOPTR; SEX_ADOPTR is kept.")
        foster = _text(row, "FOSTER_CARE")
        adoption.adopters, adoption.matched_on = adopters, matched
        adoption.by_foster_carer = {"1": True, "0": False}.get(foster)
        adoption.order_on = adoption.order_on or self.order_day()
        adoption.version += 1
        adoption.save()

    def order_day(self) -> date | None:
        return (
            PeriodOfCare.objects.filter(child=self.child.person, reason_ceased__in=ADOPTED)
            .order_by("-end_date")
            .values_list("end_date", flat=True)
            .first()
        )
