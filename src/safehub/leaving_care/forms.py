"""Input shapes for the care leaver pages. Forms parse; the services decide what is valid
(`entry_rules.py`), so each rule is said once."""

from typing import Any, ClassVar

from django import forms

from safehub.casework.forms import _CHOOSE, CaseworkForm, _coded, _date, _radios, _text
from safehub.leaving_care.codes import Accommodation, Activity, InTouch
from safehub.leaving_care.eligibility import FIRST_BIRTHDAY_RECORD, LAST_ON_REQUEST
from safehub.leaving_care.services import ordinal


class AdviserForm(CaseworkForm):
    adviser = forms.TypedChoiceField(
        label="Personal adviser",
        coerce=int,
        choices=[],
        error_messages={
            "required": "Select a personal adviser",
            "invalid_choice": "Select a personal adviser",
        },
    )
    support_to_25 = forms.BooleanField(
        label="The young person has asked for support up to 25", required=False
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, advisers: list[Any] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["adviser"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = _CHOOSE + [(a.pk, a.get_full_name() or a.username) for a in advisers or []]


class PathwayPlanForm(CaseworkForm):
    today_fields = ("plan_date",)
    plan_date = _date("Date of the pathway plan or its review")
    content = _text(
        "What the plan says",
        required_message="Enter what the plan says",
        hint="Accommodation, education and work, health, money, family and friends",
        rows=8,
    )


class StayingPutStartForm(CaseworkForm):
    today_fields = ("start_date",)
    carer_name = forms.CharField(
        label="Former foster carer's name",
        max_length=120,
        error_messages={"required": "Enter the former foster carer's name"},
    )
    start_date = _date("Date staying put began")


class StayingPutEndForm(CaseworkForm):
    today_fields = ("end_date",)
    end_date = _date("Date staying put ended")


_SUITABLE = [("yes", "Suitable"), ("no", "Not suitable")]


def _optional_select(label: str, choices: Any, off_the_list: str) -> forms.ChoiceField:
    """Answered only when the council is in touch (the service says when it is needed)."""
    return forms.ChoiceField(
        label=label,
        choices=_CHOOSE + list(choices),
        required=False,
        help_text="Only when the council is in touch",
        error_messages={"invalid_choice": off_the_list},
    )


class BirthdayForm(CaseworkForm):
    error_names: ClassVar[dict[str, str]] = {
        "in_touch": "whether the council is in touch",
        "suitable": "whether the accommodation is suitable",
    }
    today_fields = ("contact_date",)
    age = forms.TypedChoiceField(
        label="Which birthday?",
        coerce=int,
        choices=_CHOOSE
        + [
            (a, f"{ordinal(a)} birthday") for a in range(FIRST_BIRTHDAY_RECORD, LAST_ON_REQUEST + 1)
        ],
        error_messages={
            "required": "Select which birthday",
            "invalid_choice": "Select which birthday",
        },
    )
    contact_date = _date(
        "Date of the latest contact",
        hint="From 3 months before the birthday to 1 month after it. For example, 27 3 2025",
    )
    in_touch = _radios(
        "Is the council in touch with the young person?",
        _coded(InTouch.choices),
        "Select whether the council is in touch",
    )
    accommodation = _optional_select(
        "Where are they living?",
        _coded(Accommodation.choices),
        "Select where the young person is living from the list",
    )
    suitable = _radios(
        "Is the accommodation suitable?",
        _SUITABLE,
        "",
        required=False,
        help_text="Only when the council is in touch",
    )
    activity = _optional_select(
        "What are they doing?",
        _coded(Activity.choices),
        "Select what the young person is doing from the list",
    )

    def suitable_value(self) -> bool | None:
        return {"yes": True, "no": False}.get(self.cleaned_data.get("suitable") or "")
