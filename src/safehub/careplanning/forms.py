"""Input shapes for the care planning pages. Forms parse; the services decide what is
valid, so each rule is said once."""

from typing import Any

from django import forms

from safehub.casework.forms import _CHOOSE, CaseworkForm, _date, _radios, _text

YES_NO = [("yes", "Yes"), ("no", "No")]


class IroForm(CaseworkForm):
    iro = forms.TypedChoiceField(
        label="Independent reviewing officer",
        coerce=int,
        choices=[],
        error_messages={
            "required": "Select an independent reviewing officer",
            "invalid_choice": "Select an independent reviewing officer",
        },
    )

    def __init__(
        self, *args: Any, officers: list[tuple[int, str]] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["iro"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [*_CHOOSE, *(officers or [])]


class IroContactForm(CaseworkForm):
    today_fields = ("contact_on",)
    contact_on = _date("Date you saw or spoke with the child")
    seen_alone = _radios(
        "Was the child seen alone?", YES_NO, "Select whether the child was seen alone"
    )
    note = _text("What the child said about their plan (optional)", rows=5)

    def seen_alone_value(self) -> bool:
        return bool(self.cleaned_data["seen_alone"] == "yes")


class PlanForm(CaseworkForm):
    today_fields = ("written_on",)
    written_on = _date("Date of this version of the plan")
    content = _text(
        "What the plan says", required_message="Enter what the plan says", rows=12, max_length=20000
    )
    # The version the form was opened at, so someone else's later save is not overwritten.
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class DelegatedDecisionForm(CaseworkForm):
    today_fields = ("agreed_on",)
    decision = forms.CharField(
        label="The decision the carers may take",
        max_length=200,
        help_text="For example, overnight stays with friends, haircuts, school trips",
        error_messages={"required": "Enter the decision the carers may take"},
    )
    delegated_to = forms.CharField(
        label="Who may take it",
        max_length=120,
        error_messages={"required": "Enter who may take the decision"},
    )
    agreed_on = _date("Date it was agreed")


class WithdrawForm(CaseworkForm):
    today_fields = ("withdrawn_on",)
    withdrawn_on = _date("Date it was withdrawn")
