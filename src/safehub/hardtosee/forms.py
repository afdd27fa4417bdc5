"""The registers' filters and the EHE officer form: parse and check, never save."""

from __future__ import annotations

import re
from typing import Any, ClassVar

from django import forms

from safehub.hardtosee.selectors import AGE_BANDS, RegisterFilters
from safehub.ui.forms_util import GovukForm

_DISTRICT = re.compile(r"^[A-Z]{1,2}[0-9][0-9A-Z]?$")


class RegisterFilterForm(GovukForm):
    """Read from the address bar (`?age_band=…`), so a filtered register can be shared and
    exported as shown."""

    error_names: ClassVar[dict[str, str]] = {
        "district": "the postcode district",
        "days_without_contact": "the number of days",
    }
    age_band = forms.ChoiceField(
        label="Age",
        required=False,
        choices=[("", "Any age"), *[(band, f"{band} years") for band in AGE_BANDS]],
    )
    district = forms.CharField(
        label="Postcode district",
        help_text="The first part of the postcode, for example DM1",
        max_length=4,
        required=False,
    )
    team = forms.TypedChoiceField(label="Team", required=False, coerce=int, empty_value=None)
    days_without_contact = forms.IntegerField(
        label="No professional contact for at least (days)",
        required=False,
        min_value=1,
        max_value=3650,
        error_messages={
            "invalid": "The number of days must be a whole number, like 90",
            "min_value": "The number of days must be 1 or more",
            "max_value": "The number of days must be 3,650 or fewer",
        },
    )

    def __init__(self, *args: Any, teams: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", "Any team"), *[(str(t.pk), t.name) for t in teams]]
        self.fields["team"].choices = choices  # type: ignore[attr-defined]

    def clean_district(self) -> str:
        district = "".join(str(self.cleaned_data.get("district") or "").split()).upper()
        if district and not _DISTRICT.match(district):
            raise forms.ValidationError(
                "Enter the postcode district as the first part of a postcode, like DM1"
            )
        return district

    def filters(self) -> RegisterFilters:
        """The filters to apply: those that are valid (none if the form has errors)."""
        if not self.is_valid():
            return RegisterFilters()
        data = self.cleaned_data
        return RegisterFilters(
            age_band=data.get("age_band") or "",
            district=data.get("district") or "",
            team_id=data.get("team"),
            days_without_contact=data.get("days_without_contact"),
        )


class EheOfficerForm(GovukForm):
    error_names: ClassVar[dict[str, str]] = {"officer": "the officer"}
    officer = forms.ChoiceField(
        label="Who is the council's elective home education officer for this child?",
        error_messages={"required": "Select the officer", "invalid_choice": "Select the officer from the list"},
    )

    def __init__(self, *args: Any, officers: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["officer"].choices = [  # type: ignore[attr-defined]
            ("", "Choose an officer"),
            *[(str(u.pk), u.get_full_name()) for u in officers],
        ]
