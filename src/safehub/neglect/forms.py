"""Forms for the neglect pages: parse and check what was typed or sent, never save. The
rules (grades 1 to 5, what a complete profile needs, who is trained) are the services'."""

from typing import Any, ClassVar

from django import forms

from safehub.neglect.services.profiles import MAX_EVIDENCE, MAX_VIEWS
from safehub.ui.fields import GovukDateField
from safehub.ui.forms_util import GovukForm

GRADE_CHOICES = [(str(g), f"Grade {g}") for g in range(1, 6)]
PLAN_ROWS = 5  # action rows offered on the plan page; blank ones are left out


class VersionField(forms.IntegerField):
    """The version of the profile the page was opened on (optimistic locking)."""

    widget = forms.HiddenInput


class TemplateUploadForm(GovukForm):
    error_names: ClassVar[dict[str, str]] = {"file": "the template file"}
    file = forms.FileField(
        label="Upload a template file",
        help_text="A JSON file in SafeHub's template format, up to 2 MB.",
        error_messages={
            "required": "Select a template file to upload",
            "empty": "The selected file is empty",
        },
    )


class TrainingFilterForm(GovukForm):
    agency = forms.TypedChoiceField(label="Agency", coerce=int, required=False, choices=[])
    template = forms.ChoiceField(label="Profile template", required=False, choices=[])

    def __init__(
        self,
        *args: Any,
        agencies: list[tuple[int, str]] | None = None,
        names: list[str] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        agency_field = self.fields["agency"]
        assert isinstance(agency_field, forms.ChoiceField)
        agency_field.choices = [("", "All agencies"), *(agencies or [])]
        template_field = self.fields["template"]
        assert isinstance(template_field, forms.ChoiceField)
        template_field.choices = [("", "All templates"), *((n, n) for n in names or [])]


class TrainingRecordForm(GovukForm):
    error_names: ClassVar[dict[str, str]] = {
        "practitioner": "the practitioner's username or e-mail",
        "template": "the profile template",
    }
    practitioner = forms.CharField(
        label="Practitioner's username or e-mail address", max_length=254
    )
    # Not `template_name`: a form's own attribute of that name is its template.
    template = forms.ChoiceField(label="Profile template", choices=[])
    course = forms.CharField(label="Course", max_length=200)
    provider = forms.CharField(label="Training provider", max_length=200)
    completed_on = GovukDateField(label="Date completed")
    expires_on = GovukDateField(label="Date the training expires")

    def __init__(self, *args: Any, names: list[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["template"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(n, n) for n in names or []]


class TrainingImportForm(GovukForm):
    error_names: ClassVar[dict[str, str]] = {"file": "the CSV file"}
    file = forms.FileField(
        label="Upload a CSV file",
        help_text="The template's header row, then one training record a row; up to 1 MB.",
        error_messages={
            "required": "Select a CSV file to upload",
            "empty": "The selected file is empty. Download the template and fill it in",
        },
    )


class TrainingConfirmForm(GovukForm):
    """The checked file, sent back once its rows are good (the service checks it again)."""

    csv_text = forms.CharField(widget=forms.HiddenInput, max_length=1_000_000, strip=False)


class ProfileStartForm(GovukForm):
    error_names: ClassVar[dict[str, str]] = {
        "template": "the profile template",
        "siblings": "brothers and sisters",
    }
    template = forms.TypedChoiceField(
        label="Profile template",
        coerce=int,
        choices=[],
        error_messages={"required": "Select the profile template"},
    )
    siblings = forms.TypedMultipleChoiceField(
        label="Brothers and sisters this profile also covers (optional)",
        coerce=int,
        choices=[],
        required=False,
        help_text="Profile them together only if they share the same care at home.",
    )

    def __init__(
        self,
        *args: Any,
        templates: list[tuple[int, str]] | None = None,
        siblings: list[tuple[int, str]] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        template_field = self.fields["template"]
        assert isinstance(template_field, forms.ChoiceField)
        template_field.choices = templates or []
        sibling_field = self.fields["siblings"]
        assert isinstance(sibling_field, forms.ChoiceField)
        sibling_field.choices = siblings or []


class ProfileAreaForm(GovukForm):
    """One area's items: a grade (1 to 5, or not yet) and the evidence for each. Field
    names are the service's error keys, so its messages land on their items."""

    version = VersionField()

    def __init__(self, *args: Any, items: list[Any] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for item in items or []:
            self.fields[f"item-{item.pk}-grade"] = forms.ChoiceField(
                label=f"Grade for {item.title}", choices=GRADE_CHOICES, required=False
            )
            self.fields[f"item-{item.pk}-evidence"] = forms.CharField(
                label=f"Evidence for {item.title}",
                widget=forms.Textarea(attrs={"rows": 4}),
                required=False,
                strip=False,
                max_length=MAX_EVIDENCE,
            )
        self.items = items or []

    def grades(self) -> dict[int, tuple[Any, Any]]:
        d = self.cleaned_data
        return {
            item.pk: (d.get(f"item-{item.pk}-grade"), d.get(f"item-{item.pk}-evidence", ""))
            for item in self.items
        }


class ProfilePlanForm(GovukForm):
    """The family's views, the action plan (up to five rows; blank rows left out) and the
    review date."""

    error_names: ClassVar[dict[str, str]] = {"family_views": "the family's views"}
    version = VersionField()
    family_views = forms.CharField(
        label="The family's views",
        help_text="What the child and the parents or carers say about their care, in their words.",
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        strip=False,
        max_length=MAX_VIEWS,
    )
    review_date = GovukDateField(label="Review date", required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for n in range(1, PLAN_ROWS + 1):
            self.fields[f"actions-{n}-action"] = forms.CharField(
                label=f"Action {n}: what is to be done",
                widget=forms.Textarea(attrs={"rows": 2}),
                required=False,
                max_length=2000,
            )
            self.fields[f"actions-{n}-owner_name"] = forms.CharField(
                label=f"Who owns action {n}", required=False, max_length=200
            )
            self.fields[f"actions-{n}-due_date"] = GovukDateField(
                label=f"When action {n} is due", required=False
            )

    def actions(self) -> list[dict[str, Any]]:
        d = self.cleaned_data
        rows = []
        for n in range(1, PLAN_ROWS + 1):
            row = {k: d.get(f"actions-{n}-{k}") for k in ("action", "owner_name", "due_date")}
            if any(row.values()):
                rows.append(row)
        return rows


class ProfileDraftForm(GovukForm):
    """The autosave script's post: which box, and its text. Never a page."""

    kind = forms.CharField(label="Box", max_length=40)
    text = forms.CharField(label="Text", required=False, strip=False, max_length=MAX_VIEWS)


class VersionForm(GovukForm):
    version = VersionField()


class UsePeriodForm(GovukForm):
    """The period the use-and-effect figures cover."""

    start = GovukDateField(label="From")
    end = GovukDateField(label="To")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            self.add_error("end", "The end of the period must be on or after its start")
        return cleaned
