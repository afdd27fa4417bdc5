"""Demoshire's casework records (`casework.models`) for the children the council knows, in
roughly the national proportions (shared/domain/reference.md sections 1, 2, 4, 5), and
their loading.

Every child of a family with an allocated worker has an episode of need that is still
open, in the state the worker's team suggests: under assessment, a section 47 enquiry, a
child protection plan (about 12% of children in need; about 23% with an earlier plan), a
child in need plan, or looked after (about 20%: periods of care made of SSDA903 episodes,
placement moves with reasons, legal status changes, reviews, missing episodes); early-help
families have an early-help episode. Referrals decided by the MASH (`frontdoor.py`) open
the episodes the real decision would have opened, on the day the contact was received and
with its source; children in families the council otherwise does not know are assessed and
mostly closed (no further action, or early help), and the most recent are still being
assessed. Some children have closed episodes before the current one; the long-history
children about a decade of them.

Records are written as the services would have left them (`casework/services/`): the
rules hold (a plan starts on its initial conference, no two plans overlap, nothing after an
RC8/RC9 closure, nothing before the referral or after yesterday), and the open `DueItem`
rows are what the services would have registered and not yet closed, computed with
`casework.timescales` by replaying the same register/complete steps in date order. Most
statutory work is in time; some is overdue. The casework agrees with itself: a plan still
running has had its reviews, visits and first core group on time, and its one lapse, if it
has one, is recent (the next review or visit overdue, or a young plan's first core group);
only plans that have ended were ever late. The core group meets before every review. Notes
(case notes, visit notes, supervision) say only what the child's records bear out on their
day (`casework_text.SITUATIONS`), and the chronology's free notes never claim casework.
Allocations link to the child's allocated-worker involvement; earlier allocations have their
own ended involvements.

The chronology gets what the services append, except the routine records (visits, core
groups, supervision, ordinary case notes), which stay on the casework page: at the large
scale they would add millions of entries to the person pages' timelines.

The planner has its own seeded Random and runs after the contact planner, so adding
casework leaves families and contacts as they were (apart from involvement dates, and the
involvements that allocations and conference chairs need).

One module an area, as in `casework/services/`. Each area has the stand-ins for its services
(`...Records`, mixed into `Case`) and its planning (`...Planning`); a planning class builds on
the areas it calls, so `CaseworkPlanner` is the last of the chain:

    common            the proportions aimed at; weighted picks, cached clocks, timestamps
    rows              tables, planned rows, a family's rows
    base              one child's plumbing (`CaseBase`), the plan of an episode, `PlannerBase`
    visits_notes      visits, notes, supervision, missing; reviews and visits on their schedule
    allocation        allocations and the involvements that give workers access
    cin_plans         child in need plans
    child_protection  strategy discussions, section 47, conferences, core groups, CP plans
    care              periods of care, 903 episodes and placements, care plans, reviews
    assessments       the child and family assessment
    episodes          open and closed episodes, early help, unborn children
    case              `Case`: one child's records, every area's stand-ins
    planner           `CaseworkPlanner`: a family, a child, their earlier episodes
    loading           `write_casework`: the rows into the database
"""

from safehub.demo.generator.casework_records.loading import write_casework
from safehub.demo.generator.casework_records.planner import CaseworkPlanner
from safehub.demo.generator.casework_records.rows import (
    CASEWORK_TABLES,
    COUNT_KEYS,
    INDEX_ONLY_TABLES,
    TABLES,
    FamilyCasework,
)

__all__ = [
    "CASEWORK_TABLES",
    "COUNT_KEYS",
    "INDEX_ONLY_TABLES",
    "TABLES",
    "CaseworkPlanner",
    "FamilyCasework",
    "write_casework",
]
