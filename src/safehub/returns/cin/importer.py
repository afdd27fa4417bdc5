"""A council's earlier CIN census files loaded as its history (ADR 0044): the inverse of
`export.py`. The file is read by the guarded reader and refused whole if it is not a census
SafeHub knows; then each child is matched (by the old system's LAchildID, else by UPN) or
made, and its episodes, assessments, section 47 enquiries, conferences, plans and reviews
recreated with the rules the casework services hold them to.

A child is all or nothing: a record of theirs that cannot be made refuses the child (every
reason listed) and leaves nothing of them behind. A value that is only wrong in itself (a
UPN with the wrong check letter, an unknown disability code) is left out and said so.
Records already there (the same referral date, assessment start, plan start ...) are
recognised rather than made again, and a closure, end or authorisation the record lacks is
added: the same file twice changes nothing, and a later year's file extends the history.

Children are written in batches, each batch one transaction (a savepoint per child) with
its outcomes and its audit row, so an import that stops resumes after the last batch."""

import hashlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.db.models import Max, Q
from lxml import etree

from safehub.access.policy import can_import_history, history_import_persons
from safehub.audit.models import AuditAction
from safehub.audit.services import audit_record
from safehub.casework import timescales
from safehub.casework.codes import (
    CategoryOfAbuse,
    ClosureReason,
    ConferenceKind,
    ConferenceOutcome,
    EpisodeKind,
    PrimaryNeed,
    ReferralSource,
    Section47Outcome,
    StrategyOutcome,
)
from safehub.casework.models import (
    Assessment,
    CINPlan,
    Conference,
    CPPlan,
    Episode,
    Section47,
    StrategyDiscussion,
)
from safehub.core.exceptions import PermissionDeniedError
from safehub.core.identifiers import clean_upn
from safehub.hardtosee.services import register_facts_for
from safehub.organisations.models import User
from safehub.people.codes import Disability, Ethnicity, NameKind, PersonKind, Sex, UpnUnknown
from safehub.people.models import Person, PersonName
from safehub.people.names import name_key, name_sound
from safehub.returns.cin.spec import CODE_SETS
from safehub.returns.cin.validate import census_year_of
from safehub.returns.models import (
    ChildOutcome,
    ImportedChild,
    ImportedRecord,
    ImportRun,
    ImportStatus,
    LegacyChildId,
)
from safehub.returns.safexml import MAX_BYTES, UnreadableFile, parse_xml

BATCH = 200
AUDITED = "returns.cin_import"  # the audit rows' object type
NOT_RECORDED = "Not recorded: imported from a CIN census file"
GIVEN_UNKNOWN = "Name not known"
YES = ("true", "TRUE", "1")


@dataclass
class Problem:
    item: str
    line: int | None
    reason: str

    def as_dict(self) -> dict[str, Any]:
        return {"item": self.item, "line": self.line, "reason": self.reason}


@dataclass
class ChildResult:
    position: int
    la_child_id: str
    line: int | None
    outcome: str = ChildOutcome.REFUSED
    person_id: int | None = None
    matched_by: str = ""
    made: dict[str, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)


@dataclass
class ImportReport:
    filename: str
    dry_run: bool = False
    year: str = ""
    refused: str = ""  # why the whole file was refused, in plain English
    run_id: int | None = None
    already_done: bool = False
    resumed_at: int = 0  # children already imported by an earlier, interrupted run
    children: list[ChildResult] = field(default_factory=list)

    def count(self, outcome: str) -> int:
        return sum(1 for c in self.children if c.outcome == outcome)

    @property
    def made(self) -> dict[str, int]:
        totals: dict[str, int] = {}
        for child in self.children:
            for kind, n in child.made.items():
                totals[kind] = totals.get(kind, 0) + n
        return totals

    @property
    def with_problems(self) -> list[ChildResult]:
        return [c for c in self.children if c.problems]

    def counts(self) -> dict[str, Any]:
        return {
            "children": len(self.children),
            "created": self.count(ChildOutcome.CREATED),
            "matched": self.count(ChildOutcome.MATCHED),
            "refused": self.count(ChildOutcome.REFUSED),
            "problems": sum(len(c.problems) for c in self.children),
            "made": self.made,
        }


class _Refused(Exception):
    """The child cannot be imported whole; their savepoint is rolled back."""


Progress = Callable[[int, int], None]


def import_cin(
    *,
    actor: User,
    content: bytes,
    filename: str,
    now: datetime,
    dry_run: bool = False,
    year: str | None = None,
    batch_size: int = BATCH,
    max_bytes: int = MAX_BYTES,
    progress: Progress | None = None,
) -> ImportReport:
    """Import the census file `content`. A dry run does everything and keeps nothing (its
    report is what the import would do). `progress(done, total)` is told after each batch
    is committed."""
    if not can_import_history(actor):
        raise PermissionDeniedError("Only the returns team or an administrator imports history.")
    report = ImportReport(filename[:200], dry_run=dry_run)
    try:
        root = parse_xml(content, max_bytes=max_bytes).getroot()
        census = census_year_of(root, year)
        la_code = _la_code(root)
    except UnreadableFile as problem:
        report.refused = f"{problem} Nothing was imported."
        return report
    report.year = census.name
    children = _children(root)
    file = _File(la_code, _reference_date(root, census.end), census.name)
    if dry_run:
        return dry_run_import(
            actor, report, file, children, load_one=_one_child, object_type=AUDITED
        )
    digest = hashlib.sha256(content).hexdigest()
    batches = Batches(_one_child, AUDITED, batch_size, progress)
    return run_import(actor, report, file, children, digest, now, batches)


@dataclass(frozen=True)
class _File:
    la_code: str
    reference_date: date
    year: str


def _la_code(root: etree._Element) -> str:
    text = (root.findtext("Header/Source/LEA") or "").strip()
    if not (len(text) == 3 and text.isdigit()):
        raise UnreadableFile(
            f"The header's LEA is {text or '(missing)'!r}, not a three-digit local authority "
            "number, so the children's LAchildIDs cannot be told apart from another council's."
        )
    return text


def _reference_date(root: etree._Element, default: date) -> date:
    text = (root.findtext("Header/CollectionDetails/ReferenceDate") or "").strip()
    try:
        return date.fromisoformat(text)
    except ValueError:
        return default


def _children(root: etree._Element) -> list[etree._Element]:
    holder = root.find("Children")
    return [] if holder is None else [c for c in holder if c.tag == "Child"]


# One child loaded: (actor, run, file, the child's data, position) -> what happened.
LoadOne = Callable[[User, ImportRun, "_File", Any, int], ChildResult]


def dry_run_import(
    actor: User,
    report: ImportReport,
    file: "_File",
    children: Sequence[Any],
    *,
    load_one: LoadOne,
    object_type: str,
) -> ImportReport:
    """Every child loaded and everything rolled back: the report is what an import would do.
    Shared by the CIN census and SSDA903 imports."""
    with transaction.atomic():
        run = ImportRun(pk=None, la_code=file.la_code, year=file.year)  # never saved
        for position, child in enumerate(children):
            report.children.append(load_one(actor, run, file, child, position))
        transaction.set_rollback(True)
    matched = [c.person_id for c in report.children if c.outcome == ChildOutcome.MATCHED]
    audit_record(
        actor=actor,
        action=AuditAction.VIEW,
        subject_ids=[pk for pk in matched if pk],
        object_type=f"{object_type}_dry_run",
        object_id=report.filename[:60],
        detail={"year": report.year, **report.counts()},
    )
    return report


@dataclass(frozen=True)
class Batches:
    """How an import is written: `load_one` per child, `object_type` on its audit rows."""

    load_one: LoadOne
    object_type: str
    size: int = BATCH
    progress: Progress | None = None


def run_import(
    actor: User,
    report: ImportReport,
    file: "_File",
    children: Sequence[Any],
    digest: str,
    now: datetime,
    batches: Batches,
) -> ImportReport:
    """The children written batch by batch under the run found by the file's `digest`: a
    finished file answers with its report, a stopped one carries on after its last batch."""
    finished = ImportRun.objects.filter(sha256=digest, status=ImportStatus.FINISHED).first()
    if finished:
        return _already_done(actor, report, finished, batches.object_type)
    run, start = _run_for(actor, report, file, digest, len(children), now)
    report.run_id, report.resumed_at = run.pk, start
    for first in range(start, len(children), batches.size):
        batch = children[first : first + batches.size]
        report.children += _batch(actor, run, file, batch, first, batches)
        if batches.progress:
            batches.progress(first + len(batch), len(children))
    _finish(run, now)
    return report


def _run_for(
    actor: User, report: ImportReport, file: _File, digest: str, total: int, now: datetime
) -> tuple[ImportRun, int]:
    """The run that stopped part-way through this file, and where to carry on; or a new one."""
    run = ImportRun.objects.filter(sha256=digest, status=ImportStatus.RUNNING).first()
    if run is None:
        run = ImportRun.objects.create(
            filename=report.filename,
            sha256=digest,
            year=file.year,
            la_code=file.la_code,
            started_by=actor,
            started_at=now,
            status=ImportStatus.RUNNING,
            children_in_file=total,
        )
        return run, 0
    done = run.children.aggregate(last=Max("position"))["last"]
    report.children += [_stored(c) for c in run.children.order_by("position")]
    return run, 0 if done is None else done + 1


def _finish(run: ImportRun, now: datetime) -> None:
    outcomes = ImportRun.objects.filter(pk=run.pk).values_list("children__outcome", flat=True)
    counts = dict.fromkeys(ChildOutcome.values, 0)
    for outcome in outcomes:
        if outcome:
            counts[outcome] += 1
    run.counts, run.status, run.finished_at = counts, ImportStatus.FINISHED, now
    run.save(update_fields=["counts", "status", "finished_at"])


def _already_done(
    actor: User, report: ImportReport, run: ImportRun, object_type: str
) -> ImportReport:
    report.already_done, report.run_id = True, run.pk
    report.children = [_stored(c) for c in run.children.order_by("position")]
    audit_record(
        actor=actor,
        action=AuditAction.VIEW,
        subject_ids=[c.person_id for c in report.children if c.person_id],
        object_type=object_type,
        object_id=run.pk,
        detail={"already_imported": True},
    )
    return report


def _stored(row: ImportedChild) -> ChildResult:
    return ChildResult(
        position=row.position,
        la_child_id=row.la_child_id,
        line=row.line,
        outcome=row.outcome,
        person_id=row.person_id,
        matched_by=row.matched_by,
        made=dict(row.made),
        problems=[Problem(p["item"], p["line"], p["reason"]) for p in row.problems],
    )


def _batch(
    actor: User, run: ImportRun, file: _File, batch: Sequence[Any], first: int, batches: Batches
) -> list[ChildResult]:
    """One transaction: each child in its savepoint, their outcomes, one audit row naming
    every child matched or made."""
    with transaction.atomic():
        results = [
            batches.load_one(actor, run, file, child, first + n) for n, child in enumerate(batch)
        ]
        ImportedChild.objects.bulk_create(
            ImportedChild(
                run=run,
                position=r.position,
                la_child_id=r.la_child_id[:50],
                line=r.line,
                person_id=r.person_id,
                outcome=r.outcome,
                matched_by=r.matched_by,
                made=r.made,
                problems=[p.as_dict() for p in r.problems],
            )
            for r in results
        )
        named = sorted({r.person_id for r in results if r.person_id})
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            subject_ids=named,
            object_type=batches.object_type,
            object_id=run.pk,
            detail={
                "file": run.filename[:60],
                "from": first,
                "children": len(results),
                "refused": sum(1 for r in results if r.outcome == ChildOutcome.REFUSED),
            },
        )
    return results


def _one_child(
    actor: User, run: ImportRun, file: _File, element: etree._Element, position: int
) -> ChildResult:
    ids = _values(element.find("ChildIdentifiers"))
    result = ChildResult(position, ids.get("LAchildID") or "", _line(element))
    child = _Child(actor, run, file, result)
    try:
        with transaction.atomic():
            child.load(element, ids)
    except _Refused:
        result.outcome, result.person_id, result.made = ChildOutcome.REFUSED, None, {}
    except (DatabaseError, ValidationError) as error:
        result.outcome, result.person_id, result.made = ChildOutcome.REFUSED, None, {}
        result.problems.append(
            Problem("Child", result.line, f"The record could not be saved ({error}).")
        )
    if result.outcome == ChildOutcome.REFUSED:
        result.problems.append(Problem("Child", result.line, "Nothing of this child was imported."))
    return result


# --- Reading values --------------------------------------------------------------------


def _line(element: etree._Element | None) -> int | None:
    return None if element is None else element.sourceline  # type: ignore[return-value]


def _values(element: etree._Element | None) -> dict[str, str]:
    """The non-blank values directly inside `element`, by tag (the first of each)."""
    values: dict[str, str] = {}
    for e in () if element is None else element:
        if isinstance(e.tag, str) and not len(e) and (e.text or "").strip():
            values.setdefault(e.tag, (e.text or "").strip())
    return values


def _list(element: etree._Element | None, group: str, leaf: str) -> list[str]:
    holder = None if element is None else element.find(group)
    if holder is None:
        return []
    return [(e.text or "").strip() for e in holder if e.tag == leaf and (e.text or "").strip()]


def _groups(element: etree._Element, tag: str) -> Iterator[etree._Element]:
    return (e for e in element if e.tag == tag)


# --- One child -------------------------------------------------------------------------


class _Child:
    """Loads one child's record; every problem goes on `result`. `refuse` marks one that
    stops the child being imported at all, raised once every record has been looked at so
    the report lists all of them."""

    FAMILY = "Census child"  # a record made is named "Name not known / Census child <ID>"

    def __init__(self, actor: User, run: ImportRun, file: _File, result: ChildResult) -> None:
        self.actor, self.run, self.file, self.result = actor, run, file, result
        self.blocked = False
        self.tags: list[ImportedRecord] = []
        self.person: Person

    # Problems ---------------------------------------------------------------------------

    def left_out(self, item: str, line: int | None, reason: str) -> None:
        self.result.problems.append(Problem(item, line, reason))

    def refuse(self, item: str, line: int | None, reason: str) -> None:
        self.blocked = True
        self.result.problems.append(Problem(item, line, reason))

    def date(self, values: dict[str, str], name: str, item: str, line: int | None) -> date | None:
        text = values.get(name)
        if text is None:
            return None
        try:
            return date.fromisoformat(text) if len(text) == 10 else _bad_date()
        except ValueError:
            self.refuse(item, line, f"{name} {text!r} is not a date (YYYY-MM-DD).")
            return None

    def code(
        self, values: dict[str, str], name: str, codes: Any, item: str, line: int | None
    ) -> str:
        text = values.get(name, "")
        if text and text not in codes:
            self.left_out(item, line, f"{name} {text!r} is not a census code; left blank.")
            return ""
        return text

    def made(self, instance: Any, kind: str) -> None:
        self.result.made[kind] = self.result.made.get(kind, 0) + 1
        if self.run.pk is not None:
            self.tags.append(
                ImportedRecord(
                    run=self.run,
                    person=self.person,
                    kind=instance._meta.label,
                    object_id=instance.pk,
                )
            )

    def extended(self, kind: str) -> None:
        key = f"{kind} extended"
        self.result.made[key] = self.result.made.get(key, 0) + 1

    # The child ---------------------------------------------------------------------------

    def load(self, element: etree._Element, ids: dict[str, str]) -> None:
        line = self.result.line
        if not self.result.la_child_id:
            self.refuse("ChildIdentifiers", line, "The child has no LAchildID.")
            raise _Refused
        details = self.details(element, ids, line)
        self.person = self.match_or_make(details, ids, line)
        self.result.person_id = self.person.pk
        for episode in _groups(element, "CINdetails"):
            Episodes(self, episode).load()
        self.keep()

    def keep(self) -> None:
        """Refuse the child if anything of theirs could not be made; else keep their old ID
        and the tags on what was made (a dry run keeps nothing)."""
        if self.blocked:
            raise _Refused
        if self.run.pk is not None:
            LegacyChildId.objects.get_or_create(
                la_code=self.file.la_code,
                la_child_id=self.result.la_child_id,
                defaults={"person": self.person, "run": self.run},
            )
            ImportedRecord.objects.bulk_create(self.tags)

    def details(self, element: etree._Element, ids: dict[str, str], line: int | None) -> dict:
        """The person's fields as the file gives them, each checked; a wrong value left out."""
        traits = element.find("ChildCharacteristics")
        fields: dict[str, Any] = {
            "upn": self.upn(ids, "UPN", line),
            "former_upn": self.upn(ids, "FormerUPN", line),
            "upn_unknown": self.code(ids, "UPNunknown", CODE_SETS["upn_unknown"], "Child", line),
            "date_of_birth": self.date(ids, "PersonBirthDate", "Child", line),
            "expected_date_of_birth": self.date(ids, "ExpectedPersonBirthDate", "Child", line),
            "sex": self.code(ids, "Sex", Sex.values, "Child", line) or Sex.UNKNOWN,
            "date_of_death": self.date(ids, "PersonDeathDate", "Child", line),
            "ethnicity": self.code(_values(traits), "Ethnicity", Ethnicity.values, "Child", line)
            or "NOBT",
        }
        if fields["upn_unknown"] not in UpnUnknown.values:
            fields["upn_unknown"] = ""  # UN7 is worked out again on export; UN6 is not kept
        disabilities = []
        for code in _list(traits, "Disabilities", "Disability"):
            if code in Disability.values:
                disabilities.append(code)
            else:
                self.left_out("Disability", line, f"Disability {code!r} is not a census code.")
        fields["disabilities"] = disabilities
        return fields

    def upn(self, ids: dict[str, str], name: str, line: int | None) -> str:
        text = ids.get(name, "")
        if not text:
            return ""
        try:
            return clean_upn(text)
        except ValidationError as error:
            why = error.messages[0].rstrip(".")
            self.left_out("Child", line, f"{name} {text!r} is left out: {why}.")
            return ""

    def match_or_make(
        self, fields: dict[str, Any], ids: dict[str, str], line: int | None
    ) -> Person:
        people = history_import_persons(self.actor, Person.objects.all())
        known = LegacyChildId.objects.filter(
            la_code=self.file.la_code, la_child_id=self.result.la_child_id
        ).values("person_id")
        person = people.filter(pk__in=known).first()
        if person is not None:
            self.result.matched_by = "LAchildID"
        else:
            person = self.by_upn(people, fields, line)
        if person is None:
            return self.make(fields)
        self.result.outcome = ChildOutcome.MATCHED
        self.fill_blanks(person, fields, line)
        return person

    def by_upn(self, people: Any, fields: dict[str, Any], line: int | None) -> Person | None:
        upns = [u for u in (fields["upn"], fields["former_upn"]) if u]
        if not upns:
            return None
        found = list(people.filter(Q(upn__in=upns) | Q(former_upn__in=upns)).distinct()[:3])
        if len(found) > 1:
            ids = ", ".join(str(p.pk) for p in found)
            self.refuse("Child", line, f"Its UPN matches more than one record ({ids}).")
            raise _Refused
        if not found:
            return None
        person, born = found[0], fields["date_of_birth"]
        if person.date_of_birth and born and person.date_of_birth != born:
            self.refuse(
                "Child",
                line,
                f"Its UPN belongs to SafeHub record {person.pk}, born "
                f"{person.date_of_birth:%-d %B %Y}, but the file says {born:%-d %B %Y}. "
                "Check which is right before importing this child.",
            )
            raise _Refused
        self.result.matched_by = "UPN"
        return person

    def make(self, fields: dict[str, Any]) -> Person:
        unborn = fields["date_of_birth"] is None and fields["expected_date_of_birth"] is not None
        family = f"{self.FAMILY} {self.result.la_child_id}"[:100]
        person = Person.objects.create(
            kind=PersonKind.UNBORN if unborn else PersonKind.CHILD,
            given_name=GIVEN_UNKNOWN,
            family_name=family,
            created_by=self.actor,
            updated_by=self.actor,
            **fields,
        )
        PersonName.objects.create(
            person=person,
            kind=NameKind.CURRENT,
            given_name=GIVEN_UNKNOWN,
            family_name=family,
            given_key=name_key(GIVEN_UNKNOWN),
            family_key=name_key(family),
            given_sound=name_sound(GIVEN_UNKNOWN),
            family_sound=name_sound(family),
            born=person.date_of_birth,
        )
        self.result.outcome = ChildOutcome.CREATED
        return person

    def fill_blanks(self, person: Person, fields: dict[str, Any], line: int | None) -> None:
        """What the record lacks is taken from the file; where both hold a value and they
        differ, the record's is kept and the difference reported."""
        blank = {"sex": Sex.UNKNOWN, "ethnicity": "NOBT", "disabilities": []}
        changes = {}
        for name, value in fields.items():
            ours = getattr(person, name)
            if value in (None, "", []) or value == ours:
                continue
            if ours in (None, "", blank.get(name)):
                changes[name] = value
            elif name != "upn_unknown":
                label = name.replace("_", " ")
                self.left_out(
                    "Child",
                    line,
                    f"The file's {label} differs from the record's; the record's is kept.",
                )
        if person.upn or changes.get("upn"):
            changes.pop("upn_unknown", None)
        if changes.get("upn") and person.upn_unknown:
            changes["upn_unknown"] = ""
        if changes:
            for name, value in changes.items():
                setattr(person, name, value)
            person.version += 1
            person.save(update_fields=[*changes, "version", "updated_at"])
            # A date of birth filled in puts the child where the registers can see them; the
            # import appends nothing to the chronology, so the row is worked out here.
            register_facts_for([person.pk])


def _bad_date() -> date:
    raise ValueError


# --- Episodes and what they hold -------------------------------------------------------


class Episodes:
    """One CINdetails block: the episode found or made, then what it holds."""

    def __init__(self, child: _Child, element: etree._Element) -> None:
        self.child, self.element = child, element
        self.line = _line(element)
        self.values = _values(element)

    def load(self) -> None:
        c, v, line = self.child, self.values, self.line
        referred = c.date(v, "CINreferralDate", "CINdetails", line)
        if referred is None:
            c.refuse("CINdetails", line, "The episode has no referral date.")
            return
        closed = c.date(v, "CINclosureDate", "CINdetails", line)
        reason = c.code(v, "ReasonForClosure", ClosureReason.values, "CINdetails", line)
        if (closed is None) != (not reason):
            c.refuse("CINdetails", line, "A closure date and its reason must come together.")
            return
        if closed and closed < referred:
            c.refuse("CINdetails", line, "The episode closes before its referral.")
            return
        episode = self.episode(referred, closed, reason)
        if episode is None:
            return
        plans = [CPPlans(c, episode, g) for g in _groups(self.element, "ChildProtectionPlans")]
        for a in _groups(self.element, "Assessments"):
            self.assessment(episode, a)
        for p in _groups(self.element, "CINPlanDates"):
            self.cin_plan(episode, p)
        for plan in plans:
            plan.load()
        starts = {p.plan.start_date: p.plan for p in plans if p.plan is not None}
        for s in _groups(self.element, "Section47"):
            self.enquiry(episode, s, starts)
        icpc = c.date(v, "DateOfInitialCPC", "CINdetails", line)
        if (
            icpc
            and not episode.conferences.filter(
                kind=ConferenceKind.INITIAL, section47__isnull=True
            ).exists()
        ):
            self.conference(episode, None, icpc, starts)

    def episode(self, referred: date, closed: date | None, reason: str) -> Episode | None:
        c, v, line = self.child, self.values, self.line
        nfa = v.get("ReferralNFA", "") in YES and closed is not None
        episode = Episode.objects.filter(
            child=c.person, kind=EpisodeKind.CIN, referral_date=referred
        ).first()
        if episode is not None:
            if episode.closure_date is None and closed is not None:
                episode.closure_date, episode.closure_reason = closed, reason
                episode.referral_nfa = nfa
                episode.version += 1
                episode.save(
                    update_fields=["closure_date", "closure_reason", "referral_nfa", "version"]
                )
                c.extended("episode")
            return episode
        if (
            closed is None
            and Episode.objects.filter(
                child=c.person, kind=EpisodeKind.CIN, closure_date__isnull=True
            ).exists()
        ):
            c.refuse("CINdetails", line, "The child already has another open episode of need.")
            return None
        episode = Episode.objects.create(
            kind=EpisodeKind.CIN,
            child=c.person,
            referral_date=referred,
            referral_source=c.code(v, "ReferralSource", ReferralSource.values, "CINdetails", line),
            primary_need=c.code(v, "PrimaryNeedCode", PrimaryNeed.values, "CINdetails", line),
            closure_date=closed,
            closure_reason=reason,
            referral_nfa=nfa,
            opened_by=c.actor,
        )
        c.made(episode, "episode")
        return episode

    def assessment(self, episode: Episode, element: etree._Element) -> None:
        c, line, v = self.child, _line(element), _values(element)
        start = c.date(v, "AssessmentActualStartDate", "Assessments", line)
        authorised = c.date(v, "AssessmentAuthorisationDate", "Assessments", line)
        if start is None or start < episode.referral_date:
            c.refuse(
                "Assessments", line, "The assessment starts before the referral or has no start."
            )
            return
        if authorised and authorised < start:
            c.refuse("Assessments", line, "The assessment is authorised before it starts.")
            return
        factors = []
        for code in _list(element, "FactorsIdentifiedAtAssessment", "AssessmentFactors"):
            if code in CODE_SETS["factor"]:
                factors.append(code)
            else:
                c.left_out("Assessments", line, f"Factor {code!r} is not a census code.")
        found = episode.assessments.filter(start_date=start).first()
        if found is not None:
            if found.authorised_date is None and authorised:
                found.authorised_date = found.completed_date = authorised
                found.factors = found.factors or factors
                found.version += 1
                found.save(
                    update_fields=["authorised_date", "completed_date", "factors", "version"]
                )
                c.extended("assessment")
            return
        made = Assessment.objects.create(
            episode=episode,
            start_date=start,
            due_date=timescales.assessment_due(episode.referral_date),
            factors=factors,
            completed_date=authorised,
            authorised_date=authorised,
        )
        c.made(made, "assessment")

    def cin_plan(self, episode: Episode, element: etree._Element) -> None:
        c, line, v = self.child, _line(element), _values(element)
        start = c.date(v, "CINPlanStartDate", "CINPlanDates", line)
        end = c.date(v, "CINPlanEndDate", "CINPlanDates", line)
        if start is None or start < episode.referral_date or (end and end < start):
            c.refuse("CINPlanDates", line, "The plan's dates are missing or out of order.")
            return
        found = episode.cin_plans.filter(start_date=start).first()
        if found is not None:
            if found.end_date is None and end:
                found.end_date, found.version = end, found.version + 1
                found.save(update_fields=["end_date", "version"])
                c.extended("CIN plan")
            return
        if end is None and CINPlan.objects.filter(child=c.person, end_date__isnull=True).exists():
            c.refuse("CINPlanDates", line, "The child already has another open CIN plan.")
            return
        made = CINPlan.objects.create(
            episode=episode, child=c.person, start_date=start, end_date=end
        )
        c.made(made, "CIN plan")

    def enquiry(self, episode: Episode, element: etree._Element, starts: dict) -> None:
        c, line, v = self.child, _line(element), _values(element)
        start = c.date(v, "S47ActualStartDate", "Section47", line)
        target = c.date(v, "InitialCPCtarget", "Section47", line)
        icpc = c.date(v, "DateOfInitialCPC", "Section47", line)
        if start is None or start < episode.referral_date or (icpc and icpc < start):
            c.refuse("Section47", line, "The enquiry's dates are missing or out of order.")
            return
        not_required = v.get("ICPCnotRequired", "") in YES and icpc is None
        found = episode.enquiries.filter(start_date=start).first()
        if found is None:
            found = self.new_enquiry(episode, start, target)
        if found.end_date is None and (icpc or not_required):
            found.outcome = Section47Outcome.ICPC if icpc else Section47Outcome.NO_ICPC
            found.end_date = icpc or self.ended_by(episode, start)
            found.version += 1
            found.save(update_fields=["outcome", "end_date", "version"])
        if icpc and not episode.conferences.filter(section47=found).exists():
            self.conference(episode, found, icpc, starts)

    def new_enquiry(self, episode: Episode, start: date, target: date | None) -> Section47:
        c = self.child
        strategy = StrategyDiscussion.objects.create(
            episode=episode,
            held_on=start,
            participants=NOT_RECORDED,
            outcome=StrategyOutcome.SECTION_47,
            recorded_by=c.actor,
        )
        enquiry = Section47.objects.create(
            episode=episode,
            strategy=strategy,
            start_date=start,
            icpc_target=target or timescales.icpc_due(start),
        )
        c.made(strategy, "strategy discussion")
        c.made(enquiry, "section 47 enquiry")
        return enquiry

    def ended_by(self, episode: Episode, start: date) -> date:
        """An enquiry that needed no conference ended by the file's reference date (or the
        episode's closure, if sooner): the census does not say the day."""
        ends = [d for d in (episode.closure_date, self.child.file.reference_date) if d]
        return max(start, min(ends))

    def conference(
        self, episode: Episode, enquiry: Section47 | None, held_on: date, starts: dict
    ) -> None:
        plan = starts.get(held_on)
        made = Conference.objects.create(
            episode=episode,
            kind=ConferenceKind.INITIAL,
            section47=enquiry,
            plan=plan,
            held_on=held_on,
            outcome=ConferenceOutcome.PLAN if plan else ConferenceOutcome.NO_PLAN,
            category=plan.initial_category if plan else "",
            recorded_by=self.child.actor,
        )
        self.child.made(made, "conference")


class CPPlans:
    """One ChildProtectionPlans block: the plan found or made, then its reviews."""

    def __init__(self, child: _Child, episode: Episode, element: etree._Element) -> None:
        self.child, self.episode, self.element = child, episode, element
        self.line = _line(element)
        self.plan: CPPlan | None = None

    def load(self) -> None:
        c, line, v = self.child, self.line, _values(self.element)
        start = c.date(v, "CPPstartDate", "ChildProtectionPlans", line)
        end = c.date(v, "CPPendDate", "ChildProtectionPlans", line)
        if start is None or start < self.episode.referral_date or (end and end <= start):
            c.refuse("ChildProtectionPlans", line, "The plan's dates are missing or out of order.")
            return
        initial = v.get("InitialCategoryOfAbuse", "")
        latest = v.get("LatestCategoryOfAbuse", "") or initial
        if initial not in CategoryOfAbuse.values or latest not in CategoryOfAbuse.values:
            c.refuse(
                "ChildProtectionPlans",
                line,
                "The plan's category of abuse is missing or not a census code.",
            )
            return
        self.plan = self.episode.cp_plans.filter(start_date=start).first()
        if self.plan is None:
            self.plan = self.new_plan(start, end, initial, latest, v)
        elif self.plan.end_date is None and end:
            self.plan.end_date, self.plan.latest_category = end, latest
            self.plan.version += 1
            self.plan.save(update_fields=["end_date", "latest_category", "version"])
            c.extended("CP plan")
        if self.plan is not None:
            for day in _list(self.element, "Reviews", "CPPreviewDate"):
                self.review(self.plan, day)

    def new_plan(
        self, start: date, end: date | None, initial: str, latest: str, v: dict[str, str]
    ) -> CPPlan | None:
        c, line = self.child, self.line
        if end is None and CPPlan.objects.filter(child=c.person, end_date__isnull=True).exists():
            c.refuse("ChildProtectionPlans", line, "The child already has another open CP plan.")
            return None
        previous = v.get("NumberOfPreviousCPP", "0")
        if not previous.isdigit() or int(previous) > 99:
            c.left_out("ChildProtectionPlans", line, f"NumberOfPreviousCPP {previous!r}: 0 kept.")
            previous = "0"
        plan = CPPlan.objects.create(
            episode=self.episode,
            child=c.person,
            start_date=start,
            end_date=end,
            initial_category=initial,
            latest_category=latest,
            previous_plans=int(previous),
        )
        c.made(plan, "CP plan")
        return plan

    def review(self, plan: CPPlan, text: str) -> None:
        c, line = self.child, self.line
        try:
            day = date.fromisoformat(text) if len(text) == 10 else _bad_date()
        except ValueError:
            c.refuse("Reviews", line, f"CPPreviewDate {text!r} is not a date (YYYY-MM-DD).")
            return
        if day < plan.start_date or (plan.end_date and day > plan.end_date):
            c.refuse("Reviews", line, f"The review on {day:%-d %B %Y} is outside its plan.")
            return
        if plan.conferences.filter(kind=ConferenceKind.REVIEW, held_on=day).exists():
            return
        made = Conference.objects.create(
            episode=self.episode,
            kind=ConferenceKind.REVIEW,
            plan=plan,
            held_on=day,
            outcome=ConferenceOutcome.END if day == plan.end_date else ConferenceOutcome.CONTINUE,
            recorded_by=c.actor,
        )
        c.made(made, "review")
