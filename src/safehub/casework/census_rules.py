"""The census errors SafeHub stops at entry: each rule, the DfE validation rule it keeps
from failing at return time (where the rule has a number), where it is enforced, and the
test that proves it. `manage.py census_rules_doc` writes this list into
docs/census-rules-at-entry.md, and a test keeps that file the same as this list."""

from dataclasses import dataclass
from importlib import import_module

from django.apps import apps


@dataclass(frozen=True)
class EntryRule:
    ret: str  # the return whose validation it anticipates: "CIN census" or "SSDA903"
    dfe_rules: tuple[str, ...]  # DfE validation rule numbers ("" where the item is required)
    stops: str  # what cannot be recorded, in plain English
    where: tuple[str, ...]  # the functions that refuse it ("module:function")
    tests: tuple[str, ...]  # in casework/tests/test_census_at_entry.py, or `tests_in`
    tests_in: str = "casework/tests/test_census_at_entry.py"


CIN, LAC = "CIN census", "SSDA903"
EPISODES = "safehub.casework.services.episodes"
CP = "safehub.casework.services.child_protection"
CARE = "safehub.casework.services.care"
HEALTH = "safehub.casework.services.care_health"

RULES = (
    EntryRule(
        CIN,
        ("8610",),
        "A referral accepted, or a child in need episode opened, without the child's primary "
        "need (N1-N9; 'not stated' is not enough). It can be changed later, never removed.",
        (
            "safehub.frontdoor.services:contact_decide",
            f"{EPISODES}:episode_open",
            f"{EPISODES}:episode_primary_need_change",
        ),
        (
            "test_a_referral_is_accepted_only_with_its_primary_need",
            "test_a_child_in_need_episode_opens_with_a_primary_need_that_can_change",
        ),
    ),
    EntryRule(
        CIN,
        (),
        "A child becoming a child in need without a disability answer ('No disability' "
        "counts), or the answer blanked once given.",
        (
            "safehub.frontdoor.services:contact_decide",
            f"{EPISODES}:check_census_details",
            "safehub.people.services:person_update",
        ),
        ("test_a_child_in_need_has_a_disability_answer",),
    ),
    EntryRule(
        CIN,
        ("1510", "1520", "1530", "1540", "1550"),
        "A child in need with neither a valid UPN nor the reason it is not known (UN1-UN5); "
        "a replaced UPN is kept as the former UPN.",
        (
            f"{EPISODES}:check_census_details",
            "safehub.people.validation:clean_person_data",
            "safehub.people.services:person_update",
        ),
        ("test_a_child_without_a_upn_has_a_reason_and_a_changed_upn_is_kept",),
    ),
    EntryRule(
        CIN,
        ("8831", "8832"),
        "A child in need episode closed without saying whether the referral ended with no "
        "further action, or said to be 'no further action' when work was done on it.",
        (f"{EPISODES}:episode_close",),
        (
            "test_closing_a_referral_says_whether_it_ended_with_no_further_action",
            "test_a_referral_with_work_done_is_not_no_further_action",
        ),
    ),
    EntryRule(
        CIN,
        ("8875",),
        "An initial child protection conference on a Saturday or Sunday.",
        (f"{CP}:conference_initial",),
        ("test_no_initial_conference_at_a_weekend",),
    ),
    EntryRule(
        CIN,
        ("8606",),
        "A referral more than 40 weeks before the child's (expected) date of birth.",
        (
            f"{EPISODES}:episode_open",
            "safehub.frontdoor.validation:_expected_date",
            "safehub.people.validation:clean_person_data",
        ),
        ("test_no_referral_more_than_forty_weeks_before_birth",),
    ),
    EntryRule(
        CIN,
        (),
        "Casework dated after the child's death (closing the records is still allowed).",
        ("safehub.casework.services.shared:_date",),
        ("test_nothing_is_dated_after_the_child_died",),
    ),
    EntryRule(
        CIN,
        (),
        "A strategy discussion, section 47 enquiry, assessment, plan or period of care "
        "without a child in need referral in place (an early help episode is not one).",
        ("safehub.casework.services.shared:_open_episode",),
        ("test_no_section_47_without_a_referral",),
    ),
    EntryRule(
        CIN,
        ("8820",),
        "An episode backdated to before the child's previous episode closed (and likewise a "
        "period of care before the previous one ended).",
        (f"{EPISODES}:episode_open", f"{CARE}:care_start"),
        (
            "test_no_episode_backdated_over_a_closed_one",
            "test_no_period_of_care_backdated_over_a_closed_one",
        ),
    ),
    EntryRule(
        CIN,
        (),
        "A conference whose chair is not an independent chair: the social worker who records "
        "it, or the child's own social worker, is never its chair.",
        (f"{CP}:conference_initial", f"{CP}:conference_review", "safehub.access.policy:may_chair"),
        ("test_the_social_worker_is_not_the_chair",),
    ),
    EntryRule(
        CIN,
        (),
        "An initial conference recorded as 'no plan' with a category of abuse.",
        (f"{CP}:conference_initial",),
        ("test_a_conference_cannot_say_no_plan_with_a_category",),
    ),
    EntryRule(
        LAC,
        (
            "352",
            "358",
            "371",
            "372",
            "373",
            "374",
            "378",
            "380",
            "382",
            "384",
            "408",
            "527",
            "528",
            "529",
            "530",
            "531",
            "550",
        ),
        "A placement that does not fit the child: too young for it (under 16 in independent "
        "or semi-independent living, under 14 in residential employment, under 10 in youth "
        "custody or on remand, under 4 at a residential school), a legal status it cannot go "
        "with, a provider that does not provide it, a period of care starting with a "
        "temporary placement, or a young person of 18 starting to be looked after.",
        (f"{CARE}:placement_problems", f"{CARE}:care_start", f"{CARE}:care_change"),
        ("test_a_placement_must_fit_the_child", "test_a_sixteen_year_old_may_live_independently"),
    ),
    EntryRule(
        LAC,
        (),
        "A looked-after review without how the child took part (PN0-PN7), 'aged under 4' "
        "(PN0) for a child of 4 or over, or any other code for a child under 4.",
        (f"{CARE}:care_review_record", f"{CARE}:_check_participation"),
        ("test_a_review_says_how_the_child_took_part",),
    ),
    EntryRule(
        LAC,
        (),
        "A health assessment or check, SDQ, substance misuse, conviction or personal "
        "education plan dated before the child came into care, or on a period of care that "
        "has ended.",
        (f"{HEALTH}:_open_period",),
        ("test_no_health_assessment_before_coming_into_care",),
    ),
    EntryRule(
        LAC,
        (),
        "A second initial health assessment in one period of care, or a review health "
        "assessment before the initial one.",
        (f"{HEALTH}:health_check_record",),
        ("test_one_initial_health_assessment_then_reviews",),
    ),
    EntryRule(
        LAC,
        (),
        "A developmental check for a child of 5 or over, or immunisations checked without "
        "saying whether they are up to date.",
        (f"{HEALTH}:health_check_record",),
        ("test_developmental_checks_are_for_under_fives",),
    ),
    EntryRule(
        LAC,
        ("157", "188"),
        "A strengths and difficulties score outside 0-40, a score for a child outside the "
        "ages 4 to 16, both a score and a reason, a reason not SDQ1-SDQ5, or 'under 4 or "
        "over 16' (SDQ1) for a child aged 4 to 16.",
        (f"{HEALTH}:sdq_record",),
        ("test_an_sdq_score_is_from_0_to_40_for_children_aged_4_to_16",),
    ),
    EntryRule(
        LAC,
        (),
        "A substance misuse intervention received that was not offered.",
        (f"{HEALTH}:substance_misuse_record",),
        ("test_an_intervention_received_was_offered",),
    ),
    EntryRule(
        LAC,
        (),
        "A conviction, final warning or reprimand for a child under 10.",
        (f"{HEALTH}:offence_record",),
        ("test_no_conviction_under_the_age_of_criminal_responsibility",),
    ),
    EntryRule(
        LAC,
        (),
        "An unaccompanied asylum-seeking child's status beginning at 18 or over, ceasing "
        "before it began or after the child's 18th birthday, or recorded without a date of "
        "birth.",
        (f"{HEALTH}:_uasc_dates",),
        ("test_uasc_status_ceases_by_the_eighteenth_birthday",),
    ),
)


def all_rules() -> tuple[EntryRule, ...]:
    """These and the rules of the apps built on casework: each may list its own in an
    `entry_rules.py` (RULES), found the way chronology finds `events.py`."""
    found = list(RULES)
    for config in apps.get_app_configs():
        if not config.name.startswith("safehub.") or config.name == "safehub.casework":
            continue
        try:
            module = import_module(f"{config.name}.entry_rules")
        except ModuleNotFoundError as error:
            if error.name != f"{config.name}.entry_rules":
                raise
            continue
        found.extend(module.RULES)
    return tuple(found)


def as_markdown() -> str:
    lines = [
        "# Census errors stopped at entry",
        "",
        "Generated from `src/safehub/casework/census_rules.py` (and each app's `entry_rules.py`)",
        "by `manage.py census_rules_doc`; do not edit by hand. Each row is refused in plain",
        "English when it is recorded, so the return cannot fail on it later. Rule numbers are",
        "the DfE validation rules each row anticipates; a row without one keeps an item the",
        "return requires.",
        "",
        "| Return | DfE rules | Cannot be recorded | Enforced in | Test |",
        "|---|---|---|---|---|",
    ]
    for rule in all_rules():
        where = "<br>".join(f"`{w}`" for w in rule.where)
        tests = "<br>".join(f"`{t}`" for t in rule.tests)
        if rule.tests_in != EntryRule.tests_in:
            tests += f"<br>(in `{rule.tests_in}`)"
        numbers = ", ".join(rule.dfe_rules) or "required item"
        lines.append(f"| {rule.ret} | {numbers} | {rule.stops} | {where} | {tests} |")
    return "\n".join(lines) + "\n"
