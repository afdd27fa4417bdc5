"""Planned rows: each casework table's columns, a row's values in that order, and a family's
rows."""

from dataclasses import dataclass, field
from typing import Any

from safehub.casework.models import (
    Allocation,
    Assessment,
    CareEpisode,
    CareReview,
    CaseNote,
    CINPlan,
    CINPlanReview,
    Conference,
    CoreGroup,
    CPPlan,
    DueItem,
    EducationPlan,
    Episode,
    HealthCheck,
    MissingEpisode,
    Offence,
    Oversight,
    PeriodOfCare,
    Section47,
    StrategyDiscussion,
    StrengthsAndDifficulties,
    SubstanceMisuse,
    UASCStatus,
    Visit,
)
from safehub.chronology.models import ChronologyEntry, ChronologyLink


# A planned row is its table and its values in the table's column order. Column kinds say how
# a value becomes what the database holds: v as is, p a person (index in the family),
# u a username, r another planned row (its id), s another planned row (its id as text),
# t a team (agency, name), c a planned contact, i a planned involvement, a the council.
class Table:
    def __init__(self, model: Any, columns: str) -> None:
        self.model = model
        pairs = [c.split(":") for c in columns.split()]
        self.names = tuple(name for name, _ in pairs)
        self.kinds = tuple(kind for _, kind in pairs)
        self.index = {name: i for i, name in enumerate(self.names)}


class Row:
    __slots__ = ("pk", "table", "values")

    def __init__(self, table: Table, **values: Any) -> None:
        if values.keys() != table.index.keys():
            raise KeyError(f"{table.model.__name__}: {set(values) ^ set(table.index)}")
        self.table = table
        self.values = [values[name] for name in table.names]
        self.pk: int | None = None

    def __getitem__(self, name: str) -> Any:
        return self.values[self.table.index[name]]

    def __setitem__(self, name: str, value: Any) -> None:
        self.values[self.table.index[name]] = value

    def __getattr__(self, name: str) -> Any:
        """A column read like the model's attribute (`row.legal_status`), so the services'
        own rules can be asked about a planned row."""
        if name in Row.__slots__:  # not set yet
            raise AttributeError(name)
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None


_T = "created_at:v updated_at:v"
EPISODE = Table(
    Episode,
    "kind:v child_id:p contact_id:c referral_date:v referral_source:v "
    f"primary_need:v closure_date:v closure_reason:v opened_by_id:u {_T}",
)
ASSESSMENT = Table(
    Assessment,
    "episode_id:r start_date:v due_date:v child_seen_date:v "
    "child_seen_alone:v factors:v completed_date:v completed_by_id:u "
    f"authorised_date:v authorised_by_id:u summary:v {_T}",
)
STRATEGY = Table(
    StrategyDiscussion,
    f"episode_id:r held_on:v participants:v outcome:v notes:v recorded_by_id:u {_T}",
)
SECTION47 = Table(
    Section47, f"episode_id:r strategy_id:r start_date:v icpc_target:v end_date:v outcome:v {_T}"
)
CP_PLAN = Table(
    CPPlan,
    "episode_id:r child_id:p start_date:v initial_category:v "
    f"latest_category:v previous_plans:v end_date:v {_T}",
)
CONFERENCE = Table(
    Conference,
    "episode_id:r kind:v section47_id:r plan_id:r held_on:v "
    f"outcome:v category:v chair_id:u recorded_by_id:u {_T}",
)
CORE_GROUP = Table(CoreGroup, f"plan_id:r held_on:v notes:v recorded_by_id:u {_T}")
CIN_PLAN = Table(CINPlan, f"episode_id:r child_id:p start_date:v end_date:v review_notes:v {_T}")
CIN_REVIEW = Table(CINPlanReview, f"plan_id:r held_on:v recorded_by_id:u {_T}")
PERIOD = Table(
    PeriodOfCare,
    f"child_id:p episode_id:r start_date:v end_date:v reason_ceased:v care_plan_date:v {_T}",
)
CARE_EPISODE = Table(
    CareEpisode,
    "period_id:r start_date:v reason_new_episode:v "
    "legal_status:v placement_type:v provider:v carer_name:v "
    "home_postcode:v placement_postcode:v urn:v end_date:v "
    f"reason_ceased:v reason_place_change:v {_T}",
)
CARE_REVIEW = Table(CareReview, f"period_id:r held_on:v participation:v recorded_by_id:u {_T}")
HEALTH_CHECK = Table(
    HealthCheck, f"period_id:r kind:v held_on:v up_to_date:v note:v recorded_by_id:u {_T}"
)
SDQ = Table(
    StrengthsAndDifficulties,
    f"period_id:r completed_on:v score:v reason:v recorded_by_id:u {_T}",
)
PEP = Table(
    EducationPlan,
    f"period_id:r held_on:v virtual_school_involved:v note:v recorded_by_id:u {_T}",
)
SUBSTANCE = Table(
    SubstanceMisuse,
    "period_id:r identified_on:v intervention_offered:v intervention_received:v note:v "
    f"recorded_by_id:u {_T}",
)
OFFENCE = Table(Offence, f"period_id:r outcome:v outcome_on:v recorded_by_id:u {_T}")
UASC = Table(UASCStatus, f"child_id:p started_on:v ceased_on:v recorded_by_id:u {_T}")
MISSING = Table(
    MissingEpisode,
    "child_id:p kind:v start_date:v end_date:v "
    "return_interview_offered:v return_interview_accepted:v "
    f"recorded_by_id:u {_T}",
)
VISIT = Table(
    Visit,
    "child_id:p episode_id:r kind:v visited_on:v child_seen:v "
    f"child_seen_alone:v bedroom_seen:v note:v recorded_by_id:u {_T}",
)
CASE_NOTE = Table(CaseNote, f"child_id:p author_id:u occurred_at:v text:v significant:v {_T}")
ALLOCATION = Table(
    Allocation,
    "child_id:p worker_id:u team_id:t start_date:v end_date:v "
    f"reason:v involvement_id:i allocated_by_id:u {_T}",
)
OVERSIGHT = Table(
    Oversight, f"child_id:p kind:v held_on:v discussion:v actions:v manager_id:u {_T}"
)
DUE_ITEM = Table(
    DueItem, f"child_id:p kind:v label:v due_date:v source_type:v source_id:s done_on:v {_T}"
)
ENTRY = Table(
    ChronologyEntry,
    "occurred_at:v time_known:v done_by_id:u done_by_label:v recorded_at:v recorded_by_id:u "
    "source_agency_id:a event_type:v category:v significance:v "
    "summary:v source_type:v source_id:s",
)
LINK = Table(ChronologyLink, "entry_id:r person_id:p occurred_at:v")
TABLES = [
    EPISODE,
    ASSESSMENT,
    STRATEGY,
    SECTION47,
    CP_PLAN,
    CONFERENCE,
    CORE_GROUP,
    CIN_PLAN,
    CIN_REVIEW,
    PERIOD,
    CARE_EPISODE,
    CARE_REVIEW,
    HEALTH_CHECK,
    SDQ,
    PEP,
    SUBSTANCE,
    OFFENCE,
    UASC,
    MISSING,
    VISIT,
    CASE_NOTE,
    ALLOCATION,
    OVERSIGHT,
    DUE_ITEM,
    ENTRY,
    LINK,
]
CASEWORK_TABLES = [t.model for t in TABLES[:-2]]
# Read from indexes alone by the team page (casework migration 0002): vacuumed after loading.
INDEX_ONLY_TABLES = [Episode, Allocation]
COUNTED = {
    EPISODE: "episodes",
    ASSESSMENT: "assessments",
    CP_PLAN: "cp_plans",
    CIN_PLAN: "cin_plans",
    PERIOD: "care_periods",
    CARE_EPISODE: "care_episodes",
    VISIT: "visits",
    CASE_NOTE: "case_notes",
    ALLOCATION: "allocations",
    OVERSIGHT: "oversight",
    DUE_ITEM: "due_items",
    MISSING: "missing_episodes",
}
COUNT_KEYS = list(COUNTED.values())


@dataclass
class FamilyCasework:
    rows: list[Row] = field(default_factory=list)
