"""What a contact must contain, in plain English. The public form, the professional form and
the API all submit one dictionary shape and are refused with the same words.

Errors are keyed by flat field names (`child_0_given_name`, `referrer_email`, `urgency`) so
each page can put them beside its own inputs.
"""

from datetime import date, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import models
from django.utils import timezone

from safehub.core.identifiers import clean_nhs_number, clean_postcode, clean_upn
from safehub.core.text import clean_text
from safehub.frontdoor.codes import (
    ADULT_DESCRIBED,
    ASSESSMENT_FACTORS,
    CHILD_DESCRIBED,
    Channel,
    Consent,
    Described,
    FamilyAware,
    ReferralSource,
    Urgency,
    described_in_words,
)
from safehub.people.validation import clean_name

MAX_CHILDREN = 6
MAX_ADULTS = 6
MAX_STORY = 5000
CHILD_MAX_AGE_YEARS = 18
# A pregnancy lasts about 40 weeks, so a baby due further ahead than that is not yet
# conceived (CIN census rule 8606 refuses a referral more than 40 weeks before the expected
# birth). Labour is induced by 42 weeks, so a due date more than two weeks gone means the
# baby has been born: the referrer should give the date of birth instead.
PREBIRTH_MAX_AHEAD = timedelta(weeks=40)
PREBIRTH_MAX_OVERDUE = timedelta(weeks=2)


class Errors(dict[str, str]):
    def attempt(self, key: str, fn: Any, default: Any = "") -> Any:
        try:
            return fn()
        except ValidationError as error:
            self[key] = error.messages[0]
            return default


def _birthday(born: date, years: int) -> date:
    try:
        return born.replace(year=born.year + years)
    except ValueError:  # born on 29 February
        return date(born.year + years, 3, 1)


def _date(value: Any, *, label: str, today: date) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value)
        except ValueError:
            raise ValidationError(f"{label} must be a real date") from None
    if not isinstance(value, date):
        raise ValidationError(f"{label} must be a real date")
    if value > today:
        raise ValidationError(f"{label} must be today or in the past")
    if _birthday(value, CHILD_MAX_AGE_YEARS) <= today:
        raise ValidationError(
            f"{label} shows an adult. This form is for children under 18. "
            "For a worry about an adult, contact adult social care"
        )
    return value


def _as_date(value: Any, *, label: str) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value)
        except ValueError:
            raise ValidationError(f"{label} must be a real date") from None
    if not isinstance(value, date):
        raise ValidationError(f"{label} must be a real date")
    return value


def _expected_date(value: Any, *, today: date) -> date | None:
    due = _as_date(value, label="The date the baby is due")
    if due is None:
        return None
    if due > today + PREBIRTH_MAX_AHEAD:
        raise ValidationError("The date the baby is due must be within the next 40 weeks")
    if due < today - PREBIRTH_MAX_OVERDUE:
        raise ValidationError(
            "The date the baby was due is more than 2 weeks ago. If the baby has been born, "
            "give their date of birth instead"
        )
    return due


def _identifier(value: Any, cleaner: Any) -> str:
    text = str(value or "").strip()
    return cleaner(text) if text else ""


def _described(value: Any, allowed: list[Described], label: str) -> str:
    if value in (None, ""):
        return ""
    if value not in allowed:
        raise ValidationError(f"Select how {label} is related to the child")
    return str(value)


def _child(
    raw: dict[str, Any], i: int, errors: Errors, today: date, *, public: bool
) -> dict[str, Any]:
    key = f"child_{i}_"
    out = {
        "given_name": errors.attempt(
            key + "given_name",
            lambda: clean_name(
                raw.get("given_name"), label="the child's first name", required=False
            ),
        ),
        "family_name": errors.attempt(
            key + "family_name",
            lambda: clean_name(
                raw.get("family_name"), label="the child's last name", required=False
            ),
        ),
        "date_of_birth": errors.attempt(
            key + "date_of_birth",
            lambda: _date(raw.get("date_of_birth"), label="The child's date of birth", today=today),
            None,
        ),
        "age_description": errors.attempt(
            key + "age_description",
            lambda: clean_text(
                raw.get("age_description"), label="the child's age", max_length=60, required=False
            ),
        ),
        "address_line_1": errors.attempt(
            key + "address_line_1",
            lambda: clean_text(
                raw.get("address_line_1"),
                label="the building and street",
                max_length=120,
                required=False,
            ),
        ),
        "town": errors.attempt(
            key + "town",
            lambda: clean_text(
                raw.get("town"), label="the town or city", max_length=80, required=False
            ),
        ),
        "postcode": errors.attempt(
            key + "postcode",
            lambda: clean_postcode(str(raw.get("postcode") or "")) if raw.get("postcode") else "",
        ),
        "school": errors.attempt(
            key + "school",
            lambda: clean_text(
                raw.get("school"), label="the school or nursery", max_length=120, required=False
            ),
        ),
        "expected_date_of_birth": errors.attempt(
            key + "expected_date_of_birth",
            lambda: _expected_date(raw.get("expected_date_of_birth"), today=today),
            None,
        ),
        "nhs_number": errors.attempt(
            key + "nhs_number", lambda: _identifier(raw.get("nhs_number"), clean_nhs_number)
        ),
        "upn": errors.attempt(key + "upn", lambda: _identifier(raw.get("upn"), clean_upn)),
        # The first child is who the others are described against.
        "relationship_to_child": errors.attempt(
            key + "relationship_to_child",
            lambda: _described(raw.get("relationship_to_child"), CHILD_DESCRIBED, "this child")
            if i
            else "",
        ),
    }
    unborn = out["expected_date_of_birth"] is not None or raw.get("expected_date_of_birth")
    if unborn and (out["date_of_birth"] or raw.get("date_of_birth")):
        errors.setdefault(
            key + "expected_date_of_birth",
            "Give the date the baby is due if they are not born yet, or their date of "
            "birth if they are, not both",
        )
    if not (
        unborn
        or out["given_name"]
        or out["family_name"]
        or out["age_description"]
        or key + "given_name" in errors
    ):
        errors[key + "given_name"] = _no_name_message(i, public=public)
    return out


def _no_name_message(i: int, *, public: bool) -> str:
    """Only the public form asks roughly how old a child is, so only it suggests that."""
    if public:
        return "Enter the child's name, or if you do not know it, say roughly how old they are"
    whose = "the child's" if i == 0 else f"child {i + 1}'s"
    return f"Enter {whose} first name or last name"


def _adult(raw: dict[str, Any], i: int, errors: Errors) -> dict[str, Any]:
    key = f"adult_{i}_"
    return {
        "given_name": errors.attempt(
            key + "given_name",
            lambda: clean_name(
                raw.get("given_name"), label="the adult's first name", required=False
            ),
        ),
        "family_name": errors.attempt(
            key + "family_name",
            lambda: clean_name(
                raw.get("family_name"), label="the adult's last name", required=False
            ),
        ),
        "relationship": errors.attempt(
            key + "relationship",
            lambda: clean_text(
                raw.get("relationship"),
                label="how they are related to the child",
                max_length=80,
                required=False,
            ),
        ),
        "relationship_to_child": errors.attempt(
            key + "relationship_to_child",
            lambda: _described(raw.get("relationship_to_child"), ADULT_DESCRIBED, "this adult"),
        ),
    }


MOTHER_NEEDED = "Enter the name of the baby's mother"


def _check_mother_named(out: dict[str, Any], errors: Errors) -> None:
    """A pre-birth referral is about a pregnancy, so it must say whose: the mother is named
    among the adults and described as the mother."""
    if not any(child.get("expected_date_of_birth") for child in out["children"]):
        return
    for i, adult in enumerate(out["adults"]):
        if adult.get("relationship_to_child") == Described.MOTHER or (
            not adult.get("relationship_to_child")
            and described_in_words(adult.get("relationship", "")) == Described.MOTHER
        ):
            if not (adult["given_name"] or adult["family_name"]):
                errors.setdefault(f"adult_{i}_given_name", MOTHER_NEEDED)
            return
    # Beside the first empty adult's name, where the mother can be added.
    errors.setdefault(f"adult_{len(out['adults'])}_given_name", MOTHER_NEEDED)


def _referrer(raw: dict[str, Any], errors: Errors, *, channel: str) -> dict[str, Any]:
    """The person who told us: the public may stay anonymous and so may a caller on the
    telephone (whose name the MASH worker then types); a professional online is the
    signed-in user, filled in by the service."""
    anonymous = bool(raw.get("anonymous")) and channel in (Channel.PUBLIC, Channel.PHONE)
    out: dict[str, Any] = {"anonymous": anonymous}
    out["name"] = (
        ""
        if anonymous
        else errors.attempt(
            "referrer_name",
            lambda: clean_text(
                raw.get("name"),
                label="the caller's name" if channel == Channel.PHONE else "your name",
                max_length=120,
                required=channel in (Channel.PUBLIC, Channel.PHONE),
            ),
        )
    )
    out["relationship"] = errors.attempt(
        "referrer_relationship",
        lambda: clean_text(
            raw.get("relationship"),
            label="how the caller knows the child"
            if channel == Channel.PHONE
            else "how you know the child",
            max_length=120,
            required=False,
        ),
    )
    out["wants_contact"] = bool(raw.get("wants_contact")) and not anonymous
    whose = "the caller's" if channel == Channel.PHONE else "your"
    out["email"] = errors.attempt("referrer_email", lambda: _email(raw.get("email"), whose))
    out["phone"] = errors.attempt("referrer_phone", lambda: _phone(raw.get("phone"), whose))
    if (
        out["wants_contact"]
        and not (out["email"] or out["phone"])
        and not any(k in errors for k in ("referrer_email", "referrer_phone"))
    ):
        errors["referrer_email"] = "Enter an email address or a phone number so we can reply"
    return out


def _email(value: Any, whose: str = "your") -> str:
    text = clean_text(value, label=f"{whose} email address", max_length=254, required=False)
    if text:
        try:
            validate_email(text)
        except ValidationError:
            raise ValidationError(
                "Enter an email address in the correct format, like name@example.com"
            ) from None
    return text


def _phone(value: Any, whose: str = "your") -> str:
    text = clean_text(value, label=f"{whose} phone number", max_length=30, required=False)
    digits = "".join(c for c in text if c.isdigit())
    if text and (not all(c.isdigit() or c in " +()-" for c in text) or not 10 <= len(digits) <= 13):
        raise ValidationError("Enter a phone number, like 01632 960 001 or 07700 900 982")
    return text


def _choice(
    value: Any, choices: type[models.Choices], message: str, *, required: bool = True
) -> str:
    if value in (None, "") and not required:
        return ""
    if value not in choices.values:
        raise ValidationError(message)
    return str(value)


def _factors(value: Any) -> list[str]:
    codes = list(value or [])
    unknown = [c for c in codes if c not in ASSESSMENT_FACTORS]
    if unknown or len(codes) != len(set(codes)):
        raise ValidationError("Select the concerns from the list")
    return codes


def clean_submission(
    data: dict[str, Any], *, channel: str, today: date | None = None
) -> dict[str, Any]:
    """Validate a whole submission; return it cleaned, or raise ValidationError with every
    problem found. Nothing is saved by this function."""
    today = today or timezone.localdate()
    professional = channel in (Channel.PROFESSIONAL, Channel.API, Channel.PHONE)
    errors = Errors()
    raw_children = list(data.get("children") or [])
    raw_adults = list(data.get("adults") or [])
    if not raw_children:
        errors["child_0_given_name"] = "Enter the child's name"
    if len(raw_children) > MAX_CHILDREN or len(raw_adults) > MAX_ADULTS:
        raise ValidationError(
            {
                "children": f"Tell us about up to {MAX_CHILDREN} children and "
                f"{MAX_ADULTS} adults in one referral"
            }
        )
    out: dict[str, Any] = {
        "children": [
            _child(dict(c), i, errors, today, public=channel == Channel.PUBLIC)
            for i, c in enumerate(raw_children)
        ],
        "adults": [_adult(dict(a), i, errors) for i, a in enumerate(raw_adults)],
        "in_danger_now": bool(data.get("in_danger_now")),
    }
    _check_mother_named(out, errors)
    out["concern_summary"] = errors.attempt(
        "concern_summary",
        lambda: clean_text(
            data.get("concern_summary"),
            label="what happened and why you are worried",
            max_length=MAX_STORY,
            multiline=True,
        ),
    )
    out["concern_factors"] = errors.attempt(
        "concern_factors", lambda: _factors(data.get("concern_factors")), []
    )
    out["what_tried"] = errors.attempt(
        "what_tried",
        lambda: clean_text(
            data.get("what_tried"),
            label="what has been tried so far",
            max_length=MAX_STORY,
            multiline=True,
            required=False,
        ),
    )
    out["referrer"] = _referrer(dict(data.get("referrer") or {}), errors, channel=channel)
    if professional:
        _professional_parts(data, out, errors)
        if out["referrer"]["anonymous"]:
            out["referral_source"] = ReferralSource.ANONYMOUS
    else:
        out["family_aware"] = errors.attempt(
            "family_aware",
            lambda: _choice(
                data.get("family_aware"),
                FamilyAware,
                "Select whether the family knows",
                required=False,
            ),
        )
        out["urgency"] = Urgency.IMMEDIATE if out["in_danger_now"] else Urgency.ROUTINE
        out["consent"] = ""
        out["consent_not_sought_reason"] = ""
        out["referral_source"] = public_referral_source(out["referrer"])
    if errors:
        raise ValidationError(dict(errors))
    return out


def _professional_parts(data: dict[str, Any], out: dict[str, Any], errors: Errors) -> None:
    out["referral_source"] = errors.attempt(
        "referral_source",
        lambda: _choice(
            data.get("referral_source"), ReferralSource, "Select who is making this referral"
        ),
    )
    out["urgency"] = errors.attempt(
        "urgency", lambda: _choice(data.get("urgency"), Urgency, "Select how urgent this is")
    )
    out["family_aware"] = errors.attempt(
        "family_aware",
        lambda: _choice(
            data.get("family_aware"),
            FamilyAware,
            "Select whether the family knows about this referral",
        ),
    )
    out["consent"] = errors.attempt(
        "consent",
        lambda: _choice(data.get("consent"), Consent, "Select whether the family consented"),
    )
    out["consent_not_sought_reason"] = errors.attempt(
        "consent_not_sought_reason",
        lambda: clean_text(
            data.get("consent_not_sought_reason"),
            label="why consent was not sought",
            max_length=2000,
            multiline=True,
            required=out.get("consent") == Consent.NOT_SOUGHT,
        ),
    )
    if not out["concern_factors"] and "concern_factors" not in errors:
        errors["concern_factors"] = "Select at least one concern"


# How a member of the public knows the child decides the CIN referral source.
PUBLIC_RELATIONSHIPS = {
    "family": ("I am a parent, relative or carer", ReferralSource.FAMILY),
    "acquaintance": ("I am a neighbour, friend or childminder", ReferralSource.ACQUAINTANCE),
    "self": ("I am the child or young person", ReferralSource.SELF),
    "other": ("Something else", ReferralSource.OTHER_INDIVIDUAL),
}


def public_referral_source(referrer: dict[str, Any]) -> str:
    if referrer.get("anonymous"):
        return ReferralSource.ANONYMOUS
    for label, source in PUBLIC_RELATIONSHIPS.values():
        if referrer.get("relationship") == label:
            return source
    return ReferralSource.OTHER_INDIVIDUAL
