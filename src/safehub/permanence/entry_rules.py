"""The 903 errors and court rules SafeHub stops at entry for proceedings and adoption, listed
beside casework's (`casework.census_rules.all_rules` finds this module) so `manage.py
census_rules_doc` writes them into docs/census-rules-at-entry.md.
Tests: permanence/tests/test_entry_rules.py."""

from safehub.casework.census_rules import LAC, EntryRule

S = "safehub.permanence.services"
TESTS = "permanence/tests/test_entry_rules.py"

RULES = (
    EntryRule(
        LAC,
        (),
        "A letter before proceedings dated before pre-proceedings began, or a pre-proceedings "
        "meeting without the letter that invites the parents to it or before it.",
        (f"{S}:_letter_and_meeting",),
        ("test_the_letter_comes_before_the_meeting",),
        TESTS,
    ),
    EntryRule(
        LAC,
        (),
        "A second set of proceedings while one runs; an application issued before "
        "pre-proceedings began; hearings, extensions or a final order before the application "
        "was issued or on proceedings never issued.",
        (
            f"{S}:proceedings_issue",
            f"{S}:_issued",
            f"{S}:hearing_record",
            f"{S}:final_order_record",
        ),
        (
            "test_one_set_of_proceedings_at_a_time",
            "test_court_steps_need_the_application_and_come_after_it",
        ),
        TESTS,
    ),
    EntryRule(
        LAC,
        (),
        "An extension of the 26 weeks by more than eight weeks at a time, to a date not after "
        "the current end, or without the court's reason.",
        (f"{S}:timetable_extend",),
        ("test_an_extension_is_at_most_eight_weeks_and_has_a_reason",),
        TESTS,
    ),
    EntryRule(
        LAC,
        (),
        "An interim or final care order (903 legal status C1, C2, E1) on an application that "
        "was not for a care order; a final order on an emergency protection order.",
        (f"{S}:hearing_record", f"{S}:final_order_record"),
        ("test_a_care_order_needs_an_application_for_one",),
        TESTS,
    ),
    EntryRule(
        LAC,
        (),
        "A deprivation of liberty order for someone 18 or over, a second order while one runs "
        "or starting before the last one ended, a review date not after the order, or an end "
        "before it began.",
        (f"{S}:liberty_order_record", f"{S}:liberty_order_end"),
        ("test_deprivation_of_liberty_orders_one_at_a_time_for_children",),
        TESTS,
    ),
    EntryRule(
        LAC,
        ("517", "518", "520", "524"),
        "Adopters whose legal status does not fit their genders (a different-gender married "
        "or unmarried couple is MF; a same-gender couple MM or FF; a single adopter M1 or F1), "
        "or codes outside the AD1 lists.",
        (f"{S}:check_adopters",),
        ("test_adopters_legal_status_fits_their_genders",),
        TESTS,
    ),
    EntryRule(
        LAC,
        ("553", "386"),
        "A placement order, match or reversal before the decision that the child should be "
        "placed for adoption, or without one; a decision or adoption order at 18 or over.",
        (
            f"{S}:_open_adoption",
            f"{S}:adoption_placement_order",
            f"{S}:adoption_decide",
            f"{S}:adoption_order",
        ),
        (
            "test_adoption_steps_need_the_decision_first",
            "test_adoption_is_for_children_under_18",
        ),
        TESTS,
    ),
    EntryRule(
        LAC,
        (),
        "A match with adopters not approved by its date; a placement for adoption before the "
        "match; an adoption order before the child was placed for adoption.",
        (f"{S}:adoption_match", f"{S}:adoption_place", f"{S}:adoption_order"),
        (
            "test_a_match_is_with_approved_adopters",
            "test_an_adoption_order_comes_after_the_placement",
        ),
        TESTS,
    ),
    EntryRule(
        LAC,
        (),
        "A decision reversed without a reason from RD1-RD4, or before it was made.",
        (f"{S}:adoption_reverse",),
        ("test_a_reversal_has_its_reason",),
        TESTS,
    ),
    EntryRule(
        LAC,
        (),
        "Previous permanence (PREV_PERM) outside P1-P4 and Z1, or a known order without its "
        "date or dated before the child's birth.",
        (f"{S}:previous_permanence_record",),
        ("test_previous_permanence_needs_its_date_unless_not_known",),
        TESTS,
    ),
)
