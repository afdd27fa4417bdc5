"""Forms for concern alerts and rules: parse and check what was typed, never save."""

import json
from typing import Any, ClassVar

from django import forms

from safehub.concerns.models import ActionTaken
from safehub.concerns.services import NOTE_MAX
from safehub.ui.forms_util import GovukForm


class VersionForm(GovukForm):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class ActForm(VersionForm):
    action_taken = forms.ChoiceField(
        label="What did you do?",
        choices=ActionTaken.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select what you did about the alert"},
    )
    note = forms.CharField(
        label="Anything to add (optional)",
        max_length=NOTE_MAX,
        required=False,
        widget=forms.Textarea,
    )
    error_names: ClassVar[dict[str, str]] = {
        "action_taken": "what you did",
        "note": "what you added",
    }


class DismissForm(VersionForm):
    reason = forms.CharField(
        label="Why are you dismissing it?",
        help_text="The reason stays with the rule's record, so the rule can be improved.",
        max_length=NOTE_MAX,
        widget=forms.Textarea,
        error_messages={"required": "Enter why you are dismissing the alert"},
    )
    error_names: ClassVar[dict[str, str]] = {"reason": "the reason"}


class RuleForm(GovukForm):
    """A rule as a manager writes it. The definition is JSON (the edit page guides writing
    it); whether it can be evaluated is the service's check, shown here place by place."""

    name = forms.CharField(
        label="Name", max_length=200, error_messages={"required": "Enter the rule's name"}
    )
    rationale = forms.CharField(
        label="Rationale",
        help_text="In plain English: why these facts together are a concern.",
        widget=forms.Textarea,
        error_messages={"required": "Enter the rationale"},
    )
    definition = forms.CharField(
        label="Definition (JSON)",
        widget=forms.Textarea,
        error_messages={"required": "Enter the definition"},
    )
    active = forms.BooleanField(label="Switch the rule on", required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, required=False)
    error_names: ClassVar[dict[str, str]] = {"definition": "the definition"}

    def clean_definition(self) -> Any:
        text = self.cleaned_data["definition"]
        try:
            return json.loads(text)
        except json.JSONDecodeError as error:
            raise forms.ValidationError(
                f"The definition is not valid JSON: {error.msg} on line {error.lineno}"
            ) from error
