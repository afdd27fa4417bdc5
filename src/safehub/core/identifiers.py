"""Checks for the identifiers SafeHub stores: NHS number, UPN and UK postcode.

Each `clean_*` returns the canonical form or raises Django's ValidationError with a message
in plain English, so forms, services and the API all give the same answer.
"""

import re

from django.core.exceptions import ValidationError
from stdnum.gb import nhs

NHS_NUMBER_ERROR = "Enter a valid 10-digit NHS number, like 943 476 5919"
UPN_ERROR = (
    "Enter a valid unique pupil number (UPN): a letter followed by 12 characters, "
    "like A123456789012"
)
UPN_CHECK_LETTER_ERROR = "The first letter of the UPN does not match the rest of the number"
POSTCODE_ERROR = "Enter a full UK postcode, like SW1A 1AA"

# Outward code then inward code (digit + two letters), per the Royal Mail format, plus the
# special case GIR 0AA.
_POSTCODE = re.compile(
    r"^(?:GIR0AA|(?:[A-PR-UWYZ][0-9][0-9]?|[A-PR-UWYZ][A-HK-Y][0-9][0-9]?"
    r"|[A-PR-UWYZ][0-9][A-HJKPSTUW]|[A-PR-UWYZ][A-HK-Y][0-9][ABEHMNPRVWXY])"
    r"[0-9][ABD-HJLNP-UW-Z]{2})$"
)


def _compact(value: str) -> str:
    return re.sub(r"[\s\-]", "", value or "").upper()


def clean_nhs_number(value: str) -> str:
    """Ten digits whose last is the modulus-11 check digit of the first nine."""
    compact = _compact(value)
    if not compact.isdigit() or len(compact) != 10 or not nhs.is_valid(compact):
        raise ValidationError(NHS_NUMBER_ERROR, code="nhs_number")
    return compact


# The DfE's 23-letter alphabet for UPN check letters (no I, O or S).
UPN_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"


def upn_check_letter(body: str) -> str:
    """The check letter for the 12 characters after it: characters 2-13 weighted 2-13, a
    letter in position 13 counted by its place in UPN_LETTERS, the sum taken modulo 23.
    Computed here rather than by a library that also requires a known LA number, so UPNs
    from authorities created since (838, 839, 940, 941) are accepted."""
    total = 0
    for weight, char in enumerate(body, start=2):
        total += weight * (int(char) if char.isdigit() else UPN_LETTERS.index(char))
    return UPN_LETTERS[total % 23]


def clean_upn(value: str) -> str:
    """DfE unique pupil number: a check letter, 11 digits, then a digit or (for a temporary
    UPN) a letter from the UPN alphabet."""
    compact = _compact(value)
    if (
        len(compact) != 13
        or not compact.isascii()
        or not compact[0].isalpha()
        or not compact[1:12].isdigit()
        or not (compact[12].isdigit() or compact[12] in UPN_LETTERS)
    ):
        raise ValidationError(UPN_ERROR, code="upn")
    if upn_check_letter(compact[1:]) != compact[0]:
        raise ValidationError(UPN_CHECK_LETTER_ERROR, code="upn_check_letter")
    return compact


def clean_postcode(value: str) -> str:
    """A full UK postcode, returned as outward code, space, inward code (e.g. 'SW1A 1AA')."""
    compact = _compact(value)
    if not compact.isascii() or not _POSTCODE.match(compact):
        raise ValidationError(POSTCODE_ERROR, code="postcode")
    return f"{compact[:-3]} {compact[-3:]}"


def format_nhs_number(value: str) -> str:
    return f"{value[:3]} {value[3:6]} {value[6:]}" if value and len(value) == 10 else value


def record_pk(raw: object) -> int:
    """A record id from an address or a form as a positive integer PostgreSQL can hold, or 0
    (which matches no row) for anything else, so a bad id is "not found", never a 500."""
    try:
        pk = int(raw)  # type: ignore[call-overload]
    except (TypeError, ValueError, OverflowError):
        return 0
    return pk if 0 < pk < 2**63 else 0
