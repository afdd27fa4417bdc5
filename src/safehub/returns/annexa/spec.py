"""Ofsted's ILACS Annex A lists, each described once: its sheet, its columns in Ofsted's order
and how each column is coded. The export fills rows keyed by `Column.key`; the writer walks
these columns, so a sheet's headers and order are always these.

Column names and order follow the published Annex A template as reference.md section 3
records it (from the liiatools Annex A specification, without its aggregation-only "LA"
column); the period each list covers follows the same section."""

import enum
from dataclasses import dataclass


class Coding(enum.Enum):
    """How a column's values are written."""

    ID = "SafeHub's ID for the child (Ofsted's Child Unique ID), as text"
    DATE = "a date, shown as dd/mm/yyyy; blank if not (yet) known on the last day"
    AGE = "whole years on the last day of the period"
    YES_NO = "Yes or No; blank where nothing is decided yet"
    COUNT = "a whole number"
    CODE = "the DfE code SafeHub records (CIN census or SSDA903 code sets)"
    TEXT = "words, made safe for a spreadsheet (never run as a formula)"
    NOT_HELD = "blank: SafeHub does not record this"


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    coding: Coding
    meaning: str = ""


@dataclass(frozen=True)
class AnnexList:
    number: int
    title: str
    months: int  # how far back the list reaches from the period's last day
    scope: str
    columns: tuple[Column, ...]

    @property
    def sheet(self) -> str:
        return f"List {self.number}"

    @property
    def headers(self) -> list[str]:
        return [c.header for c in self.columns]


C = Coding
CHILD_ID = Column("child", "Child Unique ID", C.ID)
CHILD = (
    CHILD_ID,
    Column("gender", "Gender", C.TEXT, "Male, Female or Not known (the record's sex)"),
    Column("ethnicity", "Ethnicity", C.CODE, "the DfE ethnicity code"),
    Column("dob", "Date of Birth", C.DATE),
    Column("age", "Age of Child (Years)", C.AGE),
)
DISABILITY = Column(
    "disability", "Does the Child have a Disability", C.YES_NO, "Yes if any code but NONE"
)
ALLOCATED = (
    Column("team", "Allocated Team", C.TEXT, "the team of the allocation open on the last day"),
    Column("worker", "Allocated Worker", C.TEXT, "the worker of that allocation"),
)


def _cols(*parts: Column | tuple[Column, ...]) -> tuple[Column, ...]:
    out: list[Column] = []
    for part in parts:
        out.extend(part if isinstance(part, tuple) else (part,))
    return tuple(out)


LISTS: tuple[AnnexList, ...] = (
    AnnexList(
        1,
        "Contacts",
        6,
        "Every contact received in the period naming a child with a SafeHub record, one row "
        "per child per contact.",
        _cols(
            CHILD,
            Column("contact_date", "Date of Contact", C.DATE, "the day the contact arrived"),
            Column("contact_source", "Contact Source", C.CODE, "CIN census referral source"),
        ),
    ),
    AnnexList(
        2,
        "Early help",
        6,
        "Every early help episode open at some time in the period.",
        _cols(
            CHILD,
            Column("eh_start", "Assessment start date", C.DATE, "the episode's start"),
            Column("eh_end", "Assessment completion date", C.DATE, "the episode's closure"),
            Column(
                "eh_org",
                "Organisation completing assessment",
                C.TEXT,
                "the agency of whoever opened the episode",
            ),
        ),
    ),
    AnnexList(
        3,
        "Referrals",
        6,
        "Every referral (child in need episode) received in the period; a child referred "
        "twice has two rows.",
        _cols(
            CHILD,
            Column("referral_date", "Date of referral", C.DATE),
            Column("referral_source", "Referral Source", C.CODE, "CIN census referral source"),
            Column("referral_nfa", "Referral NFA?", C.YES_NO, "closed with no further action"),
            Column(
                "referrals_12m",
                "Number of Referrals in Last 12 Months",
                C.COUNT,
                "the child's referrals in the 12 months to the last day",
            ),
            ALLOCATED,
        ),
    ),
    AnnexList(
        4,
        "Assessments",
        6,
        "Every child and family assessment under way at some time in the period (started "
        "before its end, not authorised before its start).",
        _cols(
            CHILD,
            DISABILITY,
            Column("assessment_start", "Continuous Assessment Start Date", C.DATE),
            Column("child_seen", "Child Seen During Continuous Assessment", C.YES_NO),
            Column("assessment_authorised", "Continuous Assessment Date of Authorisation", C.DATE),
            Column(
                "needs_support",
                "Was the child assessed as requiring LA children's social care support?",
                C.YES_NO,
                "No if the episode closed after assessment (RC8, RC9); Yes if authorised "
                "otherwise; blank until authorised",
            ),
            ALLOCATED,
        ),
    ),
    AnnexList(
        5,
        "Section 47 enquiries and ICPCs",
        6,
        "Every section 47 enquiry under way at some time in the period, open ones included, "
        "one row per enquiry.",
        _cols(
            CHILD,
            DISABILITY,
            Column(
                "strategy_date",
                "Strategy discussion initiating Section 47 Enquiry Start Date",
                C.DATE,
            ),
            Column(
                "icpc_unnecessary",
                "Was an Initial Child Protection Conference deemed unnecessary?",
                C.YES_NO,
                "from the enquiry's outcome once it ended",
            ),
            Column("icpc_date", "Date of Initial Child Protection Conference", C.DATE),
            Column(
                "icpc_plan",
                "Did the Initial Child Protection Conference Result in a Child Protection Plan",
                C.YES_NO,
            ),
            Column("s47s_12m", "Number of Section 47 Enquiries in the last 12 months", C.COUNT),
            Column("icpcs_12m", "Number of ICPCs in the last 12 months", C.COUNT),
            ALLOCATED,
        ),
    ),
    AnnexList(
        6,
        "Children in need",
        6,
        "Every child in need episode open at some time in the period, except referrals "
        "closed with no further action and young people on list 9 (care leavers).",
        _cols(
            CHILD,
            DISABILITY,
            Column("cin_start", "CIN Start Date", C.DATE, "the referral date"),
            Column("primary_need", "Primary Need Code", C.CODE),
            Column(
                "last_seen", "Date Child Was Last Seen", C.DATE, "the last visit they were seen"
            ),
            Column("cin_closed", "CIN Closure Date", C.DATE),
            Column("closure_reason", "Reason for Closure", C.CODE, "CIN census RC code"),
            Column(
                "case_status",
                "Case Status",
                C.TEXT,
                "on the last day: Looked after, Child protection plan, Child in need or Closed",
            ),
            ALLOCATED,
        ),
    ),
    AnnexList(
        7,
        "Child protection",
        6,
        "Every child protection plan open on the last day or ended in the period.",
        _cols(
            CHILD,
            DISABILITY,
            Column("cpp_start", "Child Protection Plan Start Date", C.DATE),
            Column("initial_category", "Initial Category of Abuse", C.CODE),
            Column("latest_category", "Latest Category of Abuse", C.CODE),
            Column(
                "last_visit", "Date of the Last Statutory Visit", C.DATE, "child protection visits"
            ),
            Column("seen_alone", "Was the Child Seen Alone?", C.YES_NO, "at that visit"),
            Column("latest_review", "Date of latest review conference", C.DATE),
            Column("cpp_end", "Child Protection Plan End Date", C.DATE),
            Column(
                "epo",
                "Subject to Emergency Protection Order or Protected Under Police Powers in "
                "Last Six Months (Y/N)",
                C.YES_NO,
                "an L1 or L2 legal status in the six months",
            ),
            Column("previous_plans", "Number of Previous Child Protection Plans", C.COUNT),
            ALLOCATED,
        ),
    ),
    AnnexList(
        8,
        "Children in care",
        6,
        "Every child looked after on the last day or who ceased to be in the period.",
        _cols(
            CHILD,
            DISABILITY,
            Column("care_start", "Date Started to be Looked After", C.DATE),
            Column("need", "Child's Category of Need", C.CODE, "the episode's primary need"),
            Column(
                "second_period",
                "Is this a second or subsequent period of being a Looked After Child within "
                "the last 12 months (Y/N)",
                C.YES_NO,
                "another period of care ended in the 12 months before this one began",
            ),
            Column("legal_start", "Start date of current legal status", C.DATE),
            Column("legal_status", "Child's Legal Status", C.CODE, "SSDA903 legal status"),
            Column("latest_review", "Date of Latest Statutory Review", C.DATE),
            Column("last_visit", "Date of Last Social Work Visit", C.DATE),
            Column(
                "permanence_plan",
                "What is the permanence plan for this child?",
                C.TEXT,
                "the first line of the child's permanence plan",
            ),
            Column("last_iro", "Date of Last IRO Visit / Contact to the Child", C.DATE),
            Column("last_health", "Date of Last Health Assessment", C.DATE),
            Column("last_dental", "Date of Last Dental Check", C.DATE),
            Column(
                "placements_12m",
                "Number of Placements in the Last 12 months",
                C.COUNT,
                "placements (a change of carer or placement starts one) open in the 12 months",
            ),
            Column("care_end", "Date Ceased to be Looked After", C.DATE),
            Column("reason_ceased", "Reason Ceased to be Looked After", C.CODE),
            Column("placement_start", "Start Date of Most Recent Placement", C.DATE),
            Column("placement_type", "Placement Type", C.CODE),
            Column("placement_provider", "Placement Provider", C.CODE),
            Column("placement_postcode", "Placement postcode", C.TEXT),
            Column("placement_urn", "URN of Placement", C.TEXT),
            Column("placement_location", "Placement Location", C.NOT_HELD),
            Column("placement_la", "LA of Placement", C.NOT_HELD),
            Column(
                "missing_12m",
                "Number of Episodes the Child has been 'Missing' from their Placement in the "
                "last 12 months",
                C.COUNT,
            ),
            Column(
                "absent_12m",
                "Number of Episodes the Child has been 'Absent' from their Placement in the "
                "last 12 months",
                C.COUNT,
                "episodes away without authorisation",
            ),
            Column(
                "ri_offered",
                "Was the child offered a Return Interview after their last missing episode (Y/N)?",
                C.YES_NO,
            ),
            Column(
                "ri_accepted",
                "Did the child accept a Return Interview after their last missing episode (Y/N)?",
                C.YES_NO,
            ),
            ALLOCATED,
        ),
    ),
    AnnexList(
        9,
        "Care leavers",
        0,
        "Every young person entitled to leaving-care services on the last day (eligible, "
        "relevant, former relevant, qualifying).",
        _cols(
            CHILD,
            DISABILITY,
            ALLOCATED,
            Column("category", "Eligibility Category", C.TEXT),
            Column("in_touch", "LA in Touch", C.CODE, "SSDA903 IN_TOUCH at the last birthday"),
            Column("accommodation", "Type of Accommodation", C.CODE, "SSDA903 ACCOM letter"),
            Column("suitable", "Suitability of Accommodation", C.TEXT, "Suitable or Unsuitable"),
            Column("activity", "Activity Status", C.CODE, "SSDA903 ACTIV"),
        ),
    ),
    AnnexList(
        10,
        "Adoption",
        12,
        "Every child with a decision that they should be placed for adoption, an adoption "
        "order or a reversed decision in the period.",
        _cols(
            CHILD_ID,
            Column("family", "Family identifier", C.TEXT, "the matched adopters' reference"),
            CHILD[1:],
            DISABILITY,
            Column("care_start", "Date the Child Entered Care", C.DATE),
            Column("decided", "Date of Decision that Child Should be Placed for Adoption", C.DATE),
            Column("placement_order", "Date of Placement Order", C.DATE),
            Column("matched", "Date of Matching Child and Prospective Adopters", C.DATE),
            Column("placed", "Date Placed for Adoption", C.DATE),
            Column("order", "Date of Adoption Order", C.DATE),
            Column(
                "reversed",
                "Date of Decision that Child Should No Longer be Placed for Adoption",
                C.DATE,
            ),
            Column("reversal_reason", "Reason Why Child No Longer Placed for Adoption", C.CODE),
            Column(
                "ffa",
                "Date the child was placed for fostering in FFA or concurrent planning placement",
                C.DATE,
                "the first U2 or U5 placement in the period of care",
            ),
        ),
    ),
    AnnexList(
        11,
        "Adopters",
        12,
        "Every prospective adopter in touch with the adoption agency in the period: enquired, "
        "approved, matched, placed or given an order in it, or still waiting; one row per "
        "adopter (a couple is two rows).",
        (
            Column("adopter", "Individual adopter identifier", C.TEXT, "family reference, -1, -2"),
            Column("family", "Family identifier", C.TEXT),
            Column("gender", "Gender", C.TEXT),
            Column("ethnicity", "Ethnicity", C.NOT_HELD),
            Column("disability", "Disability", C.NOT_HELD),
            Column("ffa", "Is the (prospective) adopter fostering for adoption?", C.NOT_HELD),
            Column("enquiry", "Date enquiry received", C.DATE),
            Column("stage1_start", "Date Stage 1 started", C.NOT_HELD),
            Column("stage1_end", "Date Stage 1 ended", C.NOT_HELD),
            Column("stage2_start", "Date Stage 2 started", C.NOT_HELD),
            Column("stage2_end", "Date Stage 2 ended", C.NOT_HELD),
            Column("applied", "Date application submitted", C.NOT_HELD),
            Column("approved", "Date application approved", C.DATE),
            Column("matched", "Date adopter matched with child(ren)", C.DATE, "the first match"),
            Column("placed", "Date child/children placed with adopter(s)", C.DATE),
            Column("children", "No. of children placed", C.COUNT),
            Column("order", "Date of Adoption Order", C.DATE, "the latest"),
            Column("left", "Date of leaving adoption process", C.NOT_HELD),
            Column("left_reason", "Reason for leaving adoption process", C.NOT_HELD),
        ),
    ),
)
ADOPTION_LISTS = (10, 11)


def list_numbered(number: int) -> AnnexList:
    return LISTS[number - 1]
