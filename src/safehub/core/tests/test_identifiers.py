"""NHS number, UPN and postcode checks: what a worker may type is accepted in its canonical
form, anything else is refused with the plain-English message, and nothing else ever escapes
(no crash on odd input from a page or the API)."""

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from safehub.core.identifiers import (
    NHS_NUMBER_ERROR,
    POSTCODE_ERROR,
    UPN_CHECK_LETTER_ERROR,
    UPN_ERROR,
    clean_nhs_number,
    clean_postcode,
    clean_upn,
    format_nhs_number,
    record_pk,
)

FAST = settings(max_examples=200, deadline=None)
DIGITS = "0123456789"


def _refused_with(cleaner, value: str) -> list[str]:
    with pytest.raises(ValidationError) as refused:
        cleaner(value)
    return refused.value.messages


def _outcome(cleaner, value: str) -> tuple[str | None, list[str]]:
    """(cleaned value, []) if accepted; (None, messages) if refused. Any other exception
    escapes and fails the test."""
    try:
        return cleaner(value), []
    except ValidationError as error:
        return None, error.messages


# --- NHS number --------------------------------------------------------------------------


def nhs_check_digit(nine: str) -> int | None:
    """The NHS Data Dictionary modulus-11 algorithm, written out independently of the app:
    weights 10..2 over the first nine digits, check = 11 - (sum mod 11); 11 means 0 and 10
    means the nine digits can never form a valid number."""
    total = sum(int(digit) * weight for digit, weight in zip(nine, range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        return 0
    if check == 10:
        return None
    return check


nine_digits = st.text(alphabet=DIGITS, min_size=9, max_size=9)
valid_nhs_numbers = nine_digits.filter(lambda n: nhs_check_digit(n) is not None).map(
    lambda n: n + str(nhs_check_digit(n))
)


def test_the_example_nhs_number_in_the_error_message_is_itself_valid():
    assert clean_nhs_number("943 476 5919") == "9434765919"
    assert nhs_check_digit("943476591") == 9


@FAST
@given(
    number=valid_nhs_numbers,
    layout=st.sampled_from(
        ["{a}{b}{c}", "{a} {b} {c}", "{a}-{b}-{c}", " {a} {b} {c} ", "{a}  {b}\t{c}"]
    ),
)
def test_any_nine_digits_with_their_check_digit_are_accepted_in_any_usual_grouping(number, layout):
    typed = layout.format(a=number[:3], b=number[3:6], c=number[6:])
    assert clean_nhs_number(typed) == number
    assert format_nhs_number(clean_nhs_number(typed)) == f"{number[:3]} {number[3:6]} {number[6:]}"


def _ninth_digit_making_check_ten(eight: str) -> str | None:
    # The check is 10 when the weighted sum is 1 (mod 11); the ninth digit has weight 2,
    # and 6 is the inverse of 2 (mod 11).
    partial = sum(int(d) * w for d, w in zip(eight, range(10, 2, -1), strict=True))
    ninth = (1 - partial) * 6 % 11
    return str(ninth) if ninth < 10 else None


nines_without_a_check_digit = (
    st.text(alphabet=DIGITS, min_size=8, max_size=8)
    .map(lambda e: e + (_ninth_digit_making_check_ten(e) or ""))
    .filter(lambda n: len(n) == 9)
)


@FAST
@given(nine=nines_without_a_check_digit)
def test_nine_digits_whose_check_digit_would_be_ten_never_make_a_valid_number(nine):
    assert nhs_check_digit(nine) is None
    for last in DIGITS:
        assert _refused_with(clean_nhs_number, nine + last) == [NHS_NUMBER_ERROR]


@FAST
@given(number=valid_nhs_numbers, position=st.integers(0, 9), shift=st.integers(1, 9))
def test_changing_any_single_digit_of_a_valid_nhs_number_makes_it_refused(number, position, shift):
    wrong = str((int(number[position]) + shift) % 10)
    mistyped = number[:position] + wrong + number[position + 1 :]
    assert _refused_with(clean_nhs_number, mistyped) == [NHS_NUMBER_ERROR]


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "943476591",
        "94347659190",
        "943476591X",
        "943 476 591 9 9",
        "٩٤٣٤٧٦٥٩١٩",
        "9434765919\n1",
    ],
)
def test_malformed_nhs_numbers_are_refused_in_plain_english(typed):
    assert _refused_with(clean_nhs_number, typed) == [NHS_NUMBER_ERROR]


@FAST
@given(text=st.text())
def test_no_text_makes_the_nhs_number_check_raise_anything_but_a_validation_error(text):
    cleaned, messages = _outcome(clean_nhs_number, text)
    if cleaned is None:
        assert messages == [NHS_NUMBER_ERROR]
    else:
        assert len(cleaned) == 10
        assert all(c in DIGITS for c in cleaned)
        assert nhs_check_digit(cleaned[:9]) == int(cleaned[9])


# --- Unique pupil number -----------------------------------------------------------------

UPN_ALPHABET = "ABCDEFGHJKLMNPQRTUVWXYZ"
# Local authority numbers that have issued UPNs for years (Camden, Barnet, Birmingham,
# Liverpool, Bristol, North Yorkshire, Hampshire, Kent, Hertfordshire, Surrey, ...).
ESTABLISHED_LA_NUMBERS = [
    "201",
    "202",
    "302",
    "330",
    "341",
    "801",
    "815",
    "850",
    "886",
    "919",
    "936",
]
# Authorities created since 2019, with the DfE numbers their schools now issue UPNs under:
# Dorset 838, Bournemouth, Christchurch and Poole 839 (April 2019), North Northamptonshire
# 940 and West Northamptonshire 941 (April 2021).
NEWER_LA_NUMBERS = ["838", "839", "940", "941"]


def upn_check_letter(body: str) -> str:
    """The DfE algorithm: characters 2-13 weighted 2..13; a digit counts as itself and a
    letter (the 13th character of a temporary UPN) as its position in the check alphabet;
    the check letter is the alphabet's (sum mod 23)th letter."""
    assert len(body) == 12
    total = sum(
        weight * (int(c) if c.isdigit() else UPN_ALPHABET.index(c))
        for weight, c in zip(range(2, 14), body, strict=True)
    )
    return UPN_ALPHABET[total % 23]


@st.composite
def upn_bodies(draw, la_numbers=ESTABLISHED_LA_NUMBERS):
    """LA number, 4-digit establishment, 2-digit year, then a 3-digit serial (permanent) or
    2 digits and a letter (temporary)."""
    la = draw(st.sampled_from(la_numbers))
    rest = draw(st.text(alphabet=DIGITS, min_size=8, max_size=8))
    last = draw(st.sampled_from(DIGITS + UPN_ALPHABET))
    return la + rest + last


def test_the_dfe_worked_example_upn_is_accepted():
    body = "801200005001"
    assert upn_check_letter(body) == "B"
    assert clean_upn("B" + body) == "B801200005001"


@FAST
@given(body=upn_bodies(), layout=st.sampled_from(["{u}", "{l}", " {u} ", "{u4} {rest}"]))
def test_a_upn_with_its_correct_check_letter_is_accepted(body, layout):
    upn = upn_check_letter(body) + body
    typed = layout.format(u=upn, l=upn.lower(), u4=upn[:4], rest=upn[4:])
    assert clean_upn(typed) == upn


@FAST
@given(body=upn_bodies(), letter=st.sampled_from("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
def test_a_upn_with_the_wrong_check_letter_is_refused_for_its_check_letter(body, letter):
    if letter == upn_check_letter(body):
        letter = UPN_ALPHABET[(UPN_ALPHABET.index(letter) + 1) % 23]
    assert _refused_with(clean_upn, letter + body) == [UPN_CHECK_LETTER_ERROR]


@pytest.mark.parametrize("la", NEWER_LA_NUMBERS)
def test_a_upn_issued_by_an_authority_created_since_2019_is_accepted(la):
    body = la + "1234" + "25" + "001"
    upn = upn_check_letter(body) + body
    assert clean_upn(upn) == upn


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "1234567890123",
        "A12345678901",
        "A1234567890123",
        "A12345678901$",
        "AB23456789012",
        "A1234567890ﬀ",
    ],
)
def test_a_upn_of_the_wrong_shape_is_refused_in_plain_english(typed):
    assert _refused_with(clean_upn, typed) == [UPN_ERROR]


@FAST
@given(text=st.text())
def test_no_text_makes_the_upn_check_raise_anything_but_a_validation_error(text):
    cleaned, messages = _outcome(clean_upn, text)
    if cleaned is None:
        assert messages in ([UPN_ERROR], [UPN_CHECK_LETTER_ERROR])
    else:
        assert len(cleaned) == 13
        assert cleaned[0] == upn_check_letter(cleaned[1:])


# --- Postcode ----------------------------------------------------------------------------

FIRST = "ABCDEFGHIJKLMNOPRSTUWYZ"  # not Q, V, X
SECOND = "ABCDEFGHKLMNOPQRSTUVWXY"  # not I, J, Z
THIRD = "ABCDEFGHJKPSTUW"  # A9A outward codes
FOURTH = "ABEHMNPRVWXY"  # AA9A outward codes
INWARD = "ABDEFGHJLNPQRSTUWXYZ"  # never C, I, K, M, O, V


@st.composite
def postcodes(draw):
    """A postcode in one of the six Royal Mail outward shapes plus the inward code."""
    digit = st.sampled_from(DIGITS)
    letter1, letter2 = st.sampled_from(FIRST), st.sampled_from(SECOND)
    shapes = [
        (letter1, digit),  # M1
        (letter1, digit, digit),  # B33
        (letter1, letter2, digit),  # CR2
        (letter1, letter2, digit, digit),  # DN55
        (letter1, digit, st.sampled_from(THIRD)),  # W1A
        (letter1, letter2, digit, st.sampled_from(FOURTH)),  # EC1A
    ]
    outward = "".join(draw(part) for part in draw(st.sampled_from(shapes)))
    inward = draw(digit) + draw(st.sampled_from(INWARD)) + draw(st.sampled_from(INWARD))
    return f"{outward} {inward}"


@pytest.mark.parametrize(
    "postcode",
    ["SW1A 1AA", "M1 1AE", "B33 8TH", "CR2 6XH", "DN55 1PT", "EC1A 1BB", "W1A 0AX", "GIR 0AA"],
)
@pytest.mark.parametrize(
    "how",
    [
        str,
        str.lower,
        lambda p: p.replace(" ", ""),
        lambda p: f"  {p.lower()}  ",
        lambda p: p.replace(" ", "  "),
    ],
)
def test_real_postcodes_are_accepted_however_typed_and_given_back_in_capitals_with_one_space(
    postcode, how
):
    assert clean_postcode(how(postcode)) == postcode


@FAST
@given(postcode=postcodes(), squash=st.booleans(), lower=st.booleans())
def test_any_postcode_of_a_royal_mail_shape_is_normalised_to_capitals_and_one_space(
    postcode, squash, lower
):
    typed = postcode.replace(" ", "") if squash else postcode
    typed = typed.lower() if lower else typed
    assert clean_postcode(typed) == postcode


@pytest.mark.parametrize(
    "typed",
    [
        "Q1 1AA",
        "V1 1AA",
        "AB1 1CI",
        "SW1A 1AC",
        "SW1A1A",
        "12345",
        "SW1A 1AA1",
        "",
        "SW1A",
        "1AA",
        "SW1A 1AA X",
        "ＳＷ１Ａ １ＡＡ",
    ],
)
def test_postcodes_that_cannot_exist_are_refused_in_plain_english(typed):
    assert _refused_with(clean_postcode, typed) == [POSTCODE_ERROR]


@FAST
@given(text=st.text())
def test_no_text_makes_the_postcode_check_raise_anything_but_a_validation_error(text):
    cleaned, messages = _outcome(clean_postcode, text)
    if cleaned is None:
        assert messages == [POSTCODE_ERROR]
    else:
        outward, inward = cleaned.split(" ")
        assert cleaned.isascii()
        assert cleaned == cleaned.upper()
        assert len(inward) == 3
        assert 2 <= len(outward) <= 4


@pytest.mark.parametrize(
    ("raw", "pk"),
    [("42", 42), (7, 7), ("0", 0), ("-3", 0), ("abc", 0), (None, 0), ("9" * 30, 0), ("1.5", 0)],
)
def test_a_record_id_from_an_address_is_a_positive_integer_or_nothing(raw: object, pk: int) -> None:
    assert record_pk(raw) == pk
