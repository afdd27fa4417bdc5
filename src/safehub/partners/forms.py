"""Forms for partner information: parse and check what was typed or sent, never save."""

from typing import ClassVar

from django import forms

from safehub.partners.models import SEND_BACK_REASON_MAX
from safehub.ui.fields import GovukDateField
from safehub.ui.forms_util import GovukForm


class UploadForm(GovukForm):
    error_names: ClassVar[dict[str, str]] = {"file": "the CSV file"}
    file = forms.FileField(
        label="Upload a CSV file",
        help_text="Up to 1,000 events and 1 MB, with the template's header row.",
        error_messages={
            "required": "Select a CSV file to upload",
            "empty": "The selected file is empty. Download the template and fill it in",
        },
    )


class SendBackForm(GovukForm):
    reason = forms.CharField(
        label="Why are you sending it back?",
        help_text="The sender reads this. Say what they need to correct or check.",
        max_length=SEND_BACK_REASON_MAX,
        widget=forms.Textarea,
        error_messages={"required": "Enter why you are sending it back"},
    )
    error_names: ClassVar[dict[str, str]] = {"reason": "the reason"}


class FindRecordForm(GovukForm):
    """Look for another record than the ones suggested, by what the worker knows."""

    given_name = forms.CharField(label="First name", max_length=100, required=False)
    family_name = forms.CharField(label="Last name", max_length=100, required=False)
    date_of_birth = GovukDateField(label="Date of birth (optional)", required=False)
    postcode = forms.CharField(label="Postcode (optional)", max_length=10, required=False)

    def clean(self) -> dict:
        cleaned = super().clean() or {}
        if not any(cleaned.get(f) for f in ("given_name", "family_name", "date_of_birth")):
            raise forms.ValidationError("Enter a name or a date of birth to look for")
        return cleaned


class QuietAfterForm(GovukForm):
    error_names: ClassVar[dict[str, str]] = {"quiet_after": "the number of working days"}
    quiet_after = forms.IntegerField(
        label="Working days this feed may go without an event",
        help_text="Whole working days (weekends and bank holidays do not count), from 1 to 20.",
        min_value=1,
        max_value=20,
        error_messages={
            "required": "Enter a number of working days from 1 to 20",
            "invalid": "Enter a number of working days from 1 to 20",
            "min_value": "Enter a number of working days from 1 to 20",
            "max_value": "Enter a number of working days from 1 to 20",
        },
    )


class NoticeActionForm(GovukForm):
    """Acknowledge a notice, or (the MASH) send it to the school: the version read."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
