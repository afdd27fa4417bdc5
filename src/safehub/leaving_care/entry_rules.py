"""The 903 care leaver errors SafeHub stops at entry, listed beside casework's
(`casework.census_rules.all_rules` finds this module) so `manage.py census_rules_doc` writes
them into docs/census-rules-at-entry.md. Tests: leaving_care/tests/test_entry_rules.py."""

from safehub.casework.census_rules import LAC, EntryRule

SERVICES = "safehub.leaving_care.services"
TESTS = "leaving_care/tests/test_entry_rules.py"

RULES = (
    EntryRule(
        LAC,
        ("1000", "1001", "1002"),
        "A birthday record for a young person the OC3 does not ask about: not looked after "
        "for 13 weeks after their 14th birthday with some of it after their 16th, or still "
        "looked after on the birthday; a birthday outside the 17th to 21st (25th when they "
        "asked for support); or a birthday already recorded.",
        (f"{SERVICES}:birthday_record", f"{SERVICES}:_birthday_age"),
        (
            "test_a_birthday_record_is_refused_for_a_young_person_who_does_not_qualify",
            "test_a_birthday_record_is_for_the_17th_to_21st_birthday_once_each",
        ),
        TESTS,
    ),
    EntryRule(
        LAC,
        (),
        "A birthday record in touch with the young person but without their accommodation, "
        "whether it is suitable and their activity; or with them when not in touch (code 0).",
        (f"{SERVICES}:_in_touch_answers",),
        (
            "test_in_touch_needs_accommodation_suitability_and_activity",
            "test_not_in_touch_records_no_accommodation_or_activity",
        ),
        TESTS,
    ),
    EntryRule(
        LAC,
        (),
        "An IN_TOUCH, ACCOM or ACTIV code outside the 903's closed lists.",
        (f"{SERVICES}:_in_touch_answers",),
        ("test_codes_come_from_the_closed_lists",),
        TESTS,
    ),
    EntryRule(
        LAC,
        (),
        "A birthday record about the young person before the window around the birthday "
        "opens (3 months before it), or dated in the future.",
        (f"{SERVICES}:birthday_record",),
        ("test_a_birthday_record_dated_before_the_window_is_refused",),
        TESTS,
    ),
    EntryRule(
        LAC,
        (),
        "A pathway plan dated before the 16th birthday, or for a young person who was not "
        "eligible, relevant or former relevant on its date.",
        (f"{SERVICES}:pathway_plan_record",),
        (
            "test_a_pathway_plan_before_the_16th_birthday_is_refused",
            "test_a_pathway_plan_is_for_an_eligible_relevant_or_former_relevant_young_person",
        ),
        TESTS,
    ),
    EntryRule(
        LAC,
        (),
        "Staying put starting before the 18th birthday, or a second arrangement while one runs.",
        (f"{SERVICES}:staying_put_start",),
        ("test_staying_put_starts_at_18_and_one_at_a_time",),
        TESTS,
    ),
)
