"""Forms for the returns pages: parse what was chosen or sent; the rules are the selectors'."""

from typing import ClassVar

from django import forms

from safehub.returns.cin.spec import YEARS
from safehub.returns.ssda903.spec import YEARS as YEARS_903
from safehub.ui.fields import GovukDateField
from safehub.ui.forms_util import GovukForm

MAX_UPLOAD = 200 * 1024 * 1024


class CensusForm(GovukForm):
    error_names: ClassVar[dict[str, str]] = {"year": "the census year"}
    year = forms.ChoiceField(
        label="Census year",
        choices=[
            (y, f"{y} (1 April {YEARS[y].start.year} to 31 March {YEARS[y].end.year})")
            for y in YEARS
        ],
        error_messages={
            "required": "Select a census year",
            "invalid_choice": "Select a census year",
        },
    )
    start = GovukDateField(
        label="From (optional)",
        required=False,
        help_text="Leave both dates blank for the whole census year.",
    )
    end = GovukDateField(label="To (optional)", required=False, help_text="Within the census year.")


REPORT_FORMATS = [
    ("html", "Show the report on this page"),
    ("csv", "Download it as a spreadsheet (CSV)"),
    ("json", "Download it as JSON"),
]


def _report_field() -> forms.ChoiceField:
    return forms.ChoiceField(
        label="How do you want the report?",
        choices=REPORT_FORMATS,
        initial="html",
        widget=forms.RadioSelect,
        error_messages={"required": "Select how you want the report"},
    )


def _year_903_field(label: str) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=YEAR_903_CHOICES,
        error_messages={
            "required": "Select a collection year",
            "invalid_choice": "Select a collection year",
        },
    )


def _dry_run_field() -> forms.BooleanField:
    return forms.BooleanField(
        label="Check only: show what the import would do and keep nothing",
        required=False,
    )


class UploadForm(GovukForm):
    """A form whose `file` is refused, in plain words, over the size the pages accept."""

    def clean_file(self) -> object:
        file = self.cleaned_data["file"]
        if file.size > MAX_UPLOAD:
            raise forms.ValidationError("The selected file must be smaller than 200 MB")
        return file


class ValidateForm(UploadForm):
    error_names: ClassVar[dict[str, str]] = {"file": "the census file", "report": "the report"}
    file = forms.FileField(
        label="Upload a CIN census file",
        help_text="The XML file for 2024-25 or 2025-26, up to 200 MB.",
        error_messages={
            "required": "Select a CIN census file",
            "empty": "The selected file is empty",
        },
    )
    report = _report_field()


YEAR_903_CHOICES = [
    (y, f"{y} (1 April {YEARS_903[y].start.year} to 31 March {YEARS_903[y].end.year})")
    for y in YEARS_903
]


class Return903Form(GovukForm):
    error_names: ClassVar[dict[str, str]] = {"year": "the collection year"}
    year = forms.ChoiceField(
        label="Collection year",
        choices=YEAR_903_CHOICES,
        error_messages={
            "required": "Select a collection year",
            "invalid_choice": "Select a collection year",
        },
    )
    start = GovukDateField(
        label="From (optional)",
        required=False,
        help_text="Leave both dates blank for the whole collection year.",
    )
    end = GovukDateField(
        label="To (optional)", required=False, help_text="Within the collection year."
    )


class Validate903Form(UploadForm):
    error_names: ClassVar[dict[str, str]] = {
        "file": "the 903 files",
        "year": "the collection year",
        "report": "the report",
    }
    file = forms.FileField(
        label="Upload the 903 files as one zip",
        help_text="A zip of the CSV files (header, episodes and the others), up to 200 MB.",
        error_messages={
            "required": "Select a zip of 903 files",
            "empty": "The selected file is empty",
        },
    )
    year = _year_903_field("Collection year")
    report = _report_field()


class ImportForm(UploadForm):
    error_names: ClassVar[dict[str, str]] = {"file": "the census file"}
    file = forms.FileField(
        label="Upload a CIN census file from your earlier system",
        help_text="The XML file for 2024-25 or 2025-26, up to 200 MB.",
        error_messages={
            "required": "Select a CIN census file",
            "empty": "The selected file is empty",
        },
    )
    dry_run = _dry_run_field()


class AnnexAForm(GovukForm):
    error_names: ClassVar[dict[str, str]] = {"end": "the last day"}
    end = GovukDateField(
        label="Last day of the lists",
        help_text="Usually the day before the inspection was announced. For example, 31 3 2026",
    )


class Import903Form(UploadForm):
    error_names: ClassVar[dict[str, str]] = {
        "file": "the 903 files",
        "year": "the collection year",
    }
    file = forms.FileField(
        label="Upload the 903 files from your earlier system as one zip",
        help_text="A zip of the CSV files (header, episodes and the others), up to 200 MB.",
        error_messages={
            "required": "Select a zip of 903 files",
            "empty": "The selected file is empty",
        },
    )
    year = _year_903_field("Collection year of the files")
    dry_run = _dry_run_field()
