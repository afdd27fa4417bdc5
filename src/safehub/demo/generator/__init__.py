"""The synthetic council "Demoshire": organisations, staff with demo sign-ins, families with
relationships, addresses and identifiers, casework involvements, restricted records,
partner chronologies, front-door contacts (`frontdoor.py`) and casework records: episodes,
plans, children in care, visits and the statutory work due (`casework_records/`).

Deterministic: the same scale and seed give the same people, names, identifiers and
relationships on any day. Dates are offsets from `reference_date` (today by default), so ages
stay sensible; nothing else reads the clock.

    generate("small")                 # about 2,000 people and 60 open contacts, seconds
    generate("county")                # about 50,000 people, 3,000 open contacts
    generate("large")                 # about 1,000,000 people, 52,000 open contacts;
                                      # PostgreSQL only
    generate("small", persons=300)    # any size, for tests

Planning (`plan`) is pure Python and streams families; loading writes them in batches of
about 5,000 people, one transaction per batch (bulk_create, or COPY on PostgreSQL), so the
large scale never holds more than a batch in memory.
"""

import time as clock
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from safehub.demo.generator.careplanning import seed_care_planning
from safehub.demo.generator.casework import FamilyPlanner
from safehub.demo.generator.casework_records import CaseworkPlanner
from safehub.demo.generator.census_plants import seed_census_plants
from safehub.demo.generator.concern_alerts import seed_concern_alerts
from safehub.demo.generator.encompass import seed_encompass
from safehub.demo.generator.frontdoor import ContactPlanner
from safehub.demo.generator.governance import seed_governance
from safehub.demo.generator.hardtosee import schools_left_behind, seed_hardtosee
from safehub.demo.generator.loader import Loader
from safehub.demo.generator.neglect import seed_neglect
from safehub.demo.generator.organisations import (
    DEMO_PASSWORD,
    PRINTED_SIGNINS,
    OrgPlan,
    StaffPlan,
    plan_organisation,
    totp_key_for,
)
from safehub.demo.generator.partner_events import seed_partner_events, seed_partner_volume
from safehub.demo.generator.permanence import seed_permanence
from safehub.demo.generator.plan import PlannedFamily
from safehub.demo.generator.trajectories import seed_trajectories
from safehub.demo.generator.workforce import seed_swe_registrations
from safehub.hardtosee.services import (
    first_service_refresh,
    last_contact_refresh,
    register_facts_refresh,
    register_status_refresh,
)

__all__ = [
    "DEFAULT_SEED",
    "DEMO_PASSWORD",
    "PRINTED_SIGNINS",
    "SCALES",
    "GenerationResult",
    "Scale",
    "generate",
    "plan",
    "totp_key_for",
]

DEFAULT_SEED = 20_260_101


@dataclass(frozen=True)
class Scale:
    persons: int
    primaries: int
    secondaries: int
    gp_practices: int
    long_history_children: int
    open_contacts: int  # undecided front-door contacts (the large scale is for benchmarks)


SCALES = {
    "small": Scale(
        persons=2_000,
        primaries=12,
        secondaries=4,
        gp_practices=6,
        long_history_children=1,
        open_contacts=60,
    ),
    "county": Scale(
        persons=50_000,
        primaries=90,
        secondaries=18,
        gp_practices=30,
        long_history_children=3,
        open_contacts=3_000,
    ),
    "large": Scale(
        persons=1_000_000,
        primaries=320,
        secondaries=60,
        gp_practices=120,
        long_history_children=10,
        open_contacts=52_000,
    ),
}


@dataclass
class GenerationResult:
    scale: str
    counts: dict[str, int]
    long_history_person_ids: list[int]
    signins: list[StaffPlan] = field(default_factory=lambda: list(PRINTED_SIGNINS))
    seconds: float = 0.0


def plan(
    scale: str = "small",
    *,
    persons: int | None = None,
    seed: int = DEFAULT_SEED,
    reference_date: date | None = None,
) -> tuple[OrgPlan, Iterator[PlannedFamily]]:
    """The organisation plan and a lazy stream of planned families; touches no database."""
    config = SCALES[scale]
    target = persons or config.persons
    org = plan_organisation(
        persons=target,
        primaries=config.primaries,
        secondaries=config.secondaries,
        gp_practices=config.gp_practices,
        seed=seed,
    )
    today = reference_date or timezone.localdate()
    planner = FamilyPlanner(
        org,
        seed=seed,
        today=today,
        persons=target,
        long_history_children=config.long_history_children,
    )
    contacts = ContactPlanner(
        org,
        seed=seed,
        today=today,
        persons=target,
        open_contacts=round(config.open_contacts * target / config.persons),
    )
    records = CaseworkPlanner(org, seed=seed, today=today)
    return org, records.attach(contacts.attach(planner.families()))


def generate(
    scale: str = "small",
    *,
    persons: int | None = None,
    seed: int = DEFAULT_SEED,
    reference_date: date | None = None,
    batch_size: int = 5_000,
    method: str = "auto",
    progress: Callable[[str], None] | None = None,
) -> GenerationResult:
    """Create Demoshire in the database. Refuses unless settings.DEMO_MODE is on.

    `method`: "auto" (COPY on PostgreSQL, bulk_create elsewhere), "copy" or "bulk_create".
    """
    if not settings.DEMO_MODE:
        raise ImproperlyConfigured("The demo council can only be created with DEMO_MODE on.")
    started = clock.monotonic()
    say = progress or (lambda _: None)
    org, families = plan(scale, persons=persons, seed=seed, reference_date=reference_date)
    target = persons or SCALES[scale].persons
    loader = Loader(org, batch_size=batch_size, method=method)
    loader.load_organisation()
    say(
        f"Organisations: {len(org.agencies)} agencies, {len(org.staff)} staff; "
        f"writing with {loader.writer.method} in batches of {batch_size:,} people"
    )
    report_every, reported = max(1, target // 10), 0
    for number, chunk in enumerate(_batches(families, batch_size)):
        loader.write(chunk)
        if number == 0:
            # Statistics from the first batch, so the planner stops treating the new tables
            # (and the foreign-key checks into them) as empty.
            loader.analyze()
        if loader.counts["persons"] - reported >= report_every:
            reported = loader.counts["persons"]
            say(_progress_line(loader, target, started))
    if loader.counts["persons"] != reported:
        say(_progress_line(loader, target, started))
    counts = dict(loader.counts)
    counts["partner_events"] = seed_partner_events(
        seed=seed, today=reference_date or timezone.localdate(), persons=target
    )
    counts["partner_events"] += seed_partner_volume(
        seed=seed,
        today=reference_date or timezone.localdate(),
        persons=target,
        method=loader.writer.method,
        progress=say,
    )
    say(f"Partner events: {counts['partner_events']:,}")
    planted = seed_trajectories(seed=seed, today=reference_date or timezone.localdate())
    counts.update(planted)
    say(
        f"Cumulative concern: {planted['trajectories']:,} trajectories before a child "
        f"protection plan, {planted['decoys']:,} decoys"
    )
    # After every school's events: a child joins an education register only after the last
    # thing their school sent.
    hard_to_see = seed_hardtosee(
        seed=seed, today=reference_date or timezone.localdate(), persons=target
    )
    counts["partner_events"] += hard_to_see.pop("partner_events", 0)
    counts.update(hard_to_see)
    say(
        f"Hard to see: {hard_to_see.get('ehe_children', 0)} home educated, "
        f"{hard_to_see.get('cme_children', 0)} missing education, "
        f"{hard_to_see.get('contexts', 0)} contexts, "
        f"{hard_to_see.get('mace_panels', 0)} MACE panels"
    )
    # The partner feeds, registers and trajectories above multiplied the chronology: without
    # fresh statistics the next two statements are planned for the first batch's tables (at
    # `large` the register UPDATE ran for more than ten minutes instead of seconds).
    loader.analyze()
    # The bulk loads above bypass `chronology_append`: the registers' stored last
    # professional contact (ADR 0033), education register status (ADR 0053) and first
    # service event (ADR 0057), then each child's register row (ADR 0060), are rebuilt
    # from what they wrote, the status before the register is read below.
    counts["register_statuses"] = register_status_refresh()
    counts["last_contacts"] = last_contact_refresh()
    counts["first_service_events"] = first_service_refresh()
    # Each child's register row copies the three above and the person's involvements.
    counts["register_rows"] = register_facts_refresh()
    loader.analyze()
    # Home educated or missing education today: on no school's roll.
    counts["schools_left_behind"] = schools_left_behind(reference_date or timezone.localdate())
    if loader.counts["persons"] >= 100_000:
        say("Updating planner statistics (ANALYZE)...")
    loader.analyze()
    plants = seed_census_plants(reference_date or timezone.localdate())
    counts["census_plants"] = len(plants)
    say(
        "CIN census mistakes planted on purpose: "
        + ("; ".join(f"rule {p.rule}, SafeHub ID {p.person_id}" for p in plants) or "none")
    )
    trained, profiles = seed_neglect(reference_date or timezone.localdate(), seed=seed)
    counts["neglect_profiles"] = profiles
    say(
        f"Neglect profile: the Demoshire template loaded; {trained} staff trained in it, "
        f"{profiles:,} profiles completed"
    )
    permanence = seed_permanence(seed=seed, today=reference_date or timezone.localdate())
    counts.update(permanence)
    say(
        f"Care leavers: {permanence.get('care_leavers', 0):,} with "
        f"{permanence.get('birthday_records', 0):,} birthday records; "
        f"{permanence.get('proceedings', 0):,} in care proceedings, "
        f"{permanence.get('pre_proceedings', 0):,} in pre-proceedings; "
        f"{permanence.get('adoptions', 0):,} adoption decisions, "
        f"{permanence.get('adopters', 0):,} adopters' households"
    )
    planning = seed_care_planning(seed=seed, today=reference_date or timezone.localdate())
    counts.update(planning)
    counts["liberty_orders"] = permanence.get("liberty_orders", 0)
    say(
        f"Care planning: {planning.get('iro_allocations', 0):,} IROs allocated, "
        f"{planning.get('iro_contacts', 0):,} IRO contacts, "
        f"{planning.get('care_plans', 0):,} care, placement and permanence plans, "
        f"{planning.get('delegated_decisions', 0):,} delegated decisions; "
        f"{permanence.get('liberty_orders', 0):,} deprivation of liberty orders, "
        f"{permanence.get('adoption_orders', 0):,} adoption orders"
    )
    encompass = seed_encompass(today=reference_date or timezone.localdate(), persons=target)
    counts.update(encompass)
    say(f"Operation Encompass: {encompass['encompass_notices']:,} notices in the last fortnight")
    registered = seed_swe_registrations()
    say(f"Social Work England registration numbers: {registered} social workers and managers")
    governance = seed_governance(today=reference_date or timezone.localdate())
    counts.update(governance)
    say(
        f"Governance: {governance.get('break_glass', 0)} records opened by breaking the glass, "
        f"{governance.get('subject_access_requests', 0)} subject access requests, "
        f"{governance.get('api_tokens', 0)} API tokens"
    )
    # Last: the rules meet every partner event, profile and contact written above.
    alerts = seed_concern_alerts(
        seed=seed, today=reference_date or timezone.localdate(), persons=target
    )
    counts.update(alerts)
    if alerts["rules_switched_on"]:
        say(
            f"Concern rules: {alerts['rules_switched_on']} switched on four weeks ago, "
            f"{alerts['alerts']:,} alerts raised since"
        )
    return GenerationResult(
        scale=scale,
        counts=counts,
        long_history_person_ids=list(loader.long_history),
        seconds=clock.monotonic() - started,
    )


def _batches(families: Iterator[PlannedFamily], size: int) -> Iterator[list[PlannedFamily]]:
    """Whole families, about `size` people at a time."""
    chunk: list[PlannedFamily] = []
    people = 0
    for family in families:
        chunk.append(family)
        people += len(family.persons)
        if people >= size:
            yield chunk
            chunk, people = [], 0
    if chunk:
        yield chunk


def _progress_line(loader: Loader, target: int, started: float) -> str:
    c = loader.counts
    elapsed = clock.monotonic() - started
    return (
        f"  {c['persons']:>9,} / {target:,} people, {c['links']:>10,} chronology links "
        f"({elapsed:,.0f}s)"
    )
