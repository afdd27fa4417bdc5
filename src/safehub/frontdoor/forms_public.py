"""The question pages of the public "report a worry about a child" form.

Each page's form parses what was typed, then runs `frontdoor.validation.clean_submission`
over the answers so far with this page's answers in them, and keeps the problems that belong
to its own questions. So a page refuses input in exactly the words the final check, the
service and the API use, and nothing typed reaches the session without passing those rules.

The answers are kept in the submission shape every channel sends (see
`frontdoor/tests/factories.py:public_submission`), as typed; the service cleans them again
when the report is sent.
"""

from copy import deepcopy
from datetime import date
from typing import Any, ClassVar

from django import forms
from django.core.exceptions import ValidationError

from safehub.frontdoor.codes import Channel, Described
from safehub.frontdoor.validation import PUBLIC_RELATIONSHIPS, clean_submission
from safehub.ui.fields import GovukDateField
from safehub.ui.forms_util import GovukForm

# The honeypot: hidden from everyone (CSS display:none, so screen readers skip it too);
# only software that fills in every box it finds puts anything in it.
TRAP_FIELD = "website"

YES_NO = [("yes", "Yes"), ("no", "No")]
RELATIONSHIP_CHOICES = [(key, label) for key, (label, _source) in PUBLIC_RELATIONSHIPS.items()]


def empty_answers() -> dict[str, Any]:
    return {
        "children": [{}],
        "adults": [],
        "concern_summary": "",
        "in_danger_now": False,
        "family_aware": "",
        "referrer": {},
    }


def submission_errors(answers: dict[str, Any]) -> dict[str, str]:
    """Every problem the service would find in these answers, keyed as validation keys them
    (`child_0_given_name`, `concern_summary`, `referrer_email`...)."""
    try:
        clean_submission(answers, channel=Channel.PUBLIC)
    except ValidationError as error:
        return {key: messages[0] for key, messages in error.message_dict.items()}
    return {}


def is_unborn(answers: dict[str, Any]) -> bool:
    children = answers.get("children") or [{}]
    return bool(children[0].get("expected_date_of_birth"))


def forget_unasked(answers: dict[str, Any]) -> dict[str, Any]:
    """Drop answers to questions this person is no longer asked, so nothing is sent that the
    check answers page does not show: someone anonymous leaves no name and no way to reach
    them, and someone who does not want to be contacted leaves no email or phone."""
    if not is_unborn(answers):  # the mother is asked about only for an unborn baby
        answers["adults"] = []
    referrer = answers.setdefault("referrer", {})
    if referrer.get("anonymous"):
        referrer.update(name="", wants_contact=False)
    if not referrer.get("wants_contact"):
        referrer.update(email="", phone="")
    return answers


def cleaned_answers(answers: dict[str, Any]) -> dict[str, Any]:
    """The answers as they will be kept (names and postcode tidied, the date a date), for
    the check answers page. Raises ValidationError if they would be refused."""
    return clean_submission(answers, channel=Channel.PUBLIC)


class FreeText(forms.CharField):
    """Optional text passed on as typed (less the spaces at either end). The validation rules
    judge it (length, web code, formulas, unreadable or control characters) and say what is
    wrong in plain English, so Django's own null-character message is not used."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.validators = []


def _choice(label: str, choices: list[tuple[str, str]], message: str) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=choices,
        widget=forms.RadioSelect,
        error_messages={"required": message, "invalid_choice": message},
    )


class ReportPage(GovukForm):
    """One question page. `apply` writes the page's answers into the submission;
    `errors_to_fields` says which validation errors are about which of its fields."""

    errors_to_fields: ClassVar[dict[str, str]] = {}

    def __init__(self, *args: Any, answers: dict[str, Any] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.answers = answers if answers is not None else empty_answers()
        self.updated: dict[str, Any] | None = None

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        candidate = forget_unasked(self.apply(deepcopy(self.answers), cleaned))
        for key, message in submission_errors(candidate).items():
            field = self.errors_to_fields.get(key)
            if field and field not in self.errors:
                self.add_error(field, message)
        self.updated = candidate
        return cleaned

    def apply(self, answers: dict[str, Any], cleaned: dict[str, Any]) -> dict[str, Any]:
        raise NotImplementedError

    @classmethod
    def data_from(cls, answers: dict[str, Any]) -> dict[str, str]:
        """Stored answers as the browser would send them, to show them again."""
        raise NotImplementedError


def _child(answers: dict[str, Any]) -> dict[str, Any]:
    children = answers.setdefault("children", [])
    if not children:
        children.append({})
    return children[0]


class ChildForm(ReportPage):
    given_name = FreeText(label="First name")
    family_name = FreeText(label="Last name")
    date_of_birth = GovukDateField(
        label="Date of birth",
        subject="The child's date of birth",
        required=False,
        help_text="For example, 27 3 2015",
    )
    age_description = FreeText(
        label="If you do not know their date of birth, roughly how old are they?",
        help_text="For example, about 10, or a teenager",
    )
    expected_date_of_birth = GovukDateField(
        label="If the baby has not been born yet, when are they due?",
        subject="The date the baby is due",
        required=False,
        help_text="Leave the date of birth blank. For example, 14 6 2027",
    )

    errors_to_fields: ClassVar[dict[str, str]] = {
        "child_0_given_name": "given_name",
        "child_0_family_name": "family_name",
        "child_0_date_of_birth": "date_of_birth",
        "child_0_age_description": "age_description",
        "child_0_expected_date_of_birth": "expected_date_of_birth",
    }
    _DATES = ("date_of_birth", "expected_date_of_birth")

    def apply(self, answers: dict[str, Any], cleaned: dict[str, Any]) -> dict[str, Any]:
        dates = {name: cleaned.get(name) for name in self._DATES}
        _child(answers).update(
            given_name=cleaned.get("given_name", ""),
            family_name=cleaned.get("family_name", ""),
            age_description=cleaned.get("age_description", ""),
            **{k: v.isoformat() if isinstance(v, date) else "" for k, v in dates.items()},
        )
        return answers

    @classmethod
    def data_from(cls, answers: dict[str, Any]) -> dict[str, str]:
        child = _child(deepcopy(answers))
        data = {
            name: child.get(name) or "" for name in ("given_name", "family_name", "age_description")
        }
        for name in cls._DATES:
            day = date.fromisoformat(child[name]) if child.get(name) else None
            for part in ("day", "month", "year"):
                data[f"{name}-{part}"] = str(getattr(day, part)) if day else ""
        return data


class MotherForm(ReportPage):
    """Asked only about an unborn baby: a pre-birth referral is about the mother too."""

    given_name = FreeText(label="First name")
    family_name = FreeText(label="Last name")

    errors_to_fields: ClassVar[dict[str, str]] = {
        "adult_0_given_name": "given_name",
        "adult_0_family_name": "family_name",
    }

    def apply(self, answers: dict[str, Any], cleaned: dict[str, Any]) -> dict[str, Any]:
        answers["adults"] = [
            {
                "given_name": cleaned.get("given_name", ""),
                "family_name": cleaned.get("family_name", ""),
                "relationship_to_child": Described.MOTHER,
            }
        ]
        return answers

    @classmethod
    def data_from(cls, answers: dict[str, Any]) -> dict[str, str]:
        mother = (answers.get("adults") or [{}])[0]
        return {name: mother.get(name) or "" for name in ("given_name", "family_name")}


class AddressForm(ReportPage):
    address_line_1 = FreeText(label="Building and street")
    town = FreeText(label="Town or city")
    postcode = FreeText(label="Postcode")

    errors_to_fields: ClassVar[dict[str, str]] = {
        "child_0_address_line_1": "address_line_1",
        "child_0_town": "town",
        "child_0_postcode": "postcode",
    }

    def apply(self, answers: dict[str, Any], cleaned: dict[str, Any]) -> dict[str, Any]:
        _child(answers).update(
            {name: cleaned.get(name, "") for name in ("address_line_1", "town", "postcode")}
        )
        return answers

    @classmethod
    def data_from(cls, answers: dict[str, Any]) -> dict[str, str]:
        child = _child(deepcopy(answers))
        return {name: child.get(name) or "" for name in ("address_line_1", "town", "postcode")}


class WhatHappenedForm(ReportPage):
    concern_summary = FreeText(
        label="What has happened to make you worried about the child?",
        widget=forms.Textarea,
        help_text="Tell us what you have seen or heard, when it happened, who was there and "
        "anything the child has said",
    )

    errors_to_fields: ClassVar[dict[str, str]] = {"concern_summary": "concern_summary"}

    def apply(self, answers: dict[str, Any], cleaned: dict[str, Any]) -> dict[str, Any]:
        answers["concern_summary"] = cleaned.get("concern_summary", "")
        return answers

    @classmethod
    def data_from(cls, answers: dict[str, Any]) -> dict[str, str]:
        return {"concern_summary": answers.get("concern_summary") or ""}


class DangerForm(ReportPage):
    in_danger_now = _choice(
        "Is the child in danger right now?",
        YES_NO,
        "Select yes if the child is in danger right now",
    )

    def apply(self, answers: dict[str, Any], cleaned: dict[str, Any]) -> dict[str, Any]:
        answers["in_danger_now"] = cleaned.get("in_danger_now") == "yes"
        return answers

    @classmethod
    def data_from(cls, answers: dict[str, Any]) -> dict[str, str]:
        return {"in_danger_now": "yes" if answers.get("in_danger_now") else "no"}


class AboutYouForm(ReportPage):
    relationship = _choice(
        "How do you know the child?", RELATIONSHIP_CHOICES, "Select how you know the child"
    )
    give_name = _choice(
        "Do you want to tell us your name?",
        [("yes", "Yes"), ("no", "No, I want to stay anonymous")],
        "Select yes if you want to tell us your name",
    )

    # "Enter your name" belongs to the next page, which asks for it.
    errors_to_fields: ClassVar[dict[str, str]] = {"referrer_relationship": "relationship"}

    def apply(self, answers: dict[str, Any], cleaned: dict[str, Any]) -> dict[str, Any]:
        referrer = answers.setdefault("referrer", {})
        key = cleaned.get("relationship")
        referrer["relationship"] = PUBLIC_RELATIONSHIPS[key][0] if key else ""
        referrer["anonymous"] = cleaned.get("give_name") == "no"
        referrer.setdefault("name", "")
        return answers

    @classmethod
    def data_from(cls, answers: dict[str, Any]) -> dict[str, str]:
        referrer = answers.get("referrer") or {}
        key = next(
            (
                k
                for k, (label, _s) in PUBLIC_RELATIONSHIPS.items()
                if label == referrer.get("relationship")
            ),
            "",
        )
        return {"relationship": key, "give_name": "no" if referrer.get("anonymous") else "yes"}


class YourNameForm(ReportPage):
    name = FreeText(label="What is your name?")

    errors_to_fields: ClassVar[dict[str, str]] = {"referrer_name": "name"}

    def apply(self, answers: dict[str, Any], cleaned: dict[str, Any]) -> dict[str, Any]:
        answers.setdefault("referrer", {})["name"] = cleaned.get("name", "")
        return answers

    @classmethod
    def data_from(cls, answers: dict[str, Any]) -> dict[str, str]:
        return {"name": (answers.get("referrer") or {}).get("name") or ""}


class ContactForm(ReportPage):
    wants_contact = _choice(
        "Do you want us to contact you about this report?",
        YES_NO,
        "Select yes if you want us to contact you",
    )

    def apply(self, answers: dict[str, Any], cleaned: dict[str, Any]) -> dict[str, Any]:
        answers.setdefault("referrer", {})["wants_contact"] = cleaned.get("wants_contact") == "yes"
        return answers

    @classmethod
    def data_from(cls, answers: dict[str, Any]) -> dict[str, str]:
        wanted = (answers.get("referrer") or {}).get("wants_contact")
        return {"wants_contact": "yes" if wanted else "no"}


class ContactDetailsForm(ReportPage):
    email = FreeText(
        label="Email address", help_text="We will send your reference number to this address"
    )
    phone = FreeText(label="Phone number", help_text="For example, 07700 900 982")

    errors_to_fields: ClassVar[dict[str, str]] = {
        "referrer_email": "email",
        "referrer_phone": "phone",
    }

    def apply(self, answers: dict[str, Any], cleaned: dict[str, Any]) -> dict[str, Any]:
        answers.setdefault("referrer", {}).update(
            email=cleaned.get("email", ""), phone=cleaned.get("phone", "")
        )
        return answers

    @classmethod
    def data_from(cls, answers: dict[str, Any]) -> dict[str, str]:
        referrer = answers.get("referrer") or {}
        return {"email": referrer.get("email") or "", "phone": referrer.get("phone") or ""}
