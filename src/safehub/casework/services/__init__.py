"""Everything that changes a child's casework. Each function is one transaction that checks
the workflow rules (modelled on the DfE CIN census validation rules), writes its audit row
and chronology entry, and opens or closes the statutory due dates it affects.

One module an area; callers import this package (`from safehub.casework import services`):

    shared            access and date checks, audit and chronology record, row locks, due items
    episodes          episodes of need and early help: open (by hand or from a referral), close
    assessments       the child and family assessment: start, child seen, complete, authorise
    child_protection  strategy discussions, section 47, conferences, core groups, CP plans
    cin_plans         child in need plans: start, review, end
    care              periods of care, 903 episodes and placements, care plan, reviews, leaving
    care_health       health and education in care, SDQ, substance misuse, offences, UASC
    visits_notes      missing episodes, statutory visits, case notes and drafts
    allocation        allocation and management oversight
"""

from safehub.casework.services.allocation import allocate, oversight_record
from safehub.casework.services.assessments import (
    NO_FACTORS,
    assessment_authorise,
    assessment_complete,
    assessment_record_seen,
    assessment_start,
)
from safehub.casework.services.care import (
    care_change,
    care_end,
    care_plan_record,
    care_review_record,
    care_start,
    recommendation_complete,
)
from safehub.casework.services.care_health import (
    education_plan_record,
    health_check_record,
    offence_record,
    sdq_record,
    substance_misuse_record,
    uasc_record,
)
from safehub.casework.services.child_protection import (
    conference_initial,
    conference_review,
    core_group_record,
    section47_conclude,
    strategy_record,
)
from safehub.casework.services.cin_plans import cin_plan_end, cin_plan_review, cin_plan_start
from safehub.casework.services.episodes import (
    NEEDS_FOR_A_REFERRAL,
    census_gaps,
    episode_close,
    episode_open,
    episode_open_from_referral,
    episode_primary_need_change,
    has_statutory_work,
)
from safehub.casework.services.visits_notes import (
    VISIT_DUE_KIND,
    draft_save,
    missing_record,
    note_record,
    visit_kind_for,
    visit_record,
)

__all__ = [
    "NEEDS_FOR_A_REFERRAL",
    "NO_FACTORS",
    "VISIT_DUE_KIND",
    "allocate",
    "assessment_authorise",
    "assessment_complete",
    "assessment_record_seen",
    "assessment_start",
    "care_change",
    "care_end",
    "care_plan_record",
    "care_review_record",
    "care_start",
    "census_gaps",
    "cin_plan_end",
    "cin_plan_review",
    "cin_plan_start",
    "conference_initial",
    "conference_review",
    "core_group_record",
    "draft_save",
    "education_plan_record",
    "episode_close",
    "episode_open",
    "episode_open_from_referral",
    "episode_primary_need_change",
    "has_statutory_work",
    "health_check_record",
    "missing_record",
    "note_record",
    "offence_record",
    "oversight_record",
    "recommendation_complete",
    "sdq_record",
    "section47_conclude",
    "strategy_record",
    "substance_misuse_record",
    "uasc_record",
    "visit_kind_for",
    "visit_record",
]
