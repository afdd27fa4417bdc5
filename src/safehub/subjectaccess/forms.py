"""Subject access forms: parse and check, never save."""

from typing import Any, ClassVar

from django import forms

from safehub.subjectaccess.models import RequesterKind
from safehub.ui.fields import GovukDateField
from safehub.ui.forms_util import GovukForm

YES_NO = [("yes", "Yes"), ("no", "No")]


class RequestForm(GovukForm):
    error_names: ClassVar[dict[str, str]] = {
        "person_id": "the SafeHub ID",
        "requester_name": "the requester's name",
        "identity_evidence": "how their identity was checked",
    }
    person_id = forms.IntegerField(
        label="SafeHub ID of the person the request is about",
        help_text="The number shown on their record, for example 1042.",
        min_value=1,
        max_value=2**62,
    )
    requester_name = forms.CharField(label="Name of the requester", max_length=120)
    requester_kind = forms.ChoiceField(
        label="Who made the request?",
        choices=RequesterKind.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select who made the request",
            "invalid_choice": "Select who made the request",
        },
    )
    identity_checked = forms.ChoiceField(
        label="Has the requester's identity been checked?",
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select whether the requester's identity has been checked",
            "invalid_choice": "Select whether the requester's identity has been checked",
        },
    )
    identity_evidence = forms.CharField(
        label="How was it checked?",
        help_text="For example, passport seen at the council offices.",
        max_length=200,
        required=False,
    )
    received_on = GovukDateField(label="Date the request was received")

    def service_data(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "requester_name": data["requester_name"],
            "requester_kind": data["requester_kind"],
            "identity_checked": data["identity_checked"] == "yes",
            "identity_evidence": data["identity_evidence"],
            "received_on": data["received_on"],
        }


class VersionField(forms.IntegerField):
    widget = forms.HiddenInput


class ExtendForm(GovukForm):
    error_names: ClassVar[dict[str, str]] = {"reason": "why the request needs more time"}
    version = VersionField(min_value=1)
    reason = forms.CharField(
        label="Why does the request need more time?",
        help_text="UK GDPR allows two further months where a request is complex or one of many.",
        max_length=2000,
        widget=forms.Textarea,
    )


class DecisionForm(GovukForm):
    decision = forms.ChoiceField(
        label="Decision",
        choices=[("redact", "Redact"), ("keep", "Keep")],
        error_messages={
            "required": "Select redact or keep",
            "invalid_choice": "Select redact or keep",
        },
    )


class RedactionForm(GovukForm):
    error_names: ClassVar[dict[str, str]] = {"term": "the words to redact", "why": "the reason"}
    term = forms.CharField(
        label="Words to redact",
        help_text="Every place these words appear in the bundle is taken out.",
        max_length=200,
    )
    why = forms.CharField(label="Why", help_text="For example, neighbour's name.", max_length=200)


class SentForm(GovukForm):
    version = VersionField(min_value=1)
