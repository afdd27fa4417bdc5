"""Input shapes for the people pages. Forms parse; the services decide what is valid."""

from typing import Any, ClassVar

from django import forms
from django.core.exceptions import ValidationError

from safehub.core.identifiers import clean_nhs_number, clean_postcode, clean_upn
from safehub.people.codes import (
    Disability,
    Ethnicity,
    GenderCurrent,
    NameKind,
    PersonKind,
    RelationshipType,
    Sex,
    UpnUnknown,
)
from safehub.people.selectors import school_choices
from safehub.ui.fields import GovukDateField
from safehub.ui.forms_util import GovukForm

MAX_AGE = 120


def _optional(cleaner):
    def clean(value: str) -> str:
        return cleaner(value) if value else ""

    return clean


class PersonSearchForm(GovukForm):
    name = forms.CharField(
        label="Name",
        max_length=200,
        required=False,
        help_text="Full or part name; spelling can be approximate",
    )
    date_of_birth = GovukDateField(
        label="Date of birth", required=False, help_text="For example, 27 3 2015"
    )
    age = forms.IntegerField(
        label="Approximate age",
        required=False,
        min_value=0,
        max_value=MAX_AGE,
        help_text="In years, if you do not know the date of birth. We look a year either side",
        error_messages={
            "invalid": "Enter the approximate age as a whole number of years, for example 7",
            "min_value": "Approximate age must be 0 or more",
            "max_value": f"Approximate age must be {MAX_AGE} or less",
        },
    )
    nhs_number = forms.CharField(label="NHS number", max_length=20, required=False)
    upn = forms.CharField(label="Unique pupil number (UPN)", max_length=20, required=False)
    postcode = forms.CharField(label="Postcode", max_length=10, required=False)

    def clean_nhs_number(self) -> str:
        return _optional(clean_nhs_number)(self.cleaned_data["nhs_number"])

    def clean_upn(self) -> str:
        return _optional(clean_upn)(self.cleaned_data["upn"])

    def clean_postcode(self) -> str:
        return _optional(clean_postcode)(self.cleaned_data["postcode"])

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if not self.errors and not any(data.get(f) for f in self.fields if f != "age"):
            raise ValidationError("Enter a name, date of birth, NHS number, UPN or postcode")
        return data


class PersonForm(GovukForm):
    error_names: ClassVar[dict[str, str]] = {
        "kind": "whether this is a child, an unborn child or an adult",
        "upn_unknown": "why the child has no UPN",
    }
    kind = forms.ChoiceField(
        label="Who are you recording?",
        choices=PersonKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether this is a child, an unborn child or an adult"},
    )
    given_name = forms.CharField(label="First name", max_length=200, required=False)
    middle_names = forms.CharField(label="Middle names", max_length=200, required=False)
    family_name = forms.CharField(label="Last name", max_length=200, required=False)
    date_of_birth = GovukDateField(
        label="Date of birth", required=False, help_text="For example, 27 3 2015"
    )
    date_of_birth_estimated = forms.BooleanField(
        label="The date of birth is estimated", required=False
    )
    expected_date_of_birth = GovukDateField(
        label="Expected date of birth", required=False, help_text="For an unborn child only"
    )
    date_of_death = GovukDateField(label="Date of death", required=False)
    sex = forms.ChoiceField(
        label="Sex",
        choices=Sex.choices,
        widget=forms.RadioSelect,
        initial=Sex.UNKNOWN,
        required=False,
    )
    gender_current = forms.ChoiceField(
        label="Gender",
        choices=GenderCurrent.choices,
        initial=GenderCurrent.NOT_RECORDED,
        required=False,
    )
    ethnicity = forms.ChoiceField(
        label="Ethnicity", choices=Ethnicity.choices, initial=Ethnicity.NOBT, required=False
    )
    first_language = forms.CharField(label="First language", max_length=60, required=False)
    interpreter_needed = forms.BooleanField(label="Needs an interpreter", required=False)
    disabilities = forms.MultipleChoiceField(
        label="Disabilities",
        choices=Disability.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Select disabilities from the list"},
    )
    nhs_number = forms.CharField(label="NHS number", max_length=20, required=False)
    upn = forms.CharField(label="Unique pupil number (UPN)", max_length=20, required=False)
    upn_unknown = forms.ChoiceField(
        label="If the child has no UPN, why not?",
        choices=[("", "Select a reason")]
        + [(c.value, f"{c.label} ({c.value})") for c in UpnUnknown],
        required=False,
        help_text="For a child only. The children in need census asks for this",
    )
    former_upn = forms.CharField(
        label="Former UPN (optional)",
        max_length=20,
        required=False,
        help_text="Kept for you when a UPN is changed",
    )
    school_agency = forms.ChoiceField(
        label="School (if it uses SafeHub)",
        choices=[],
        required=False,
        help_text="Operation Encompass notices go to this school's safeguarding leads",
    )
    school = forms.CharField(
        label="Other school or nursery",
        max_length=200,
        required=False,
        help_text="Where they go now, if it is not in the list above",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["school_agency"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "Not a school on SafeHub"), *school_choices()]


class PersonEditForm(PersonForm):
    version = forms.IntegerField(widget=forms.HiddenInput)


class AddressForm(GovukForm):
    line_1 = forms.CharField(label="Address line 1", max_length=200, required=False)
    line_2 = forms.CharField(label="Address line 2 (optional)", max_length=200, required=False)
    town = forms.CharField(label="Town or city", max_length=200, required=False)
    postcode = forms.CharField(label="Postcode", max_length=20, required=False)


class MoveForm(AddressForm):
    start_date = GovukDateField(label="Date they moved in", required=True)


class NameForm(GovukForm):
    kind = forms.ChoiceField(
        label="Type of name",
        widget=forms.RadioSelect,
        choices=[(k, label) for k, label in NameKind.choices if k != NameKind.CURRENT],
        error_messages={"required": "Select the type of name"},
    )
    given_name = forms.CharField(label="First name", max_length=200, required=False)
    middle_names = forms.CharField(label="Middle names", max_length=200, required=False)
    family_name = forms.CharField(label="Last name", max_length=200, required=False)


class RelationshipForm(GovukForm):
    error_names: ClassVar[dict[str, str]] = {"type": "how they are related"}
    other = forms.CharField(
        label="SafeHub ID of the other person",
        max_length=20,
        help_text="Shown on their record, for example 1042",
        error_messages={"required": "Enter the SafeHub ID of the other person"},
    )
    type = forms.ChoiceField(
        label="This person is the other person's…",
        choices=RelationshipType.choices,
        error_messages={"required": "Select how they are related"},
    )
    has_parental_responsibility = forms.BooleanField(
        label="Has parental responsibility", required=False
    )
    start_date = GovukDateField(
        label="Since (optional)", subject="The date they became related", required=False
    )

    def clean_other(self) -> int:
        value = self.cleaned_data["other"].strip().upper().removeprefix("SH").strip("- ")
        if not value.isdigit():
            raise ValidationError("Enter a SafeHub ID, which is a number, for example 1042")
        return int(value)


class EndRelationshipForm(GovukForm):
    end_date = GovukDateField(label="Date the relationship ended", required=True)
