"""The manual entry in a person's information-sharing log: parse and check, never save."""

from datetime import datetime, time
from typing import Any, ClassVar

from django import forms
from django.db.models import QuerySet

from safehub.core.workdays import LONDON
from safehub.organisations.models import Agency
from safehub.sharing.codes import Article6, Article9, Direction, Outcome, Schedule8
from safehub.sharing.models import PURPOSE_MAX, REASON_MAX, WHAT_MAX
from safehub.ui.fields import GovukDateField
from safehub.ui.forms_util import GovukForm


def _blank_first(choices: Any, label: str) -> list[tuple[str, str]]:
    return [("", label), *choices]


class SharingForm(GovukForm):
    error_names: ClassVar[dict[str, str]] = {
        "purpose": "the purpose",
        "what": "what was shared",
        "reason_not_shared": "the reason",
    }
    outcome = forms.ChoiceField(
        label="Was the information shared?",
        choices=Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select whether the information was shared",
            "invalid_choice": "Select whether the information was shared",
        },
    )
    direction = forms.ChoiceField(
        label="Which way did it go?",
        choices=Direction.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select which way the information went",
            "invalid_choice": "Select which way the information went",
        },
    )
    agency: "forms.ModelChoiceField[Agency]" = forms.ModelChoiceField(
        label="Partner agency",
        queryset=None,
        empty_label="Select an agency",
        error_messages={
            "required": "Select the partner agency",
            "invalid_choice": "Select the partner agency",
        },
    )
    decided_on = GovukDateField(label="Date shared or decided")
    purpose = forms.CharField(
        label="Purpose",
        help_text="Why the information was asked for or offered.",
        max_length=PURPOSE_MAX,
        widget=forms.Textarea,
        error_messages={"required": "Enter why the information was asked for or offered"},
    )
    what = forms.CharField(
        label="What was shared (optional)",
        help_text="In a line: what kind of information, not the information itself.",
        max_length=WHAT_MAX,
        required=False,
    )
    article6 = forms.ChoiceField(
        label="UK GDPR Article 6 lawful basis (needed if shared)",
        choices=_blank_first(Article6.choices, "Select a basis"),
        required=False,
        error_messages={"invalid_choice": "Select the Article 6 lawful basis from the list"},
    )
    article9 = forms.ChoiceField(
        label="Article 9 condition, for special category data (optional)",
        choices=_blank_first(Article9.choices, "None"),
        required=False,
        error_messages={"invalid_choice": "Select the Article 9 condition from the list"},
    )
    schedule8 = forms.ChoiceField(
        label="DPA 2018 Schedule 8 condition, for law enforcement processing (optional)",
        choices=_blank_first(Schedule8.choices, "None"),
        required=False,
        error_messages={"invalid_choice": "Select the Schedule 8 condition from the list"},
    )
    reason_not_shared = forms.CharField(
        label="Why it was not shared (needed if not shared)",
        max_length=REASON_MAX,
        widget=forms.Textarea,
        required=False,
    )

    def __init__(self, *args: Any, agencies: QuerySet[Agency], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        agency = self.fields["agency"]
        assert isinstance(agency, forms.ModelChoiceField)
        agency.queryset = agencies

    def service_data(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        day = data.pop("decided_on")
        data["decided_at"] = datetime.combine(day, time(12, 0), tzinfo=LONDON)
        return data
