"""The rules a person's details must meet, in plain English. Services call these before
saving anything, so pages and the API refuse the same input with the same words."""

import unicodedata
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from safehub.core.identifiers import clean_nhs_number, clean_upn
from safehub.core.text import JOINERS, clean_text, refuse_bidi_controls
from safehub.organisations.models import Agency, AgencyKind
from safehub.people.codes import Disability, Ethnicity, GenderCurrent, PersonKind, Sex, UpnUnknown

# Between letters, a name may have spaces, hyphens, apostrophes and full stops.
_NAME_JOINERS = " '-.\u2019"
MAX_NAME = 100
# A pregnancy lasts about 40 weeks, so an expected date further ahead cannot be right (and a
# referral more than 40 weeks before it is a census error, rule 8606).
UNBORN_MAX_AHEAD = timedelta(weeks=40)
UNBORN_MAX_OVERDUE = timedelta(days=42)
OLDEST_PLAUSIBLE = date(1900, 1, 1)


def _is_name(text: str) -> bool:
    """Letters (and their accents) of any alphabet, joined by _NAME_JOINERS; it must start
    with a letter. Digits and other numerals (², ½, Ⅷ) are not letters. A zero-width
    non-joiner or joiner (U+200C, U+200D: Persian names such as علی‌اکبر) may sit between
    two letters."""
    if not text or not unicodedata.category(text[0]).startswith("L"):
        return False
    return all(
        _letter(c)
        or c in _NAME_JOINERS
        or (
            c in JOINERS and 0 < i < len(text) - 1 and _letter(text[i - 1]) and _letter(text[i + 1])
        )
        for i, c in enumerate(text)
    )


def _letter(c: str) -> bool:
    return unicodedata.category(c)[0] in "LM"


def clean_name(value: Any, *, label: str, required: bool = True) -> str:
    # Composed form, so "Zoë" typed on one machine equals "Zoë" pasted from another.
    text = unicodedata.normalize("NFC", " ".join(str(value or "").split()))
    if not text:
        if required:
            raise ValidationError(f"Enter {label}")
        return ""
    if len(text) > MAX_NAME:
        raise ValidationError(f"{label.capitalize()} must be {MAX_NAME} characters or fewer")
    refuse_bidi_controls(text, label=label)
    if not _is_name(text):
        raise ValidationError(
            f"{label.capitalize()} must only include letters, spaces, hyphens and apostrophes"
        )
    return text


def _choice(
    value: Any, choices: type[models.Choices], label: str, default: str | None = None
) -> str:
    if value in (None, "") and default is not None:
        return default
    if value not in choices.values:
        raise ValidationError(f"Select {label}")
    return str(value)


def clean_person_data(data: dict[str, Any], *, today: date | None = None) -> dict[str, Any]:
    """Validate a complete set of person details; return them cleaned or raise a
    ValidationError keyed by field name with every problem found."""
    today = today or timezone.localdate()
    errors: dict[str, str] = {}
    out: dict[str, Any] = {}

    def attempt(field: str, fn: Any) -> None:
        try:
            out[field] = fn()
        except ValidationError as error:
            errors[field] = error.messages[0]

    attempt(
        "kind",
        lambda: _choice(
            data.get("kind"), PersonKind, "whether this is a child, an unborn child or an adult"
        ),
    )
    attempt("given_name", lambda: clean_name(data.get("given_name"), label="a first name"))
    attempt(
        "middle_names",
        lambda: clean_name(data.get("middle_names"), label="middle names", required=False),
    )
    attempt("family_name", lambda: clean_name(data.get("family_name"), label="a last name"))
    attempt("sex", lambda: _choice(data.get("sex"), Sex, "sex", default=Sex.UNKNOWN))
    attempt(
        "gender_current",
        lambda: _choice(
            data.get("gender_current"), GenderCurrent, "gender", default=GenderCurrent.NOT_RECORDED
        ),
    )
    attempt(
        "ethnicity",
        lambda: _choice(data.get("ethnicity"), Ethnicity, "ethnicity", default=Ethnicity.NOBT),
    )
    out["first_language"] = " ".join(str(data.get("first_language") or "").split())[:60]
    out["interpreter_needed"] = bool(data.get("interpreter_needed"))
    out["date_of_birth_estimated"] = bool(data.get("date_of_birth_estimated"))
    attempt("disabilities", lambda: _clean_disabilities(data.get("disabilities")))
    attempt(
        "nhs_number", lambda: clean_nhs_number(data["nhs_number"]) if data.get("nhs_number") else ""
    )
    attempt("upn", lambda: clean_upn(data["upn"]) if data.get("upn") else "")
    attempt("former_upn", lambda: clean_upn(data["former_upn"]) if data.get("former_upn") else "")
    # A reason the UPN is not known only stands while there is no UPN.
    attempt(
        "upn_unknown",
        lambda: (
            ""
            if out.get("upn") or data.get("kind") != PersonKind.CHILD
            else _choice(data.get("upn_unknown"), UpnUnknown, "why the UPN is not known", "")
        ),
    )
    attempt(
        "school",
        lambda: clean_text(
            data.get("school"), label="the school or nursery", max_length=120, required=False
        ),
    )
    try:
        out["school_agency"] = _clean_school(data)
    except ValidationError as error:  # keyed by what was given: the list, or the URN
        errors["school_urn" if "school_urn" in data else "school_agency"] = error.messages[0]
    if out.get("school_agency") is not None:
        out["school"] = out["school_agency"].name  # a school SafeHub knows, as it is known

    kind = out.get("kind")
    dob = data.get("date_of_birth")
    expected = data.get("expected_date_of_birth")
    death = data.get("date_of_death")
    for field, value in (
        ("date_of_birth", dob),
        ("expected_date_of_birth", expected),
        ("date_of_death", death),
    ):
        if value is not None and not isinstance(value, date):
            errors[field] = "Enter a real date"
    if kind == PersonKind.UNBORN:
        if expected is None:
            errors.setdefault("expected_date_of_birth", "Enter the expected date of birth")
        elif isinstance(expected, date) and expected > today + UNBORN_MAX_AHEAD:
            errors.setdefault(
                "expected_date_of_birth", "Expected date of birth must be within the next 40 weeks"
            )
        elif isinstance(expected, date) and expected < today - UNBORN_MAX_OVERDUE:
            errors.setdefault(
                "expected_date_of_birth",
                "Expected date of birth has passed: record the child as born",
            )
        if dob is not None:
            errors.setdefault("date_of_birth", "An unborn child cannot have a date of birth")
        if out.get("sex") not in (None, Sex.UNKNOWN):
            errors.setdefault("sex", "Sex must be 'Not known' for an unborn child")
        if death is not None:
            errors.setdefault("date_of_death", "An unborn child cannot have a date of death")
    elif kind in (PersonKind.CHILD, PersonKind.ADULT):
        if dob is None and kind == PersonKind.CHILD:
            errors.setdefault(
                "date_of_birth",
                "Enter the child's date of birth (tick 'estimated' if it is not known exactly)",
            )
        if isinstance(dob, date) and dob > today:
            errors.setdefault("date_of_birth", "Date of birth must be in the past")
        if isinstance(dob, date) and dob < OLDEST_PLAUSIBLE:
            errors.setdefault("date_of_birth", "Date of birth must be after 1 January 1900")
        if expected is not None:
            errors.setdefault(
                "expected_date_of_birth", "Only an unborn child has an expected date of birth"
            )
    if isinstance(death, date):
        if death > today:
            errors.setdefault("date_of_death", "Date of death must be today or in the past")
        if isinstance(dob, date) and death < dob:
            errors.setdefault("date_of_death", "Date of death must be after the date of birth")
    out["date_of_birth"] = dob if kind != PersonKind.UNBORN else None
    out["expected_date_of_birth"] = expected if kind == PersonKind.UNBORN else None
    out["date_of_death"] = death
    if errors:
        raise ValidationError(errors)
    return out


def _clean_school(data: dict[str, Any]) -> Agency | None:
    """The child's school by identity (ADR 0033): a school agency chosen from SafeHub's
    list, or given by its URN (the API); never looked up by the name typed."""
    if "school_urn" in data:
        urn = "".join(str(data["school_urn"] or "").split())
        if not urn:
            return None
        if not (urn.isascii() and urn.isdigit() and len(urn) == 6):
            raise ValidationError("Enter the school's URN as 6 digits, like 123456")
        found = Agency.objects.filter(kind=AgencyKind.SCHOOL, urn=urn).first()
        if found is None:
            raise ValidationError(
                f"No school with URN {urn} uses SafeHub. Leave the URN out and write the "
                "school's name instead"
            )
        return found
    school = data.get("school_agency")
    if school is None or school == "":
        return None
    if isinstance(school, Agency) and school.kind == AgencyKind.SCHOOL:
        return school
    if str(school).isascii() and str(school).isdigit():  # chosen from the form's list
        found = Agency.objects.filter(kind=AgencyKind.SCHOOL, pk=int(school)).first()
        if found is not None:
            return found
    raise ValidationError("Choose the school from the list")


def _clean_disabilities(value: Any) -> list[str]:
    codes = [str(v) for v in (value or [])]
    unknown = [c for c in codes if c not in Disability.values]
    if unknown:
        raise ValidationError("Select disabilities from the list")
    if Disability.NONE in codes and len(codes) > 1:
        raise ValidationError(
            "Select 'No disability' on its own, or the disabilities the person has"
        )
    return sorted(set(codes), key=codes.index)
