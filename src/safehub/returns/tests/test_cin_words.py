"""A census finding's values in plain English, as "my work" shows them to the worker who
puts them right."""

from safehub.returns.cin.spec import CODE_SETS
from safehub.returns.cin.words import CODE_LABELS, FIELD_LABELS, LEAVES, plain_detail


def test_dates_codes_yes_no_and_blanks_read_as_words():
    assert plain_detail("S47ActualStartDate 2026-11-12") == (
        "Section 47 enquiry started: 12 November 2026"
    )
    assert plain_detail("ReasonForClosure RC8; CINclosureDate 2026-05-01") == (
        "Reason for closure: Case closed after assessment, no further action (RC8); "
        "Episode closed: 1 May 2026"
    )
    assert plain_detail("CPPendDate (blank)") == "Child protection plan ended: not recorded"
    assert plain_detail("ReferralNFA true; ICPCnotRequired 0") == (
        "Referral ended in no further action: yes; Initial conference not needed: no"
    )
    assert plain_detail("AssessmentFactors 2B") == (
        "Factor identified at assessment: Drug misuse: parent or carer (2B)"
    )


def test_what_it_does_not_recognise_is_left_as_the_check_wrote_it():
    assert plain_detail("Sex X; PersonBirthDate 2026-02-30") == "Sex: X; Date of birth: 2026-02-30"
    assert plain_detail("3 referrals on the same day") == "3 referrals on the same day"
    assert plain_detail("") == ""


def test_every_element_a_child_has_in_the_census_has_a_label():
    assert set(LEAVES) <= set(FIELD_LABELS)
    coded = {leaf.type for leaf in LEAVES.values() if leaf.type in CODE_SETS}
    # A code set without labels (UPN unknown's UN1-UN7) shows its codes as they are.
    assert coded - set(CODE_LABELS) == {"upn_unknown"}
