"""Retention review forms: parse and check, never save."""

from typing import ClassVar

from django import forms

from safehub.ui.forms_util import GovukForm


class DecisionForm(GovukForm):
    error_names: ClassVar[dict[str, str]] = {"decision": "what to do", "reason": "the reason"}
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    decision = forms.ChoiceField(
        label="What should happen to this record?",
        choices=[("dispose", "Dispose of it"), ("hold", "Keep it under a legal hold")],
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select whether to dispose of the record or keep it",
            "invalid_choice": "Select whether to dispose of the record or keep it",
        },
    )
    reason = forms.CharField(
        label="Reason",
        help_text="For a hold, say what it is for (for example, a claim against the council).",
        max_length=2000,
        widget=forms.Textarea,
    )


class LiftForm(GovukForm):
    error_names: ClassVar[dict[str, str]] = {"reason": "why the hold is lifted"}
    reason = forms.CharField(
        label="Why is the hold lifted?", max_length=2000, widget=forms.Textarea
    )
