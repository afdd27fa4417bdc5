"""The rules SafeHub starts with, each with its rationale. Installed switched off by the
app's first migration: a manager back-tests each on the council's own history before
switching it on (`concern_rule_save`).

Events are named in both vocabularies the chronology holds: partner events as partners send
them (`PARTNER_…`, partners/codes.py) and the older feed codes (chronology/events.py).

The exploitation rule's third clause, "a link to a context under a MACE plan", reads the
contexts of concern (`hardtosee`): a child linked to a place or peer group that a MACE panel
discussed in the year before.
"""

from typing import Any

DOMESTIC_ABUSE = [
    "PARTNER_DOMESTIC_ABUSE_CHILD_PRESENT",
    "PARTNER_DOMESTIC_ABUSE_CHILD_IN_HOUSEHOLD",
    "POLICE_DOMESTIC_ABUSE_NOTIFICATION",
]
SCHOOL_ABSENCE = [
    "PARTNER_PERSISTENT_ABSENCE",
    "PARTNER_SEVERE_ABSENCE",
    "PARTNER_CHILD_MISSING_EDUCATION",
    "SCHOOL_ATTENDANCE_CONCERN",
]
WAS_NOT_BROUGHT = ["PARTNER_WAS_NOT_BROUGHT", "MISSED_HEALTH_APPOINTMENT"]
EMERGENCY = ["PARTNER_ED_ATTENDANCE", "EMERGENCY_DEPARTMENT_ATTENDANCE"]
UNSCHEDULED = [*EMERGENCY, "PARTNER_UNSCHEDULED_ATTENDANCE"]
MISSING = ["PARTNER_MISSING_EPISODE", "MISSING_FROM_HOME", "MISSING_EPISODE"]
# A worry about a child raised by an agency: a contact, or a partner event that is a concern
# in itself (not routine attendance figures or a return from missing).
CONCERNS = [
    "CONTACT_RECEIVED",
    "PARTNER_DSL_WELFARE_CONCERN",
    *DOMESTIC_ABUSE[:2],
    "PARTNER_MISSING_EPISODE",
    "PARTNER_EXPLOITATION_INTELLIGENCE",
    "PARTNER_HOUSEHOLD_ADULT_ARRESTED",
    "PARTNER_WAS_NOT_BROUGHT",
    "PARTNER_PRE_BIRTH_CONCERN",
    *SCHOOL_ABSENCE[:3],
    "PARTNER_SUSPENSION",
    "PARTNER_PERMANENT_EXCLUSION",
    "PARTNER_EVICTION_NOTICE",
    "PARTNER_SUBSTANCE_MISUSE",
    "PARTNER_MENTAL_HEALTH_CRISIS",
    "GP_CONCERN",
    "POLICE_CHILD_CONCERN",
    "POLICE_DOMESTIC_ABUSE_NOTIFICATION",
    "SCHOOL_ATTENDANCE_CONCERN",
    "MISSING_FROM_HOME",
]
SEEN_BY_A_PROFESSIONAL = [
    "VISIT",
    "ASSESSMENT_CHILD_SEEN",
    "PARTNER_HEALTH_VISITOR_CONTACT",
    "HEALTH_VISITOR_CONTACT",
    *UNSCHEDULED,
]
# What builds up towards a crisis: the worries above. Not hospital attendances on their own:
# an attendance is not a worry unless the hospital raises one, which arrives as its own entry.
ACCUMULATING = CONCERNS
# Kinds that are harm to the child in themselves, not a sign of a hard time at home: they
# weigh double whatever their significance.
DIRECT_HARM = {
    "PARTNER_DOMESTIC_ABUSE_CHILD_PRESENT": 2,
    "PARTNER_MISSING_EPISODE": 2,
    "PARTNER_EXPLOITATION_INTELLIGENCE": 2,
    "MISSING_FROM_HOME": 2,
}
INJURY_WORDS = ["injur", "fractur", "bruis", "burn", "scald", "head", "fall", "swallow"]

STARTER_RULES: list[dict[str, Any]] = [
    {
        "code": "concerns-accumulating",
        "name": "Concerns building up and coming closer together, from more than one agency",
        "rationale": (
            "Serious case reviews of neglect and of deaths from abuse keep finding the same "
            "thing: no single event was alarming, but concerns from more than one agency "
            "were building up and coming closer together, and each was judged alone, often "
            "while the case was open. Each concern weighs what its sender graded it (low 1, "
            "medium 2, high 3, critical 4), double if the child was harmed directly (present "
            "at domestic abuse, missing, exploited). Weight of 6 in a year is three medium "
            "concerns or two high ones, in line with the three-in-twelve-months repeat "
            "threshold of local escalation protocols and the re-referral measure; more of it "
            "in the last quarter than the quarter before means it is getting worse, now. "
            "The alert goes to the lead professional if there is one, or to the MASH."
        ),
        "definition": {
            "any_of": [
                {
                    "all_of": [
                        {
                            "kind": "weight",
                            "events": ACCUMULATING,
                            "within_days": 365,
                            "at_least": 6,
                            "kind_weights": DIRECT_HARM,
                            "rising_days": 91,
                        },
                        {
                            "kind": "count",
                            "events": ACCUMULATING,
                            "within_days": 365,
                            "at_least": 2,
                            "distinct": "agency",
                        },
                    ]
                }
            ]
        },
    },
    {
        "code": "many-agencies-no-plan",
        "name": "Concerns from three or more agencies and nobody leading",
        "rationale": (
            "Three or more agencies worrying about the same child within a year, two of them "
            "in the last three months, while no episode is open and no lead professional "
            "holds the case, is the pattern serious case reviews keep finding: each agency "
            "saw a part, nobody saw the whole, and the worries were coming closer together."
        ),
        "definition": {
            "any_of": [
                {
                    "all_of": [
                        {
                            "kind": "count",
                            "events": CONCERNS,
                            "within_days": 365,
                            "at_least": 3,
                            "distinct": "agency",
                        },
                        {
                            "kind": "count",
                            "events": CONCERNS,
                            "within_days": 90,
                            "at_least": 2,
                            "distinct": "agency",
                        },
                        {"kind": "state", "state": "no_open_episode"},
                        {"kind": "state", "state": "no_lead_professional"},
                    ]
                }
            ]
        },
    },
    {
        "code": "baby-injury-or-attendances",
        "name": "A baby under one with an injury, or unplanned attendances",
        "rationale": (
            "Babies cannot move about on their own: an injury that brings one to an emergency "
            "department, or repeated unplanned attendances in the first year, needs an "
            "explanation. Bruising and fractures in non-mobile babies are a known sign of "
            "physical abuse."
        ),
        "definition": {
            "any_of": [
                {
                    "all_of": [
                        {"kind": "age", "under_days": 365},
                        {
                            "kind": "count",
                            "events": EMERGENCY,
                            "within_days": 365,
                            "at_least": 1,
                            "mentions_any": INJURY_WORDS,
                        },
                    ]
                },
                {
                    "all_of": [
                        {"kind": "age", "under_days": 365},
                        {"kind": "count", "events": UNSCHEDULED, "within_days": 365, "at_least": 2},
                    ]
                },
            ]
        },
    },
    {
        "code": "not-brought-absent-domestic-abuse",
        "name": "Not brought to health, absent from school, and domestic abuse",
        "rationale": (
            "A child repeatedly not brought to health appointments, missing school, and living "
            "where the police have been called to domestic abuse, all within a year: each alone "
            "is common; together they are a recognised picture of neglect."
        ),
        "definition": {
            "any_of": [
                {
                    "all_of": [
                        {
                            "kind": "count",
                            "events": WAS_NOT_BROUGHT,
                            "within_days": 365,
                            "at_least": 2,
                        },
                        {
                            "kind": "count",
                            "events": SCHOOL_ABSENCE,
                            "within_days": 365,
                            "at_least": 1,
                        },
                        {
                            "kind": "count",
                            "events": DOMESTIC_ABUSE,
                            "within_days": 365,
                            "at_least": 1,
                        },
                    ]
                }
            ]
        },
    },
    {
        "code": "repeat-contacts",
        "name": "Repeated contacts closed with no further action, or from several referrers",
        "rationale": (
            "Three contacts closed with no further action in a year, or worries from two "
            "different people within six months about a child nobody is working with, suggest "
            "a concern that each decision taken alone has missed: the cumulative picture "
            "needs a fresh look."
        ),
        "definition": {
            "any_of": [
                {
                    "all_of": [
                        {
                            "kind": "count",
                            "events": ["CONTACT_DECISION"],
                            "within_days": 365,
                            "at_least": 3,
                            "mentions_any": ["no further action"],
                        }
                    ]
                },
                {
                    "all_of": [
                        {
                            "kind": "count",
                            "events": ["CONTACT_RECEIVED"],
                            "within_days": 183,
                            "at_least": 2,
                            "distinct": "referrer",
                        },
                        {"kind": "state", "state": "no_open_episode"},
                    ]
                },
            ]
        },
    },
    {
        "code": "missing-or-exploitation",
        "name": "Repeatedly missing, or intelligence about exploitation",
        "rationale": (
            "Going missing three times in ninety days, police intelligence about "
            "exploitation, or a link to a place or peer group that the MACE panel is working "
            "on, are recognised warning signs of criminal or sexual exploitation."
        ),
        "definition": {
            "any_of": [
                {
                    "all_of": [
                        {
                            "kind": "count",
                            "events": MISSING,
                            "within_days": 90,
                            "at_least": 3,
                            "distinct": "day",
                        }
                    ]
                },
                {
                    "all_of": [
                        {
                            "kind": "count",
                            "events": ["PARTNER_EXPLOITATION_INTELLIGENCE"],
                            "within_days": 365,
                            "at_least": 1,
                        }
                    ]
                },
                {
                    "all_of": [
                        {"kind": "count", "events": ["CONTEXT_LINKED"], "at_least": 1},
                        {"kind": "state", "state": "linked_to_mace_context"},
                    ]
                },
            ]
        },
    },
    {
        "code": "home-educated-unseen",
        "name": "Home-educated, known to agencies, and not seen for six months",
        "rationale": (
            "A child educated at home is out of sight of school. Where agencies have worried "
            "about the child before, six months without any professional seeing them leaves "
            "nobody able to notice harm."
        ),
        "definition": {
            "any_of": [
                {
                    "all_of": [
                        {
                            "kind": "ongoing",
                            "started_by": ["PARTNER_EHE_REGISTERED"],
                            "ended_by": ["PARTNER_EHE_ENDED"],
                            "for_days": 183,
                        },
                        {"kind": "count", "events": CONCERNS, "at_least": 1},
                        {"kind": "none", "events": SEEN_BY_A_PROFESSIONAL, "within_days": 183},
                    ]
                }
            ]
        },
    },
    {
        "code": "neglect-worsening",
        "name": "Neglect profile got worse",
        "rationale": (
            "A repeat neglect profile graded worse than the one before means the care the child "
            "receives is deteriorating despite whatever support is in place."
        ),
        "definition": {
            "any_of": [
                {"all_of": [{"kind": "worsened", "measure": "neglect_overall", "within_days": 730}]}
            ]
        },
    },
]
