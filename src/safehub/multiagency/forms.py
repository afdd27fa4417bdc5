"""Input shapes for the multi-agency chronology pages. The filter and the export period are
read from the address (GET), so a filtered page can be bookmarked and paged."""

from collections.abc import Sequence
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from safehub.chronology.models import Category, Significance
from safehub.multiagency.models import ANALYSIS_MAX
from safehub.multiagency.selectors import ChronologyFilters, Option
from safehub.ui.fields import GovukDateField
from safehub.ui.forms_util import GovukForm


def _multiple(label: str) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=label, required=False, widget=forms.CheckboxSelectMultiple
    )


class ChronologyFilterForm(GovukForm):
    agency = _multiple("Source agency")
    category = _multiple("Category")
    significance = _multiple("Significance")
    event_type = _multiple("Type of event")
    date_from = GovukDateField(
        label="From (optional)",
        subject="The from date",
        required=False,
        help_text="For example, 27 3 2025",
    )
    date_to = GovukDateField(
        label="To (optional)",
        subject="The to date",
        required=False,
        help_text="For example, 27 3 2026",
    )
    key_events = forms.BooleanField(label="Key events only", required=False)

    error_names = {
        "agency": "a source agency",
        "category": "a category",
        "significance": "a significance",
        "event_type": "a type of event",
    }

    def __init__(
        self,
        *args: Any,
        agencies: Sequence[Option] = (),
        event_types: Sequence[Option] = (),
        with_notes: bool = True,
        **kwargs: Any,
    ) -> None:
        """`agencies` and `event_types`: the choices this child's chronology offers."""
        super().__init__(*args, **kwargs)
        choices = {
            "agency": [(o.value, o.label) for o in agencies],
            "category": list(Category.choices),
            "significance": [(str(v), label) for v, label in Significance.choices],
            "event_type": [(o.value, o.label) for o in event_types],
        }
        for name, options in choices.items():
            field = self.fields[name]
            assert isinstance(field, forms.MultipleChoiceField)
            field.choices = options
        if not with_notes:
            del self.fields["key_events"]

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "The to date must be the same as or after the from date")
        return data

    def filters(self) -> ChronologyFilters:
        """What was chosen; a form with errors narrows nothing."""
        if not self.is_valid():
            return ChronologyFilters()
        data = self.cleaned_data
        return ChronologyFilters(
            agency_ids=tuple(int(v) for v in data["agency"]),
            categories=tuple(data["category"]),
            significances=tuple(int(v) for v in data["significance"]),
            event_types=tuple(data["event_type"]),
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            key_events_only=bool(data.get("key_events")),
        )


class CourtExportForm(GovukForm):
    date_from = GovukDateField(
        label="From",
        subject="The start of the period",
        required=False,
        help_text="Leave blank for two years before today",
    )
    date_to = GovukDateField(
        label="To",
        subject="The end of the period",
        required=False,
        help_text="Leave blank for today",
    )
    format = forms.ChoiceField(
        label="File type",
        choices=[("pdf", "PDF"), ("csv", "CSV (spreadsheet)")],
        initial="pdf",
        widget=forms.RadioSelect,
        error_messages={"required": "Select a file type", "invalid_choice": "Select a file type"},
    )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            raise ValidationError(
                {"date_to": "The end of the period must be the same as or after its start"}
            )
        return data


class EntryNoteForm(GovukForm):
    key_event = forms.BooleanField(label="This is a key event", required=False)
    analysis = forms.CharField(
        label="Your analysis (optional)",
        required=False,
        max_length=ANALYSIS_MAX,
        widget=forms.Textarea,
        help_text="What this tells us about the child's lived experience, and why it matters",
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    error_names = {"analysis": "your analysis"}
