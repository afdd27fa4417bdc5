"""The registers' filters and the EHE officer form: parse and check, never save."""

from __future__ import annotations

import re
from typing import Any, ClassVar

from django import forms

from safehub.chronology.models import Significance
from safehub.hardtosee.models import ContextKind, RiskLevel
from safehub.hardtosee.selectors import AGE_BANDS, RegisterFilters
from safehub.ui.fields import GovukDateField
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

    def __init__(self, *args: Any, teams: list[Any] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", "Any team"), *[(str(t.pk), t.name) for t in teams or []]]
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
        error_messages={
            "required": "Select the officer",
            "invalid_choice": "Select the officer from the list",
        },
    )

    def __init__(self, *args: Any, officers: list[Any] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["officer"].choices = [  # type: ignore[attr-defined]
            ("", "Choose an officer"),
            *[(str(u.pk), u.get_full_name()) for u in officers or []],
        ]


# --- Contexts ---------------------------------------------------------------------------


class ContextForm(GovukForm):
    error_names: ClassVar[dict[str, str]] = {
        "kind": "the kind of context",
        "name": "the name of the context",
        "location": "where it is",
    }
    kind = forms.ChoiceField(
        label="What kind of context is it?",
        choices=ContextKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select what kind of context it is"},
    )
    name = forms.CharField(label="Name", max_length=120)
    location = forms.CharField(
        label="Where it is (optional)",
        help_text="An area, a postcode district, or the app or site",
        max_length=120,
        required=False,
    )
    description = forms.CharField(
        label="Description (optional)", widget=forms.Textarea, max_length=5_000, required=False
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, required=False)


class ContextNoteForm(GovukForm):
    error_names: ClassVar[dict[str, str]] = {"summary": "what happened"}
    occurred_on = GovukDateField(label="When did it happen?", subject="The date it happened")
    summary = forms.CharField(label="What happened", widget=forms.Textarea, max_length=5_000)
    significance = forms.TypedChoiceField(
        label="How significant is it?",
        choices=Significance.choices,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select how significant it is",
            "invalid_choice": "Select how significant it is",
        },
    )


class LinkPersonForm(GovukForm):
    error_names: ClassVar[dict[str, str]] = {
        "person": "the SafeHub ID",
        "reason": "why they are linked",
    }
    person = forms.IntegerField(
        label="SafeHub ID of the child or adult",
        help_text="The number on their record, for example 1042",
        min_value=1,
        error_messages={"invalid": "Enter the SafeHub ID as a number, like 1042"},
    )
    reason = forms.CharField(label="Why are they linked to it?", max_length=200)


# --- MACE panels -------------------------------------------------------------------------

ATTENDEE_ROWS = 6


class MacePanelForm(GovukForm):
    error_names: ClassVar[dict[str, str]] = {"chair": "the chair", "notes": "the notes"}
    held_on = GovukDateField(label="Date of the panel", subject="The date of the panel")
    chair = forms.ChoiceField(
        label="Chair",
        error_messages={
            "required": "Select the chair",
            "invalid_choice": "Select the chair from the list",
        },
    )
    notes = forms.CharField(
        label="Notes (optional)", widget=forms.Textarea, max_length=20_000, required=False
    )

    def __init__(
        self,
        *args: Any,
        chairs: list[Any] | None = None,
        agencies: list[Any] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["chair"].choices = [  # type: ignore[attr-defined]
            ("", "Choose the chair"),
            *[(str(u.pk), u.get_full_name()) for u in chairs or []],
        ]
        agency_choices = [("", "Choose an agency"), *[(str(a.pk), a.name) for a in agencies or []]]
        for n in range(1, ATTENDEE_ROWS + 1):
            self.fields[f"agency_{n}"] = forms.ChoiceField(
                label=f"Attendee {n}: agency", choices=agency_choices, required=False
            )
            self.fields[f"name_{n}"] = forms.CharField(
                label=f"Attendee {n}: name", max_length=120, required=False
            )
            self.fields[f"agency_{n}"].error_messages["invalid_choice"] = (
                f"Choose an agency in the list for attendee {n}"
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        self._check_attendees()
        return cleaned

    def attendees(self) -> list[tuple[str, str]]:
        """Each attendee as (agency id, name); call after is_valid()."""
        return [
            (self.cleaned_data[f"agency_{n}"], self.cleaned_data[f"name_{n}"])
            for n in range(1, ATTENDEE_ROWS + 1)
            if self.cleaned_data.get(f"agency_{n}") and self.cleaned_data.get(f"name_{n}")
        ]

    def _check_attendees(self) -> list[tuple[str, str]]:
        rows = []
        for n in range(1, ATTENDEE_ROWS + 1):
            agency, name = self.cleaned_data.get(f"agency_{n}"), self.cleaned_data.get(f"name_{n}")
            if agency and not name:
                self.add_error(f"name_{n}", f"Enter the name of attendee {n}")
            elif name and not agency:
                self.add_error(f"agency_{n}", f"Select the agency of attendee {n}")
            elif agency and name:
                rows.append((agency, name))
        return rows

    def attendee_rows(self) -> list[tuple[Any, Any]]:
        return [(self[f"agency_{n}"], self[f"name_{n}"]) for n in range(1, ATTENDEE_ROWS + 1)]


class PanelNotesForm(GovukForm):
    error_names: ClassVar[dict[str, str]] = {"notes": "the notes"}
    notes = forms.CharField(label="Notes", widget=forms.Textarea, max_length=20_000, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class DiscussChildForm(GovukForm):
    error_names: ClassVar[dict[str, str]] = {"person": "the SafeHub ID", "risk": "the risk"}
    person = forms.IntegerField(
        label="SafeHub ID of the child",
        min_value=1,
        error_messages={"invalid": "Enter the SafeHub ID as a number, like 1042"},
    )
    risk = forms.ChoiceField(
        label="Risk of exploitation the panel agreed",
        choices=RiskLevel.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the risk the panel agreed"},
    )


class DiscussContextForm(GovukForm):
    error_names: ClassVar[dict[str, str]] = {"context": "the context", "risk": "the risk"}
    context = forms.ChoiceField(
        label="Context",
        error_messages={
            "required": "Select the context",
            "invalid_choice": "Select the context from the list",
        },
    )
    risk = forms.ChoiceField(
        label="Risk the panel agreed",
        choices=RiskLevel.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the risk the panel agreed"},
    )

    def __init__(self, *args: Any, contexts: list[Any] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["context"].choices = [  # type: ignore[attr-defined]
            ("", "Choose a context"),
            *[(str(c.pk), c.name) for c in contexts or []],
        ]


class MaceActionForm(GovukForm):
    error_names: ClassVar[dict[str, str]] = {
        "description": "the action",
        "owner": "the owner",
        "about": "what the action is about",
    }
    description = forms.CharField(label="Action", max_length=500)
    about = forms.ChoiceField(
        label="About",
        required=False,
        help_text="A child or context the panel discussed, or the panel's work as a whole.",
        error_messages={"invalid_choice": "Select what the action is about from the list"},
    )
    owner = forms.ChoiceField(
        label="Owner",
        error_messages={
            "required": "Select who owns the action",
            "invalid_choice": "Select who owns the action from the list",
        },
    )
    due_on = GovukDateField(label="Due date", subject="The due date")

    def __init__(
        self,
        *args: Any,
        owners: list[Any] | None = None,
        about: list[tuple[str, str]] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = [  # type: ignore[attr-defined]
            ("", "Choose the owner"),
            *[(str(u.pk), f"{u.get_full_name()} ({u.agency.name})") for u in owners or []],
        ]
        self.fields["about"].choices = [  # type: ignore[attr-defined]
            ("", "The panel's work as a whole"),
            *(about or []),
        ]


class ActionDoneForm(GovukForm):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
