"""Writes a plan to the database in batches, one transaction per batch of families, so a
failure leaves whole batches behind and says which one broke.

Rows are built once, as tuples, and inserted either with bulk_create (any database) or, on
PostgreSQL, with COPY into ids drawn from the table's own sequence: the same rows, about
three times faster, which is what keeps the million-person scale well inside half an hour.
"""

from collections.abc import Sequence
from functools import lru_cache

from django.contrib.auth.hashers import make_password
from django.db import connection, models, transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from safehub.access.models import Involvement, RestrictedAccess
from safehub.audit.models import AuditEvent
from safehub.chronology import registry
from safehub.chronology.models import ChronologyEntry, ChronologyLink
from safehub.core.bulk import insert_rows
from safehub.demo.generator.casework_records import (
    CASEWORK_TABLES,
    COUNT_KEYS,
    INDEX_ONLY_TABLES,
    write_casework,
)
from safehub.demo.generator.frontdoor import FRONT_DOOR_TABLES, write_contacts
from safehub.demo.generator.organisations import DEMO_PASSWORD, OrgPlan, totp_key_for
from safehub.demo.generator.plan import PlannedFamily, PlannedPerson, school_at
from safehub.hardtosee.models import (
    FirstServiceEvent,
    LastProfessionalContact,
    RegisterFacts,
    RegisterStatus,
)
from safehub.organisations.models import Agency, Team, User
from safehub.partners.models import PartnerEvent
from safehub.people.models import (
    Address,
    Household,
    NameSpelling,
    Person,
    PersonAddress,
    PersonName,
    Relationship,
)
from safehub.people.names import name_key, name_sound
from safehub.people.services import name_spellings_record

TOTP_DEVICE_NAME = "Demo authenticator"
BIG_TABLES = [
    Person,
    PersonName,
    NameSpelling,
    Address,
    Household,
    PersonAddress,
    Relationship,
    Involvement,
    RestrictedAccess,
    ChronologyEntry,
    ChronologyLink,
    LastProfessionalContact,
    RegisterStatus,
    FirstServiceEvent,
    # Rebuilt whole after the feeds (ADR 0060). With the statistics of its first batch the
    # planner took 3,000 children home educated in half a million rows for one, and walked
    # the date-of-birth index past every child (500 ms a page at `large`, 50 ms when fresh).
    RegisterFacts,
    # Five years of partner feeds: without statistics (autovacuum may not have run yet) the
    # planner took the agency's index for a batch's "ids already received", reading every
    # event of the agency (346 ms at the county scale, 1 ms by the unique index).
    PartnerEvent,
    AuditEvent,
    *FRONT_DOOR_TABLES,
    *CASEWORK_TABLES,
]


# Read from their indexes alone, which needs the visibility map a VACUUM sets: the casework
# tables the team page reads, and the registers' rows (their pages walk a covering index).
VACUUMED_TABLES = [*INDEX_ONLY_TABLES, RegisterFacts]


@lru_cache(maxsize=50_000)
def _key(name: str) -> str:
    return name_key(name)


@lru_cache(maxsize=50_000)
def _sound(name: str) -> str:
    return name_sound(name)


@lru_cache(maxsize=64)
def _category(code: str) -> str:
    return registry.get(code).category


METHODS = ("auto", "copy", "bulk_create")


class Writer:
    """Inserts rows given as tuples in `columns` order (attribute names) and returns their
    ids in the same order. Columns left out get their model defaults."""

    def __init__(self, method: str = "auto", batch_size: int = 5_000) -> None:
        if method not in METHODS:
            raise ValueError(f"method must be one of {METHODS}")
        if method == "auto":
            method = "copy" if connection.vendor == "postgresql" else "bulk_create"
        if method == "copy" and connection.vendor != "postgresql":
            raise ValueError("COPY needs PostgreSQL")
        self.method = method
        self.batch_size = batch_size

    def insert(
        self, model: type[models.Model], columns: Sequence[str], rows: list[tuple]
    ) -> list[int]:
        return insert_rows(
            model, columns, rows, copy=self.method == "copy", batch_size=self.batch_size
        )


PERSON_COLUMNS = (
    "kind",
    "given_name",
    "family_name",
    "date_of_birth",
    "date_of_birth_estimated",
    "expected_date_of_birth",
    "sex",
    "gender_current",
    "ethnicity",
    "first_language",
    "interpreter_needed",
    "disabilities",
    "nhs_number",
    "upn",
    "upn_unknown",
    "former_upn",
    "school",
    "school_agency_id",
    "is_restricted",
    "restriction_reason",
    "created_by_id",
    "updated_by_id",
    "created_at",
    "updated_at",
)
NAME_COLUMNS = (
    "person_id",
    "kind",
    "given_name",
    "middle_names",
    "family_name",
    "given_key",
    "family_key",
    "given_sound",
    "family_sound",
    "born",
    "created_at",
    "updated_at",
)
ADDRESS_COLUMNS = ("line_1", "line_2", "town", "postcode")
HOUSEHOLD_COLUMNS = ("address_id", "start_date", "end_date")
RESIDENT_COLUMNS = ("person_id", "address_id", "household_id", "start_date", "end_date")
RELATIONSHIP_COLUMNS = (
    "subject_id",
    "other_id",
    "type",
    "has_parental_responsibility",
    "start_date",
    "end_date",
    "pair_key",
)
INVOLVEMENT_COLUMNS = (
    "person_id",
    "kind",
    "user_id",
    "team_id",
    "agency_id",
    "start_date",
    "end_date",
)
ACCESS_COLUMNS = ("person_id", "user_id", "granted_by_id")
ENTRY_COLUMNS = (
    "occurred_at",
    "time_known",
    "done_by_id",
    "done_by_label",
    "recorded_at",
    "recorded_by_id",
    "source_agency_id",
    "event_type",
    "category",
    "significance",
    "summary",
    "source_type",
    "source_id",
)
LINK_COLUMNS = ("entry_id", "person_id", "occurred_at")


class Loader:
    def __init__(
        self,
        org: OrgPlan,
        *,
        batch_size: int = 5_000,
        method: str = "auto",
    ) -> None:
        self.org = org
        self.batch_size = batch_size
        self.writer = Writer(method, batch_size)
        self.agencies: dict[str, int] = {}
        self.teams: dict[tuple[str, str], int] = {}
        self.users: dict[str, int] = {}
        self.counts = dict.fromkeys(
            [
                "persons",
                "names",
                "addresses",
                "relationships",
                "involvements",
                "restricted",
                "entries",
                "links",
                "families",
                "known_families",
                "contacts",
                "open_contacts",
                "contact_subjects",
                "information_requests",
                *COUNT_KEYS,
            ],
            0,
        )
        self.long_history: list[int] = []
        self.spelled: set[str] = set()  # names already made findable by their spellings

    @transaction.atomic
    def load_organisation(self) -> None:
        agencies = Agency.objects.bulk_create(
            [
                Agency(name=a.name, kind=a.kind, urn=a.urn, ods_code=a.ods_code)
                for a in self.org.agencies
            ],
            batch_size=self.batch_size,
        )
        self.agencies = {a.name: a.pk for a in agencies}
        teams = Team.objects.bulk_create(
            [
                Team(agency_id=self.agencies[a.name], name=name)
                for a in self.org.agencies
                for name in a.teams
            ],
            batch_size=self.batch_size,
        )
        names = {pk: name for name, pk in self.agencies.items()}
        self.teams = {(names[t.agency_id], t.name): t.pk for t in teams}
        password = make_password(DEMO_PASSWORD)  # one hash for all: hashing is slow on purpose
        users = User.objects.bulk_create(
            [
                User(
                    username=s.username,
                    first_name=s.first_name,
                    last_name=s.last_name,
                    email=s.email,
                    role=s.role,
                    agency_id=self.agencies[s.agency],
                    team_id=self.teams[(s.agency, s.team)],
                    job_title=s.job_title,
                    employment_type=s.employment_type,
                    is_demo=True,
                    password=password,
                )
                for s in self.org.staff
            ],
            batch_size=self.batch_size,
        )
        self.users = {u.username: u.pk for u in users}
        TOTPDevice.objects.bulk_create(
            [
                TOTPDevice(
                    user_id=u.pk,
                    name=TOTP_DEVICE_NAME,
                    confirmed=True,
                    key=totp_key_for(u.username),
                )
                for u in users
            ],
            batch_size=self.batch_size,
        )

    def write(self, families: list[PlannedFamily]) -> None:
        first, last = families[0].index, families[-1].index
        try:
            with transaction.atomic():
                self._write(families)
        except Exception as error:
            error.add_note(f"Demo data: the batch of families {first}-{last} was not saved")
            raise

    def _write(self, families: list[PlannedFamily]) -> None:
        insert, users, agencies = self.writer.insert, self.users, self.agencies
        person_ids = insert(
            Person,
            PERSON_COLUMNS,
            [
                (
                    str(p.kind),
                    p.current.given,
                    p.current.family,
                    p.date_of_birth,
                    p.date_of_birth_estimated,
                    p.expected_date_of_birth,
                    str(p.sex),
                    str(p.gender_current),
                    p.ethnicity,
                    p.first_language,
                    p.interpreter_needed,
                    p.disabilities,
                    p.nhs_number,
                    p.upn,
                    p.upn_unknown,
                    "",
                    *self._school(p),
                    p.is_restricted,
                    p.restriction_reason,
                    users.get(fam.created_by),
                    users.get(fam.created_by),
                    p.created_at,
                    p.created_at,
                )
                for fam in families
                for p in fam.persons
            ],
        )
        ids: list[list[int]] = []
        position = 0
        for fam in families:
            ids.append(person_ids[position : position + len(fam.persons)])
            position += len(fam.persons)
        planned = list(zip(families, ids, strict=True))

        names = insert(
            PersonName,
            NAME_COLUMNS,
            [
                (
                    pk,
                    str(n.kind),
                    n.given,
                    n.middle,
                    n.family,
                    _key(n.given),
                    _key(n.family),
                    _sound(n.given),
                    _sound(n.family),
                    p.date_of_birth,
                    p.created_at,
                    p.created_at,
                )
                for fam, pks in planned
                for p, pk in zip(fam.persons, pks, strict=True)
                for n in p.names
            ],
        )

        self._record_spellings({n.given for f in families for p in f.persons for n in p.names})
        self._record_spellings({n.family for f in families for p in f.persons for n in p.names})

        homes = [(fam, pks, r) for fam, pks in planned for r in fam.residences if r.members]
        addresses = insert(
            Address,
            ADDRESS_COLUMNS,
            [(r.line_1, r.line_2, r.town, r.postcode) for _, _, r in homes],
        )
        households = insert(
            Household,
            HOUSEHOLD_COLUMNS,
            [(a, r.start_date, r.end_date) for a, (_, _, r) in zip(addresses, homes, strict=True)],
        )
        insert(
            PersonAddress,
            RESIDENT_COLUMNS,
            [
                (pks[i], a, h, max(r.start_date, fam.persons[i].born), r.end_date)
                for a, h, (fam, pks, r) in zip(addresses, households, homes, strict=True)
                for i in r.members
            ],
        )

        relationships = insert(
            Relationship,
            RELATIONSHIP_COLUMNS,
            [
                (
                    pks[r.subject],
                    pks[r.other],
                    r.type,
                    r.has_parental_responsibility,
                    r.start_date,
                    r.end_date,
                    r.pair_key,
                )
                for fam, pks in planned
                for r in fam.relationships
            ],
        )

        involvements = insert(
            Involvement,
            INVOLVEMENT_COLUMNS,
            [
                (
                    pks[v.person],
                    str(v.kind),
                    users.get(v.user),
                    self.teams.get(v.team) if v.team else None,
                    agencies.get(v.agency),
                    v.start_date,
                    v.end_date,
                )
                for fam, pks in planned
                for v in fam.involvements
            ],
        )
        insert(
            RestrictedAccess,
            ACCESS_COLUMNS,
            [
                (pks[i], users[user], users.get(granted_by))
                for fam, pks in planned
                for i, user, granted_by in fam.restricted_access
            ],
        )

        events = [(e, pks) for fam, pks in planned for e in fam.events]
        entries = insert(
            ChronologyEntry,
            ENTRY_COLUMNS,
            [
                (
                    e.occurred_at,
                    e.time_known,
                    # A worker did what they recorded; a partner's event is its agency's.
                    users.get(e.recorded_by),
                    "",
                    e.occurred_at,
                    users.get(e.recorded_by),
                    agencies.get(e.agency),
                    e.event_type,
                    _category(e.event_type),
                    e.significance,
                    e.summary,
                    e.source_type,
                    e.source_id
                    or (str(pks[e.persons[0]]) if e.source_type == "people.Person" else ""),
                )
                for e, pks in events
            ],
        )
        links = insert(
            ChronologyLink,
            LINK_COLUMNS,
            [
                (entry, pks[i], e.occurred_at)
                for entry, (e, pks) in zip(entries, events, strict=True)
                for i in e.persons
            ],
        )

        write_contacts(self, planned)
        write_casework(self, planned, involvements)
        for fam, pks in planned:
            if fam.long_history is not None:
                self.long_history.append(pks[fam.long_history])
        c = self.counts
        c["families"] += len(families)
        c["known_families"] += sum(1 for f in families if f.known)
        c["persons"] += len(person_ids)
        c["names"] += len(names)
        c["addresses"] += len(addresses)
        c["relationships"] += len(relationships)
        c["involvements"] += len(involvements)
        c["restricted"] += sum(1 for f in families for p in f.persons if p.is_restricted)
        c["entries"] += len(entries)
        c["links"] += len(links)

    def _school(self, person: PlannedPerson) -> tuple[str, int | None]:
        """The school on a child's record today: its name and its agency (by URN), for a
        child of school age with a UPN. A UPN is what a state-funded school gives its pupils,
        and the demo gives one to 93% of school-age children, about England's share in
        state-funded schools; the rest (independent schools, home education, newly arrived)
        have no school on their record, so their Encompass notices go to the MASH."""
        if person.kind != "child" or not person.upn:
            return "", None
        name = school_at(person, person.age)
        return (name, self.agencies[name]) if name else ("", None)

    def _record_spellings(self, names: set[str]) -> None:
        """As the people services do for each name saved, once per distinct name."""
        new = sorted(names - self.spelled)
        name_spellings_record(new)
        self.spelled.update(new)

    def analyze(self) -> None:
        refresh_statistics()


def refresh_statistics() -> None:
    """Fresh planner statistics after a bulk load (PostgreSQL only). Outside a
    transaction the front-door tables are vacuumed as well: until the visibility map is
    set, which autovacuum does only later, the MASH queue cannot count its open contacts
    from the index alone and reads the whole table instead. So are the casework tables
    the team page reads from indexes alone (its children waiting for a worker)."""
    if connection.vendor != "postgresql":
        return
    vacuum = not connection.in_atomic_block
    with connection.cursor() as cursor:
        for model in BIG_TABLES:
            table = connection.ops.quote_name(model._meta.db_table)
            if vacuum and (model in FRONT_DOOR_TABLES or model in VACUUMED_TABLES):
                cursor.execute(f"VACUUM (ANALYZE) {table}")
            else:
                cursor.execute(f"ANALYZE {table}")
