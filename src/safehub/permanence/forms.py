"""Input shapes for the court and adoption pages. Forms parse; the services decide what is
valid (`entry_rules.py`), so each rule is said once."""

from typing import Any

from django import forms

from safehub.casework.forms import _CHOOSE, CaseworkForm, _coded, _date, _radios, _text
from safehub.permanence.codes import (
    AdopterLegalStatus,
    AdopterSexes,
    Application,
    FinalOrder,
    HearingKind,
    InterimOrder,
    PreProceedingsOutcome,
    PreviousPermanence,
    ReversalReason,
)

_YES_NO = [("yes", "Yes"), ("no", "No")]


def _line(
    label: str, required_message: str = "", max_length: int = 120, **kw: Any
) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=bool(required_message),
        error_messages={"required": required_message} if required_message else {},
        **kw,
    )


class PreProceedingsForm(CaseworkForm):
    today_fields = ("started_on",)
    started_on = _date("Date of the legal gateway decision to start pre-proceedings")
    letter_sent = _date("Date the letter before proceedings was sent", required=False)
    meeting_held = _date("Date of the pre-proceedings meeting", required=False)


class PreProceedingsLetterForm(CaseworkForm):
    letter_sent = _date("Date the letter before proceedings was sent")
    meeting_held = _date("Date of the pre-proceedings meeting", required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)


class PreProceedingsEndForm(CaseworkForm):
    today_fields = ("ended_on",)
    ended_on = _date("Date pre-proceedings ended")
    outcome = _radios(
        "How did pre-proceedings end?",
        [c for c in PreProceedingsOutcome.choices if c[0] != PreProceedingsOutcome.ISSUED],
        "Select how pre-proceedings ended",
    )


class IssueForm(CaseworkForm):
    today_fields = ("issued_on",)
    application = _radios(
        "What did the council apply for?",
        Application.choices,
        "Select what the council applied for",
    )
    issued_on = _date("Date the application was issued", hint="The 26 weeks begin on this day")
    court = _line("Court", "Enter the court")
    case_number = _line("Court case number", max_length=30)
    guardian = _line("Children's guardian")


class HearingForm(CaseworkForm):
    today_fields = ("held_on",)
    held_on = _date("Date of the hearing")
    kind = _radios(
        "Kind of hearing",
        [c for c in HearingKind.choices if c[0] != HearingKind.FINAL],
        "Select the kind of hearing",
    )
    interim_order = _radios("Order made", InterimOrder.choices, "Select the order the hearing made")
    next_hearing = _date("Date of the next hearing", required=False)
    notes = _text("What the court decided or directed")


class ExtendForm(CaseworkForm):
    today_fields = ("granted_on",)
    granted_on = _date("Date the court extended the timetable")
    new_end = _date("New date the timetable ends", hint="At most 8 weeks after the current end")
    reason = _text(
        "Why the court extended it", required_message="Enter why the court extended the timetable"
    )


class FinalOrderForm(CaseworkForm):
    today_fields = ("made_on",)
    made_on = _date("Date of the final order")
    order = _radios("Final order", FinalOrder.choices, "Select the final order")


class LibertyOrderForm(CaseworkForm):
    today_fields = ("made_on",)
    made_on = _date("Date the order was made")
    review_by = _date("Date the court will review it", hint="For example, 27 3 2027")
    court = _line("Court", "Enter the court", initial="High Court, Family Division")


class LibertyEndForm(CaseworkForm):
    today_fields = ("ended_on",)
    ended_on = _date("Date the order ended")


class LibertyReviewForm(CaseworkForm):
    today_fields = ("reviewed_on",)
    reviewed_on = _date("Date the court reviewed the order")
    next_review = _date("Date of the next review", hint="For example, 27 3 2027")


class AdoptionDateForm(CaseworkForm):
    """One dated step of a child's adoption (the decision, placement order, placement or
    order)."""

    today_fields = ("on",)
    on = _date("Date")

    def __init__(self, *args: Any, label: str = "Date", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["on"].label = label


class MatchForm(CaseworkForm):
    today_fields = ("matched_on",)
    matched_on = _date("Date of the match")
    adopters = forms.TypedChoiceField(
        label="Prospective adopters",
        coerce=int,
        choices=[],
        error_messages={"required": "Select the adopters", "invalid_choice": "Select the adopters"},
    )
    by_foster_carer = _radios(
        "Are the adopters the child's foster carers?",
        _YES_NO,
        "Select whether the adopters are the child's foster carers",
    )

    def __init__(self, *args: Any, adopters: list[Any] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["adopters"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = _CHOOSE + [(a.pk, f"{a.names} ({a.reference})") for a in adopters or []]


class ReverseForm(CaseworkForm):
    today_fields = ("reversed_on",)
    reversed_on = _date("Date the decision was reversed")
    reason = _radios("Why?", _coded(ReversalReason.choices), "Select why the decision was reversed")


class PreviousPermanenceForm(CaseworkForm):
    kind = _radios(
        "How did the child leave care before?",
        _coded(PreviousPermanence.choices),
        "Select the previous permanence order",
    )
    local_authority = _line("Local authority that made the arrangement", max_length=60)
    on = _date("Date of the order", required=False, hint="Leave blank if not known")


class AdoptersForm(CaseworkForm):
    today_fields = ("enquiry_on",)
    names = _line("Names", "Enter the adopters' names", max_length=160)
    sexes = _radios(
        "Who are the adopters?", _coded(AdopterSexes.choices), "Select who the adopters are"
    )
    legal_status = _radios(
        "Their legal status",
        _coded(AdopterLegalStatus.choices),
        "Select the adopters' legal status",
    )
    enquiry_on = _date("Date of their first enquiry")


class ApproveForm(CaseworkForm):
    today_fields = ("approved_on",)
    approved_on = _date("Date the agency decision maker approved them")
    version = forms.IntegerField(widget=forms.HiddenInput)
